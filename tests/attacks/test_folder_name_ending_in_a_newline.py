"""A work tree whose folder's name ends with a line break ("proj" + LF, beside a repository
"proj"): the root git printed was stripped of every trailing line break, its own included, so
`toplevel` named the neighbouring repository, and ``roadworthy check`` run inside the first
refused to run ("not inside the repository at .../proj")."""

from __future__ import annotations

from roadworthy.workspace import git


def test_a_root_ending_with_a_line_break_is_its_own(make_repo, run_cli):
    make_repo({"README.md": "neighbour\n"}, name="proj")
    repo = make_repo({"README.md": "ours\n"}, name="proj\n")
    (repo.path / "sub").mkdir()
    assert git.toplevel(repo.path / "sub") == repo.path
    assert git.common_dir(repo.path) == repo.path / ".git"
    result = run_cli("check", cwd=repo.path)
    assert result.exit_code == 0, result.err

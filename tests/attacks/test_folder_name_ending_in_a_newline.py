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


def test_a_scan_takes_the_root_and_head_of_a_folder_ending_with_a_line_break(make_repo):
    # `scan` asks for the root and the checked-out commit in one call: the commit is the last
    # line, and the folder's own line break stays with its name.
    from roadworthy.scan.cache import toplevel_and_head

    make_repo({"README.md": "neighbour\n"}, name="proj")
    repo = make_repo({"README.md": "ours\n"}, name="proj\n")
    root, head = toplevel_and_head(repo.path)
    assert root == repo.path
    assert head == repo.git("rev-parse", "HEAD").strip()

"""Stage criteria, attacked through the hand-off between two rules. In diff mode RW207 stays
silent on a promoted component because "the promotion rule judges a promotion against the
stage it claims", without asking whether that rule runs. Where RW410 is ignored (``--ignore``,
the Action's ``ignore`` input) or disabled, a change that promotes a component whose evidence
misses the new stage's criteria passes both: the full check of the very same commit reports
RW207 twice, the pull request's check reports nothing about the criteria."""

from __future__ import annotations

from pathlib import Path

from testing.gitrepo import GitRepo, files_of

CASE = (
    Path(__file__).parents[1] / "cases/RW410-promotion-without-evidence/promotion-without-evidence"
)


def _tree(folder: Path) -> dict[str, str | bytes]:
    return files_of(folder, text=False)


def test_ignoring_rw410_does_not_silence_rw207(tmp_path: Path, run_cli):
    repo = GitRepo.init(tmp_path / "repo", _tree(CASE / "repo"), message="advisory")
    repo.write(_tree(CASE / "change"))
    repo.commit("promote to supervised")

    full = run_cli("check", "--as-of", "2026-12-01", "--ignore", "RW410", cwd=repo.path)
    assert full.out.count(" RW207 ") == 2, full.out  # the head misses supervised's criteria

    diff = run_cli(
        "check", "--diff", "HEAD~1", "--as-of", "2026-12-01", "--ignore", "RW410", cwd=repo.path
    )
    # With the promotion rule off, the stage's own criteria still judge the component.
    assert " RW207 " in diff.out, diff.out

"""Diff mode reads both sides' CODEOWNERS while git diffs (`pipeline._readers`). Reading it
early must not change the answer: an oversized (unreadable) CODEOWNERS that the change leaves
alone, and that nothing judging the change needs, was not reported before, and is not reported
by --staged for the same change. Read early, its RW001 lands in the head reader's errors and
fails a README-only pull request (exit 1) that the staged check of the same edit passes."""

from __future__ import annotations

import pytest

from tests.change.conftest import CODEOWNERS, MALLORY, POLICY, base_files

SMALL_CAP = POLICY + "limits:\n  max_file_size: 2000\n"
BIG_CODEOWNERS = CODEOWNERS + "#" * 5000 + "\n"


@pytest.mark.parametrize("mode", ["--staged", "--diff"])
def test_an_untouched_unreadable_codeowners_is_judged_alike(make_repo, judge, mode):
    files = base_files() | {"roadworthy.yaml": SMALL_CAP, ".github/CODEOWNERS": BIG_CODEOWNERS}
    repo = make_repo(files)
    repo.git("branch", "base")
    repo.write({"README.md": "hello\n"})
    if mode == "--staged":
        repo.git("add", "-A")
        result = judge(repo, "--staged")
    else:
        repo.commit("docs", author=MALLORY)
        result = judge(repo, "--diff", "base")
    assert result == (0, [])


def test_an_unreadable_codeowners_a_component_needs_is_reported_once(make_repo, judge):
    """Still reported when the judging reads it (a touched component), and once."""
    files = base_files() | {"roadworthy.yaml": SMALL_CAP, ".github/CODEOWNERS": BIG_CODEOWNERS}
    repo = make_repo(files)
    repo.git("branch", "base")
    repo.write({"models/credit/RUNBOOK.md": "# Runbook\n\n## Alerts\nx\n\n## Escalation\ny\n"})
    repo.commit("runbook", author=MALLORY)
    _, found = judge(repo, "--diff", "base")
    assert [c for c, p, _ in found if p == ".github/CODEOWNERS"] == ["RW001"]

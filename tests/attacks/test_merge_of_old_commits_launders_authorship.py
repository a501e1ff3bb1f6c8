"""Merge authorship, attacked through the fix for merges whose parents are all outside the range.
Such a merge is credited with what differs from *any* of its parents; but when both parents are
old commits holding the same old weights, nothing differs from either. Merged into the branch
by a second merge (whose one parent in the range is that first merge), the old weights differ
from no parent in the range either. The weights at the head are alice's doing, yet no commit
in the range is credited with them: alice approves her own change alone."""

from __future__ import annotations

from testing.gitrepo import GIT_ENV, GitRepo

from tests.change.conftest import ALICE, approve, card, codes

ONNX = "models/credit/model.onnx"
ALICE_ENV = {
    **GIT_ENV,
    "GIT_AUTHOR_NAME": ALICE[0],
    "GIT_AUTHOR_EMAIL": ALICE[1],
    "GIT_AUTHOR_DATE": "2026-11-02T12:00:00+00:00",
    "GIT_COMMITTER_DATE": "2026-11-02T12:00:00+00:00",
}


def test_old_weights_laundered_through_a_merge_of_two_old_commits(
    credit_repo: GitRepo, judge, run_cli
):
    repo = credit_repo
    first = repo.head  # weights-v1
    repo.write({"models/credit/RUNBOOK.md": "# Runbook\n\n## Alerts\nPage.\n\n## Escalation\nx\n"})
    second = repo.commit("runbook wording")  # still weights-v1
    repo.write({ONNX: b"weights-v2\n", "models/credit/MODEL_CARD.md": card("1.1.0")})
    base = repo.commit("weights v2")
    repo.git("branch", "-f", "base")

    # A merge of two old commits (both reachable from the base): weights-v1 from both.
    old_tree = repo.git("rev-parse", f"{second}^{{tree}}").strip()
    laundered = repo.git(
        "commit-tree", old_tree, "-p", first, "-p", second, "-m", "merge", env=ALICE_ENV
    ).strip()
    # Merged into the branch, taking the old weights (everything else from the base).
    blob = repo.git("rev-parse", f"{first}:{ONNX}").strip()
    repo.git("update-index", "--cacheinfo", f"100644,{blob},{ONNX}")
    tree = repo.git("write-tree").strip()
    merge = repo.git(
        "commit-tree", tree, "-p", base, "-p", laundered, "-m", "sync", env=ALICE_ENV
    ).strip()
    repo.git("reset", "-q", "--hard", merge)
    assert (repo.path / ONNX).read_bytes() == b"weights-v1\n"
    repo.write({"models/credit/MODEL_CARD.md": card("1.2.0")})
    repo.commit("bump version", author=ALICE)

    approve(run_cli, repo, "models/credit", "--by", "@alice")
    repo.commit("alice approves", author=ALICE)
    code, found = judge(repo)
    # alice brought the weights back (in her merges) and is their only approver.
    assert "RW401" in codes(found), found
    assert any("self-approval" in message for _, _, message in found), found
    assert code == 1

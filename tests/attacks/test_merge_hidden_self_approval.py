"""Self-approval hidden in a merge. Authors come from ``git log -c --name-only base..HEAD``;
``-c`` lists only the paths a merge changed against *every* parent. A merge whose second parent
is an old commit (reachable from the base, so outside the range) and whose resolution takes the
weights from that parent changes the weights against the first parent, yet lists nothing: the
weights change has no author, and its author approves it alone."""

from __future__ import annotations

from testing.gitrepo import GIT_ENV, GitRepo

from tests.change.conftest import ALICE, approve, card, codes

ONNX = "models/credit/model.onnx"


def test_weights_taken_from_an_old_parent_in_a_merge_are_authored_by_the_merger(
    credit_repo: GitRepo, judge, run_cli
):
    repo = credit_repo
    old = repo.head  # weights-v1
    repo.write({ONNX: b"weights-v2\n", "models/credit/MODEL_CARD.md": card("1.1.0")})
    repo.commit("weights v2")
    repo.git("branch", "-f", "base")

    # alice merges the old commit and resolves the weights to its version
    blob = repo.git("rev-parse", f"{old}:{ONNX}").strip()
    repo.git("update-index", "--cacheinfo", f"100644,{blob},{ONNX}")
    tree = repo.git("write-tree").strip()
    env = {
        **GIT_ENV,
        "GIT_AUTHOR_NAME": ALICE[0],
        "GIT_AUTHOR_EMAIL": ALICE[1],
        "GIT_AUTHOR_DATE": "2026-11-02T12:00:00+00:00",
        "GIT_COMMITTER_DATE": "2026-11-02T12:00:00+00:00",
    }
    merge = repo.git("commit-tree", tree, "-p", "HEAD", "-p", old, "-m", "merge", env=env).strip()
    repo.git("reset", "-q", "--hard", merge)
    assert (repo.path / ONNX).read_bytes() == b"weights-v1\n"
    repo.write({"models/credit/MODEL_CARD.md": card("1.2.0")})
    repo.commit("bump version", author=ALICE)

    approve(run_cli, repo, "models/credit", "--by", "@alice")
    repo.commit("alice approves", author=ALICE)
    code, found = judge(repo)
    # alice wrote the weights change (in her merge) and is its only approver.
    assert "RW401" in codes(found), found
    assert any("self-approval" in message for _, _, message in found), found
    assert code == 1


def test_a_merge_of_two_old_commits_taking_the_first_parents_weights(
    credit_repo: GitRepo, judge, run_cli
):
    """Both parents outside the range: the first is the old commit, the second the base."""
    repo = credit_repo
    old = repo.head  # weights-v1
    repo.write({ONNX: b"weights-v2\n", "models/credit/MODEL_CARD.md": card("1.1.0")})
    repo.commit("weights v2")
    repo.git("branch", "-f", "base")
    base = repo.head

    blob = repo.git("rev-parse", f"{old}:{ONNX}").strip()
    repo.git("update-index", "--cacheinfo", f"100644,{blob},{ONNX}")
    tree = repo.git("write-tree").strip()
    env = {
        **GIT_ENV,
        "GIT_AUTHOR_NAME": ALICE[0],
        "GIT_AUTHOR_EMAIL": ALICE[1],
        "GIT_AUTHOR_DATE": "2026-11-02T12:00:00+00:00",
        "GIT_COMMITTER_DATE": "2026-11-02T12:00:00+00:00",
    }
    merge = repo.git("commit-tree", tree, "-p", old, "-p", base, "-m", "merge", env=env).strip()
    repo.git("reset", "-q", "--hard", merge)
    repo.write({"models/credit/MODEL_CARD.md": card("1.2.0")})
    repo.commit("bump version", author=ALICE)

    approve(run_cli, repo, "models/credit", "--by", "@alice")
    repo.commit("alice approves", author=ALICE)
    code, found = judge(repo)
    assert any("self-approval" in message for _, _, message in found), found
    assert code == 1

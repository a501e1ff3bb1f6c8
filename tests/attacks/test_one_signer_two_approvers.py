"""``min_approvers: {high: 2}`` is a two-person rule, and ``verify: signature`` is the level
that "resists forged approvals: only a holder of an approver's signing key can add a counting
entry". But the signature is checked for *one* approver: alice alone signs an entry that names
``["@alice", "@bob"]`` and both count. Bob never approved anything; a high-risk model's new
weights pass on one person's say."""

from __future__ import annotations

import shutil

import pytest
from testing.gitrepo import GitRepo

from tests.change.conftest import ALICE, MALLORY, approve, base_files, card, codes
from tests.change.test_governance import SIGNED_POLICY, _key


@pytest.mark.skipif(shutil.which("ssh-keygen") is None, reason="ssh-keygen not installed")
def test_a_signature_counts_for_its_signer_only(make_repo, judge, run_cli, tmp_path):
    alice_key, alice_line = _key(tmp_path, "alice", "alice@example.com")
    _, bob_line = _key(tmp_path, "bob", "bob@example.com")
    files = base_files()
    files["roadworthy.yaml"] = SIGNED_POLICY
    files[".github/allowed_signers"] = alice_line + bob_line
    files["models/credit/MODEL_CARD.md"] = card(risk="high")
    repo: GitRepo = make_repo(files)
    repo.git("branch", "base")

    repo.write(
        {
            "models/credit/model.onnx": b"v2\n",
            "models/credit/MODEL_CARD.md": card("1.1.0", risk="high"),
        }
    )
    repo.commit("retrain", author=MALLORY)
    approve(run_cli, repo, "credit", "--by", "@alice", "--by", "@bob")
    repo.git("config", "gpg.format", "ssh")
    repo.git("config", "user.signingkey", alice_key)
    repo.commit("alice signs for alice and bob", author=ALICE, extra_args=("-S",))
    code, found = judge(repo)
    assert "RW401" in codes(found), found  # one signature, one approver: 1 of 2
    assert code == 1


BOB = ("Bob Owner", "bob@example.com")
AUTHOR_POLICY = SIGNED_POLICY.replace("verify: signature", "verify: author")


def _high_risk_retrain(make_repo, policy: str) -> GitRepo:
    files = base_files()
    files["roadworthy.yaml"] = policy
    files["models/credit/MODEL_CARD.md"] = card(risk="high")
    repo: GitRepo = make_repo(files)
    repo.git("branch", "base")
    repo.write(
        {
            "models/credit/model.onnx": b"v2\n",
            "models/credit/MODEL_CARD.md": card("1.1.0", risk="high"),
        }
    )
    repo.commit("retrain", author=MALLORY)
    return repo


def test_at_verify_author_one_commit_vouches_for_its_author_only(make_repo, judge, run_cli):
    repo = _high_risk_retrain(make_repo, AUTHOR_POLICY)
    approve(run_cli, repo, "credit", "--by", "@alice", "--by", "@bob")
    repo.commit("alice writes bob's name too", author=ALICE)
    code, found = judge(repo)
    assert any("1 of 2 needed" in m for _, _, m in found), found
    assert code == 1


def test_two_approvers_each_committing_their_own_entry_pass(make_repo, judge, run_cli):
    repo = _high_risk_retrain(make_repo, AUTHOR_POLICY)
    approve(run_cli, repo, "credit", "--by", "@alice")
    repo.commit("alice approves", author=ALICE)
    _, found = judge(repo)
    assert any("each approver adds their own entry" in m for _, _, m in found), found
    approve(run_cli, repo, "credit", "--by", "@bob")
    repo.commit("bob approves", author=BOB)
    _, found = judge(repo)
    assert "RW401" not in codes(found), found

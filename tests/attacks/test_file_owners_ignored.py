"""Who may approve new weights is read from CODEOWNERS for the component's *folder*. A rule that
gives the weights files to someone else — ``*.onnx @carol`` after ``/models/credit/``, as an org
puts its ML-security team on every model file — is never asked: GitHub requires carol's review of
``models/credit/model.onnx``, roadworthy accepts alice's approval alone (at ``verify: author``,
with alice's own commit: nothing is forged)."""

from __future__ import annotations

from testing.gitrepo import GitRepo

from tests.change.conftest import ALICE, CODEOWNERS, MALLORY, POLICY, approve, card, codes

SECURITY_OWNS_WEIGHTS = CODEOWNERS + "*.onnx @carol\n"
AUTHOR_POLICY = (
    POLICY.replace('"@mallory"', '"@carol": [carol@example.com]\n  "@mallory"')
    + "change_control:\n  approval: {verify: author}\n"
)


def test_the_owner_of_the_weights_file_must_approve_new_weights(
    credit_repo: GitRepo, judge, run_cli
):
    repo = credit_repo
    repo.write({".github/CODEOWNERS": SECURITY_OWNS_WEIGHTS, "roadworthy.yaml": AUTHOR_POLICY})
    repo.commit("ML security owns every model file")
    repo.git("branch", "-f", "base")

    repo.write(
        {"models/credit/model.onnx": b"weights-v2\n", "models/credit/MODEL_CARD.md": card("1.1.0")}
    )
    repo.commit("retrain", author=MALLORY)
    approve(run_cli, repo, "models/credit", "--by", "@alice")
    repo.commit("alice approves", author=ALICE)
    code, found = judge(repo)
    assert "RW401" in codes(found), found  # carol, who owns model.onnx, never approved
    assert code == 1


def test_with_the_file_owner_s_approval_too_it_passes(credit_repo: GitRepo, judge, run_cli):
    repo = credit_repo
    repo.write({".github/CODEOWNERS": SECURITY_OWNS_WEIGHTS, "roadworthy.yaml": AUTHOR_POLICY})
    repo.commit("ML security owns every model file")
    repo.git("branch", "-f", "base")
    repo.write(
        {"models/credit/model.onnx": b"weights-v2\n", "models/credit/MODEL_CARD.md": card("1.1.0")}
    )
    repo.commit("retrain", author=MALLORY)
    approve(run_cli, repo, "models/credit", "--by", "@alice")
    repo.commit("alice approves", author=ALICE)
    found = judge(repo)[1]
    assert any("owners of models/credit/model.onnx (CODEOWNERS line 4)" in m for _, _, m in found)
    approve(run_cli, repo, "models/credit", "--by", "@carol")
    repo.commit("carol approves", author=("Carol Sec", "carol@example.com"))
    assert "RW401" not in codes(judge(repo)[1])

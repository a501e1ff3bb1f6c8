"""Self-approval: who counts as an author of a change, and turning the rule off."""

from __future__ import annotations

from tests.change.conftest import (
    ALICE,
    BOB,
    CONTRACT,
    MALLORY,
    ROLLBACK,
    RUNBOOK,
    approve,
    card,
    codes,
)

NEW = {
    "models/scorer/model.onnx": b"scorer-v1\n",
    "models/scorer/MODEL_CARD.md": card(),
    "models/scorer/data_contract.yaml": CONTRACT,
    "models/scorer/RUNBOOK.md": RUNBOOK,
    "models/scorer/ROLLBACK.md": ROLLBACK,
}


def test_an_owner_approving_an_added_component_in_their_own_commit_is_no_author(
    credit_repo, judge, run_cli
):
    credit_repo.write(NEW)
    credit_repo.commit("add the scorer", author=MALLORY)
    approve(run_cli, credit_repo, "scorer", "--by", "@alice")
    credit_repo.commit("approve the scorer", author=ALICE)
    assert judge(credit_repo) == (0, [])


def test_the_author_of_an_added_component_still_cannot_approve_it(credit_repo, judge, run_cli):
    credit_repo.write(NEW)
    credit_repo.commit("add the scorer", author=ALICE)
    approve(run_cli, credit_repo, "scorer", "--by", "@alice")
    credit_repo.commit("approve the scorer", author=ALICE)
    _, found = judge(credit_repo)
    assert codes(found) == ["RW401"]
    assert "self-approval: @alice authored this change" in found[0][2]


def test_forbid_self_approval_false_lets_an_author_approve(credit_repo, judge, run_cli):
    policy = (credit_repo.path / "roadworthy.yaml").read_text()
    credit_repo.write(
        {"roadworthy.yaml": policy + "change_control:\n  approval: {forbid_self_approval: false}\n"}
    )
    credit_repo.commit("allow self-approval", author=BOB)
    credit_repo.git("branch", "-f", "base")
    credit_repo.write(
        {"models/credit/model.onnx": b"weights-v2\n", "models/credit/MODEL_CARD.md": card("1.1.0")}
    )
    credit_repo.commit("new weights", author=ALICE)
    approve(run_cli, credit_repo, "credit", "--by", "@alice")
    credit_repo.commit("approve", author=ALICE)
    assert judge(credit_repo) == (0, [])


def test_forbid_self_approval_governs_governance_approvals_too(credit_repo, judge, run_cli):
    policy = (credit_repo.path / "roadworthy.yaml").read_text()
    lenient = policy + "change_control:\n  approval: {forbid_self_approval: false}\n"
    credit_repo.write({"roadworthy.yaml": lenient})
    credit_repo.commit("allow self-approval", author=BOB)
    credit_repo.git("branch", "-f", "base")
    credit_repo.write({"roadworthy.yaml": lenient + "rules:\n  RW204: {severity: error}\n"})
    credit_repo.commit("stricter", author=ALICE)
    approve(run_cli, credit_repo, "--governance", "--by", "@alice")
    credit_repo.commit("governance approval", author=ALICE)
    assert judge(credit_repo) == (0, [])


def test_by_default_the_author_of_a_governance_change_cannot_approve_it(
    credit_repo, judge, run_cli
):
    policy = (credit_repo.path / "roadworthy.yaml").read_text()
    credit_repo.write({"roadworthy.yaml": policy + "rules:\n  RW204: {severity: error}\n"})
    credit_repo.commit("stricter", author=ALICE)
    approve(run_cli, credit_repo, "--governance", "--by", "@alice")
    credit_repo.commit("governance approval", author=ALICE)
    _, found = judge(credit_repo)
    assert codes(found) == ["RW407"]


def test_an_old_removal_approval_does_not_cover_removing_a_new_model_at_the_same_path(
    credit_repo, judge, run_cli
):
    from tests.change.conftest import base_files

    credit_repo.git("rm", "-q", "-r", "models/credit")
    credit_repo.commit("retire the credit model", author=MALLORY)
    approve(run_cli, credit_repo, "models/credit", "--by", "@alice")
    credit_repo.commit("approve removal", author=ALICE)
    assert judge(credit_repo) == (0, [])
    # A new model takes the path, approved as an addition; then a later change removes it.
    files = {k: v for k, v in base_files().items() if k.startswith("models/credit/")}
    files["models/credit/model.onnx"] = b"a different model\n"
    credit_repo.write(files)
    credit_repo.commit("a new credit model", author=MALLORY)
    approve(run_cli, credit_repo, "credit", "--by", "@alice")
    credit_repo.commit("approve the new model", author=ALICE)
    credit_repo.git("branch", "-f", "base")
    credit_repo.git("rm", "-q", "-r", "models/credit")
    credit_repo.commit("remove it again", author=MALLORY)
    _, found = judge(credit_repo)
    rw401 = [message for code, _, message in found if code == "RW401"]
    assert len(rw401) == 1 and "stale approval" in rw401[0]
    # Approving this removal binds the entry to the new model's bytes, and covers it.
    approve(run_cli, credit_repo, "models/credit", "--by", "@alice")
    credit_repo.commit("approve this removal", author=ALICE)
    _, found = judge(credit_repo)
    assert "RW401" not in codes(found)
    assert codes(found) == ["RW409"]  # its ledger went with it: ledgers are append-only


def test_a_staged_removal_is_approved_against_head(credit_repo, judge, run_cli):
    credit_repo.git("rm", "-q", "-r", "models/credit")
    approve(run_cli, credit_repo, "models/credit", "--by", "@alice")
    credit_repo.git("add", "APPROVALS.yaml")
    assert judge(credit_repo, "--staged") == (0, [])

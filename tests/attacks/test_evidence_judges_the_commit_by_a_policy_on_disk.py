"""The evidence report reads each component's approvals as the commit it names holds them (an
entry staged or on disk counts for nothing), but judges them by the policy on disk: a
``change_control.approval`` section edited and not committed (``forbid_self_approval: false``)
makes the report call an owner's approval of her own weights valid for a commit whose policy
refuses it, and nothing in the report says the policy is not the commit's. Attack round 9; real
git repository, the real CLI."""

from __future__ import annotations

import json

from testing.gitrepo import GitRepo

from tests.change.conftest import ALICE, BOB, POLICY, approve


def _evidence(run_cli, repo: GitRepo) -> dict:
    shown = run_cli(
        "evidence",
        *("--framework", "eu-ai-act-high-risk", "--format", "json", "--as-of", "2026-12-01"),
        cwd=repo.path,
    )
    assert shown.exit_code == 0, shown.err
    return json.loads(shown.out)


def test_an_uncommitted_policy_approves_the_commits_self_approval(
    credit_repo: GitRepo, run_cli
) -> None:
    credit_repo.write({"models/credit/model.onnx": b"weights-v2\n"})
    credit_repo.commit("retrain", author=ALICE)
    approve(run_cli, credit_repo, "models/credit", "--by", "@alice")  # her own weights
    credit_repo.commit("record the approval", author=BOB)
    (component,) = _evidence(run_cli, credit_repo)["components"]
    assert component["approval"]["approved"] is False  # the commit's policy refuses it

    loose = "change_control:\n  approval:\n    forbid_self_approval: false\n"
    (credit_repo.path / "roadworthy.yaml").write_text(POLICY + loose)  # not committed
    doc = _evidence(run_cli, credit_repo)
    assert doc["commit"] == credit_repo.head
    (component,) = doc["components"]
    # Judged by the commit's policy, or the report says the policy it used is not committed.
    said = "roadworthy.yaml" in json.dumps(doc) and "not committed" in json.dumps(doc)
    assert component["approval"]["approved"] is False or said, component["approval"]

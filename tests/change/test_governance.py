"""Tamper-proof policies, ledgers, governance approvals, signatures, removals."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from tests.change.conftest import ALICE, BOB, MALLORY, POLICY, approve, base_files, card, codes

WEAKENED = (
    POLICY
    + """\
rules:
  RW104: {enabled: false}
  RW201: {severity: warning}
waivers:
  - id: skip-rollback
    rules: [RW103]
    component: credit
    owner: "@mallory"
    reason: rollback plan moves to the wiki
    expires: 2027-06-30
"""
)


def test_weakened_policy_and_self_granted_waiver_in_one_range(credit_repo, judge):
    credit_repo.write({"roadworthy.yaml": WEAKENED})
    credit_repo.git("rm", "-q", "models/credit/ROLLBACK.md")
    credit_repo.commit("relax the rules", author=MALLORY)
    _, found = judge(credit_repo)
    messages = [m for c, _, m in found if c == "RW406"]
    assert "policy weakened: rule RW104 missing-runbook disabled" in messages
    assert (
        "policy weakened: rule RW201 model-card-missing-section: severity lowered from error to warning"
        in messages
    )
    assert any(
        m.startswith("policy weakened: waiver skip-rollback added (RW103 for credit")
        for m in messages
    )
    self_granted = [m for c, _, m in found if c == "RW408"]
    assert self_granted == [
        "waiver skip-rollback is added by the change it excuses: RW103 missing-rollback-plan for credit"
    ]
    # The base policy stays in force: the rollback plan is still required, the waiver does not apply.
    assert "RW103" in codes(found) and "RW402" in codes(found)
    assert "RW407" in codes(found)  # and the policy change itself needs a governance approval


def test_a_policy_that_no_longer_loads_is_a_finding_not_an_exit(credit_repo, judge):
    credit_repo.write({"roadworthy.yaml": POLICY + "rules:\n  RW104: {enabled: maybe}\n"})
    credit_repo.commit("typo", author=MALLORY)
    code, found = judge(credit_repo)
    assert code == 1
    rw406 = [m for c, _, m in found if c == "RW406"]
    assert rw406 and "does not load" in rw406[0] and "base policy stays in force" in rw406[0]


def test_governance_change_approved_through_the_cli(credit_repo, judge, run_cli):
    stricter = POLICY + "rules:\n  RW204: {severity: error}\n"
    credit_repo.write({"roadworthy.yaml": stricter})
    credit_repo.commit("stricter", author=MALLORY)
    _, found = judge(credit_repo)
    assert codes(found) == ["RW407"]
    out = approve(run_cli, credit_repo, "--governance", "--by", "@bob")
    assert "APPROVALS.yaml: approval 1 appended" in out
    credit_repo.commit("governance approval", author=BOB)
    assert judge(credit_repo) == (0, [])


def test_governance_approval_by_a_non_owner_fails(credit_repo, judge, run_cli):
    credit_repo.write({"roadworthy.yaml": POLICY + "fail_on: warning\n"})
    credit_repo.commit("stricter", author=MALLORY)
    approve(run_cli, credit_repo, "--governance", "--by", "@mallory")
    credit_repo.commit("approve myself", author=MALLORY)
    _, found = judge(credit_repo)
    assert codes(found) == ["RW407"]
    assert "approver not an owner: @mallory" in found[0][2]


def test_ledger_entries_are_append_only(credit_repo, judge, run_cli):
    credit_repo.write(
        {
            "models/credit/model.onnx": b"v2\n",
            "models/credit/MODEL_CARD.md": card("1.1.0", extra="x"),
        }
    )
    credit_repo.commit("retrain", author=MALLORY)
    approve(run_cli, credit_repo, "credit", "--by", "@alice", "--ticket", "CHG-7")
    credit_repo.commit("approve", author=ALICE)
    credit_repo.git("branch", "-f", "base")
    ledger = credit_repo.path / "models/credit/APPROVALS.yaml"
    ledger.write_text(ledger.read_text().replace("CHG-7", "CHG-8"))
    credit_repo.commit("rewrite history", author=MALLORY)
    _, found = judge(credit_repo)
    assert codes(found) == ["RW409"]
    assert found[0][1] == "models/credit/APPROVALS.yaml"
    assert "entry 1 (@alice on 2026-11-21) was edited" in found[0][2]


def test_approve_keeps_comments_of_an_existing_ledger(credit_repo, run_cli):
    ledger = (
        "# Credit approvals: ask #ml-governance first.\n- approved_by: ['@bob']  # Q2 model\n  digest: sha256:"
        + "0" * 64
        + "\n  at: '2026-05-01'\n"
    )
    credit_repo.write({"models/credit/APPROVALS.yaml": ledger})
    credit_repo.add_all()
    approve(run_cli, credit_repo, "credit", "--by", "@alice", "--note", "new weights")
    text = (credit_repo.path / "models/credit/APPROVALS.yaml").read_text()
    assert text.startswith(ledger)
    assert (
        "- approved_by: ['@alice']\n  note: new weights\n  version: 1.0.0\n  digest: sha256:"
        in text
    )


def test_approve_refuses_unstaged_material_changes(credit_repo, run_cli):
    (credit_repo.path / "models/credit/model.onnx").write_bytes(b"not staged\n")
    result = run_cli("approve", "credit", "--by", "@alice", cwd=credit_repo.path)
    assert result.exit_code == 2
    assert "models/credit/model.onnx has unstaged changes" in result.err
    assert not (credit_repo.path / "models/credit/APPROVALS.yaml").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    (
        pytest.param(("nosuch", "--by", "@alice"), "no component 'nosuch'", id="unknown-component"),
        pytest.param(("credit", "--by", "alice"), "is not a handle", id="bad-handle"),
        pytest.param(("--by", "@alice"), "name the component", id="no-component"),
    ),
)
def test_approve_usage_errors(credit_repo, run_cli, args, message):
    result = run_cli("approve", *args, cwd=credit_repo.path)
    assert result.exit_code == 2 and message in result.err


def test_removed_component_needs_a_removal_approval(credit_repo, judge, run_cli):
    credit_repo.git("rm", "-q", "-r", "models/credit")
    credit_repo.commit("retire the credit model", author=MALLORY)
    _, found = judge(credit_repo)
    assert codes(found) == ["RW401"]
    assert "component models/credit removed" in found[0][2]
    approve(run_cli, credit_repo, "models/credit", "--by", "@alice")
    credit_repo.commit("approve removal", author=ALICE)
    assert judge(credit_repo) == (0, [])


def test_policy_ref_chooses_the_policy_in_force(credit_repo, judge):
    credit_repo.write({"roadworthy.yaml": POLICY + "rules:\n  RW405: {enabled: false}\n"})
    credit_repo.commit("no co-change rule", author=ALICE)
    credit_repo.git("branch", "relaxed")
    credit_repo.git("branch", "-f", "base")
    credit_repo.write({"models/credit/model.onnx": b"v2\n"})
    credit_repo.commit("weights only", author=MALLORY)
    _, with_base = judge(credit_repo)
    assert "RW405" not in codes(with_base)  # the base (relaxed) policy is in force
    _, with_ref = judge(credit_repo, "--diff", "base", "--policy-ref", "relaxed~1")
    assert "RW405" in codes(with_ref)


# -- signatures ---------------------------------------------------------------

pytestmark_ssh = pytest.mark.skipif(
    shutil.which("ssh-keygen") is None, reason="ssh-keygen not installed"
)


def _key(tmp_path, name: str, email: str) -> tuple[str, str]:
    key = tmp_path / name
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", email, "-f", str(key)], check=True
    )
    public = (tmp_path / f"{name}.pub").read_text().split()
    return str(key), f'{email} namespaces="git" {public[0]} {public[1]}\n'


SIGNED_POLICY = (
    POLICY
    + """\
change_control:
  approval: {verify: signature, allowed_signers: .github/allowed_signers}
"""
)


@pytestmark_ssh
@pytest.mark.parametrize(
    ("signer", "sign", "expected"),
    (
        pytest.param("alice", True, [], id="signed-by-the-approver"),
        pytest.param("alice", False, ["unverified signature"], id="unsigned"),
        pytest.param("mallory", True, ["unverified"], id="signed-by-a-key-not-allowed"),
    ),
)
def test_signature_trust_level(make_repo, judge, run_cli, tmp_path, signer, sign, expected):
    alice_key, alice_line = _key(tmp_path, "alice", "alice@example.com")
    mallory_key, _ = _key(tmp_path, "mallory", "mallory@example.com")
    files = base_files()
    files["roadworthy.yaml"] = SIGNED_POLICY
    files[".github/allowed_signers"] = alice_line
    repo = make_repo(files)
    repo.git("branch", "base")
    repo.write(
        {
            "models/credit/model.onnx": b"v2\n",
            "models/credit/MODEL_CARD.md": card("1.1.0", extra="x"),
        }
    )
    repo.commit("retrain", author=MALLORY)
    approve(run_cli, repo, "credit", "--by", "@alice")
    key = alice_key if signer == "alice" else mallory_key
    flags = ("-S",) if sign else ()
    repo.git("config", "gpg.format", "ssh")
    repo.git("config", "user.signingkey", key)
    repo.commit("signed approval", author=ALICE, extra_args=flags)
    _, found = judge(repo)
    reasons = " ".join(m for c, _, m in found if c == "RW401")
    if not expected:
        assert found == []
    for text in expected:
        assert text in reasons


@pytestmark_ssh
def test_a_change_cannot_allow_its_own_signing_key(make_repo, judge, run_cli, tmp_path):
    alice_key, alice_line = _key(tmp_path, "alice", "alice@example.com")
    _, mallory_line = _key(tmp_path, "mallory", "mallory@example.com")
    files = base_files()
    files["roadworthy.yaml"] = SIGNED_POLICY
    files[".github/allowed_signers"] = mallory_line  # alice's key is not allowed at the base
    repo = make_repo(files)
    repo.git("branch", "base")
    repo.write(
        {
            "models/credit/model.onnx": b"v2\n",
            "models/credit/MODEL_CARD.md": card("1.1.0", extra="x"),
            ".github/allowed_signers": alice_line,
        }
    )
    repo.commit("retrain and allow my key", author=MALLORY)
    approve(run_cli, repo, "credit", "--by", "@alice")
    repo.git("config", "gpg.format", "ssh")
    repo.git("config", "user.signingkey", alice_key)
    repo.commit("signed approval", author=ALICE, extra_args=("-S",))
    _, found = judge(repo)
    assert any("unverified signature" in m for c, _, m in found if c == "RW401")


def test_a_policy_file_named_with_policy_is_read_at_the_base(make_repo, judge):
    files = base_files()
    files["governance/ml.yaml"] = POLICY
    del files["roadworthy.yaml"]
    repo = make_repo(files)
    repo.git("branch", "base")
    repo.write(
        {
            "governance/ml.yaml": POLICY + "rules:\n  RW405: {enabled: false}\n",
            "models/credit/model.onnx": b"v2\n",
        }
    )
    repo.commit("weights, and relax the rule that would catch it", author=MALLORY)
    _, found = judge(repo, "--diff", "base", "--policy", "governance/ml.yaml")
    assert "RW405" in codes(found)  # the base's version of the file is in force
    assert any(
        "rule RW405 model-changed-without-card-update disabled" in m
        for c, _, m in found
        if c == "RW406"
    )


def test_a_policy_file_missing_at_the_base_is_a_usage_error(credit_repo, run_cli):
    credit_repo.write({"draft.yaml": POLICY})
    credit_repo.commit("draft policy", author=MALLORY)
    result = run_cli("check", "--diff", "base", "--policy", "draft.yaml", cwd=credit_repo.path)
    assert result.exit_code == 2 and "draft.yaml: not in" in result.err


def test_dropping_a_components_include_is_a_weakening(make_repo, judge):
    from tests.change.conftest import POLICY, base_files

    files = base_files()
    files["roadworthy.yaml"] = POLICY + "components:\n  include: ['examples/**']\n"
    repo = make_repo(files)
    repo.git("branch", "base")
    repo.write({"roadworthy.yaml": POLICY})
    repo.commit("tidy the policy", author=MALLORY)
    _, found = judge(repo)
    messages = [m for c, _, m in found if c == "RW406"]
    assert "policy weakened: components.include 'examples/**' removed" in messages, found


def test_dropping_a_stages_required_rule_is_a_weakening(make_repo, judge):
    from tests.change.conftest import POLICY, base_files

    files = base_files()
    required = "stages:\n  autonomous:\n    requires: [RW103, RW104]\n"
    files["roadworthy.yaml"] = POLICY + required
    repo = make_repo(files)
    repo.git("branch", "base")
    # RW104 dropped but for high-risk components, which lose RW103 instead (a risk's own
    # `requires` replaces the stage's); advisory gains one, which weakens nothing.
    changed = (
        "stages:\n  advisory: {requires: [RW101]}\n  autonomous:\n    requires: [RW103]\n"
        "    for_risk: {high: {requires: [RW104]}}\n"
    )
    repo.write({"roadworthy.yaml": POLICY + changed})
    repo.commit("fewer requirements", author=MALLORY)
    _, found = judge(repo)
    messages = [m for c, _, m in found if c == "RW406" and "stages" in m]
    assert messages == [
        "policy weakened: stages.autonomous.requires no longer includes RW103 for risk high",
        "policy weakened: stages.autonomous.requires no longer includes RW104 for risk minimal, "
        "limited",
    ], found


def test_loosened_stage_criteria_and_readiness_are_weakenings(make_repo, judge):
    from tests.change.conftest import POLICY, base_files

    files = base_files()
    gates = (
        "stages:\n"
        "  supervised:\n"
        "    evaluation: {metrics: {auc: '>= 0.85', recall: '>= 0.80', latency_ms: '< 200',"
        " drift: '== 0'}, min_samples: 1000, window_days: 30}\n"
        "    for_risk:\n"
        "      high: {evaluation: {metrics: {auc: '>= 0.90'}, window_days: 60}}\n"
        "readiness: {max_yellow: 1, signoff: {approvers: ['@acme/risk']}}\n"
    )
    files["roadworthy.yaml"] = POLICY + gates
    repo = make_repo(files)
    repo.git("branch", "base")
    # Tightened (auc for most risks, latency a strict bound kept) and loosened side by side.
    changed = (
        "stages:\n"
        "  supervised:\n"
        "    evaluation: {metrics: {auc: '>= 0.88', recall: '> 0.70', latency_ms: '< 250',"
        " drift: '<= 0'}, min_samples: 1000}\n"
        "    for_risk:\n"
        "      high: {evaluation: {metrics: {auc: '> 0.90'}, window_days: 90}}\n"
        "readiness: {max_yellow: 2, signoff: {approvers: ['@acme/risk', '@mallory']}}\n"
    )
    repo.write({"roadworthy.yaml": POLICY + changed})
    repo.commit("looser gates", author=MALLORY)
    _, found = judge(repo)
    messages = [m for c, _, m in found if c == "RW406" and ("stages" in m or "readiness" in m)]
    # A risk's own criteria add to the stage's: drift, latency and recall loosen for every risk.
    assert messages == [
        "policy weakened: stages.supervised.evaluation: metric drift loosened from == 0 to <= 0",
        "policy weakened: stages.supervised.evaluation: metric latency_ms loosened from < 200 "
        "to < 250",
        "policy weakened: stages.supervised.evaluation: metric recall loosened from >= 0.80 "
        "to > 0.70",
        "policy weakened: stages.supervised.evaluation: window_days lowered from 30 to (unset) "
        "for risk minimal, limited",
        "policy weakened: readiness.max_yellow raised from 1 to 2",
        "policy weakened: readiness.signoff.approvers now include @mallory",
    ], found


def test_tightened_stage_criteria_are_no_weakening(make_repo, judge):
    from tests.change.conftest import POLICY, base_files

    files = base_files()
    files["roadworthy.yaml"] = POLICY + (
        "stages:\n  advisory: {evaluation: {metrics: {auc: '>= 0.80', loss: '<= 0.3'}}}\n"
    )
    repo = make_repo(files)
    repo.git("branch", "base")
    repo.write(
        {
            "roadworthy.yaml": POLICY
            + "stages:\n  advisory: {evaluation: {metrics: {auc: '> 0.80', loss: '== 0.2',"
            " f1: '>= 0.5'}, min_samples: 10}}\nreadiness: {max_yellow: 0}\n"
        }
    )
    repo.commit("stricter gates", author=MALLORY)
    _, found = judge(repo)
    assert [m for c, _, m in found if c == "RW406"] == [], found


def test_a_policy_outside_the_repository_is_not_compared_with_the_repositorys_own(
    credit_repo, judge, tmp_path
):
    # An organisation's policy given by absolute path is in force as it is on disk: a change
    # cannot edit it, so there is no "policy as the change leaves it" to compare with. The
    # repository's own (weaker or different) policy is not in force and weakens nothing.
    external = tmp_path / "org-policy.yaml"
    external.write_text(POLICY + "rules:\n  RW104: {enabled: false}\n")
    credit_repo.write({"models/credit/train.yaml": "hyperparameters:\n  lr: 0.02\n"})
    credit_repo.commit("tune", author=ALICE)
    _, found = judge(credit_repo, "--diff", "base", "--policy", str(external))
    assert "RW406" not in codes(found), found
    # The repository's own policy, changed by the change, is still not what is in force.
    credit_repo.write({"roadworthy.yaml": POLICY + "rules:\n  RW101: {enabled: false}\n"})
    credit_repo.commit("relax the repository's copy", author=ALICE)
    _, found = judge(credit_repo, "--diff", "base", "--policy", str(external))
    assert "RW406" not in codes(found), found

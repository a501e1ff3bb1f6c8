"""``roadworthy approve COMPONENT --signoff`` and the sign-off it leaves, on real git
repositories through the CLI (the golden cases in tests/cases/RW411-* cover the check)."""

from __future__ import annotations

import json

import pytest

POLICY = """version: 1
extends: [recommended]
readiness:
  max_yellow: 1
  signoff: {approvers: ["@cro", "@acme/fraud"]}
"""
CARD = """---
version: 1.0.0
last_reviewed: 2025-06-01
stage: shadow
owners: ["@acme/fraud"]
---
# Fraud

## Intended use
Flags transactions.

## Limitations
None known.

## Training data
2025 chargebacks.

## Evaluation
AUC 0.9.

See [features](features.md).
"""
FILES = {
    "roadworthy.yaml": POLICY,
    "m/model.onnx": "weights",
    "m/MODEL_CARD.md": CARD,
    "m/data_contract.yaml": "apiVersion: v3.0.2\nkind: DataContract\nid: x\nversion: 1.0.0\n"
    "status: active\n",
    "CODEOWNERS": "/m/ @acme/fraud\n",
}


def _verdict(run_cli, path, day: str) -> tuple[str, list[str]]:
    doc = json.loads(run_cli("check", "--as-of", day, "--format", "json", cwd=path).out)
    return doc["components"][0]["gate"]["verdict"], sorted(f["code"] for f in doc["findings"])


def test_signoff_accepts_the_warnings_and_survives_later_days(
    make_repo, run_cli, monkeypatch
) -> None:
    repo = make_repo(FILES)
    assert _verdict(run_cli, repo.path, "2026-12-01") == ("blocked", ["RW204", "RW206", "RW411"])
    monkeypatch.setenv("ROADWORTHY_TODAY", "2026-12-01")
    result = run_cli("approve", "m", "--signoff", "--by", "@cro", cwd=repo.path)
    assert result.exit_code == 0, result.err
    assert result.out.startswith("m/APPROVALS.yaml: sign-off 1 appended (sha256:")
    assert "accepting 2 warnings" in result.out
    repo.commit("sign-off")
    # The stale card's age grows every day; what was accepted does not change.
    for day in ("2026-12-01", "2027-02-15"):
        assert _verdict(run_cli, repo.path, day) == ("ready with sign-off", ["RW204", "RW206"])


@pytest.mark.parametrize(
    ("by", "message"),
    (
        pytest.param(
            "@acme/fraud",
            "self-sign-off refused: @acme/fraud owns m; a sign-off comes from a sign-off "
            "approver who does not own the component",
            id="self-sign-off",
        ),
        pytest.param(
            "@mallory",
            "@mallory is not a sign-off approver (readiness.signoff.approvers: @cro, @acme/fraud)",
            id="not-an-approver",
        ),
    ),
)
def test_signoff_refused(make_repo, run_cli, by: str, message: str) -> None:
    repo = make_repo(FILES)
    result = run_cli("approve", "m", "--signoff", "--by", by, cwd=repo.path)
    assert (result.exit_code, result.err) == (2, f"roadworthy: {message}\n")
    assert not (repo.path / "m/APPROVALS.yaml").exists()


def test_signoff_needs_warnings_and_approvers(make_repo, run_cli) -> None:
    repo = make_repo({**FILES, "m/MODEL_CARD.md": CARD.replace("2025-06-01", "2026-11-01")})
    repo.write({"m/features.md": "# Features\n"})
    repo.commit("no warnings")
    result = run_cli("approve", "m", "--signoff", "--by", "@cro", cwd=repo.path)
    assert result.err == "roadworthy: m has no warnings to accept\n"
    repo.write({"roadworthy.yaml": "version: 1\nextends: [recommended]\n"})
    result = run_cli("approve", "m", "--signoff", "--by", "@cro", cwd=repo.path)
    assert result.err == (
        "roadworthy: the policy names no sign-off approvers (readiness.signoff.approvers)\n"
    )


def test_signoff_names_one_component(run_cli, tmp_path) -> None:
    result = run_cli("approve", "--signoff", "--by", "@cro", cwd=tmp_path)
    assert (result.exit_code, result.err) == (
        2,
        "roadworthy: --signoff accepts one component's warnings: name the component\n",
    )


def test_a_signoff_is_not_an_approval_of_material_changes(make_repo, run_cli, monkeypatch) -> None:
    repo = make_repo(FILES)
    monkeypatch.setenv("ROADWORTHY_TODAY", "2026-12-01")
    run_cli("approve", "m", "--signoff", "--by", "@cro", cwd=repo.path)
    repo.write({"m/model.onnx": "new weights"})
    repo.commit("weights and sign-off")
    out = run_cli("check", "--diff", "HEAD~1", cwd=repo.path).out
    assert "RW401 unapproved-material-change" in out
    assert "no approval: m/APPROVALS.yaml has no entry" in out

"""Waivers: time-boxed exceptions; expired → RW003 error, expiring → RW003 warning, unused → RW002.

Today is pinned to 2026-11-21 (tests/conftest.py).
"""

from __future__ import annotations

import json

import pytest

W = "placeholder weights\n"
CARD = (
    "---\nversion: '1.0.0'\nlast_reviewed: 2026-10-01\nstage: advisory\nowners: ['@acme/ml']\n---\n"
    "## Intended use\nRanking.\n## Limitations\nEnglish only.\n"
    "## Training data\nClick logs.\n## Evaluation\nNDCG 0.41.\n"
)
CONTRACT = "apiVersion: v3.0.2\nkind: DataContract\nid: clicks\nversion: 1.0.0\nstatus: active\n"
# An advisory component whose only gap is its runbook (RW104).
FILES = {
    "models/ranker/model.onnx": W,
    "models/ranker/MODEL_CARD.md": CARD,
    "models/ranker/data_contract.yaml": CONTRACT,
}
RW104 = ("RW104", "models/ranker/model.onnx", 1)


def waiver(**fields) -> str:
    base = {
        "rules": ["RW104"],
        "component": "ranker",
        "owner": "@acme/ml",
        "reason": "runbook moves to the SRE portal, INC-4411",
        "expires": "2027-01-31",
    }
    base.update(fields)
    return json.dumps({k: v for k, v in base.items() if v is not None})


def policy(*waivers: str) -> str:
    text = "version: 1\nextends: [recommended]\nwaivers:\n"
    return text + "".join(f"  - {w}\n" for w in waivers)


def run(make_repo, run_cli, *waivers: str, files=None):
    repo = make_repo({**(files or FILES), "roadworthy.yaml": policy(*waivers)})
    result = run_cli("check", "--format", "json", cwd=repo.path)
    assert result.exit_code in (0, 1), result.err
    report = json.loads(result.out)
    active = [(f["code"], f["path"], f["line"]) for f in report["findings"] if not f["waived_by"]]
    waived = [(f["code"], f["waived_by"]) for f in report["findings"] if f["waived_by"]]
    return result.exit_code, active, waived, report


def test_without_a_waiver(make_repo, run_cli):
    repo = make_repo(FILES)
    result = run_cli("check", "--format", "json", cwd=repo.path)
    assert [f["code"] for f in json.loads(result.out)["findings"]] == ["RW104"]


@pytest.mark.parametrize(
    "fields",
    (
        pytest.param({}, id="code-and-component"),
        pytest.param({"rules": ["missing-runbook"]}, id="rule-name"),
        pytest.param({"rules": ["RW103", "RW104"]}, id="one-of-several-rules"),
        pytest.param({"component": None, "paths": ["models/**"]}, id="paths-folder-glob"),
        pytest.param({"component": None, "paths": ["models/ranker"]}, id="paths-component"),
        pytest.param(
            {"component": None, "paths": ["models/ranker/model.onnx"]}, id="paths-finding-file"
        ),
        pytest.param({"paths": ["models/*"]}, id="component-and-paths"),
    ),
)
def test_waiver_applies(make_repo, run_cli, fields):
    code, active, waived, _ = run(make_repo, run_cli, waiver(id="w", **fields))
    assert (code, active, waived) == (0, [], [("RW104", "w")])


@pytest.mark.parametrize(
    "fields",
    (
        pytest.param({"component": "fraud"}, id="other-component"),
        pytest.param({"rules": ["RW103"]}, id="other-rule"),
        pytest.param({"component": None, "paths": ["services/**"]}, id="other-paths"),
        pytest.param({"paths": ["services/**"]}, id="component-but-other-paths"),
    ),
)
def test_waiver_does_not_apply_and_is_unused(make_repo, run_cli, fields):
    code, active, waived, _ = run(make_repo, run_cli, waiver(id="w", **fields))
    assert code == 1
    assert active == [RW104, ("RW002", "roadworthy.yaml", 4)]
    assert waived == []


@pytest.mark.parametrize(
    ("expires", "expected_codes", "still_waived"),
    (
        pytest.param("2026-11-20", ["RW104", "RW003"], False, id="expired-yesterday"),
        pytest.param("2025-01-01", ["RW104", "RW003"], False, id="expired-long-ago"),
        pytest.param("2026-11-21", ["RW003"], True, id="expires-today"),
        pytest.param("2026-12-05", ["RW003"], True, id="in-14-days"),
        pytest.param("2026-12-06", [], True, id="in-15-days"),
    ),
)
def test_expiry(make_repo, run_cli, expires, expected_codes, still_waived):
    code, active, waived, report = run(make_repo, run_cli, waiver(id="w", expires=expires))
    assert [c for c, _, _ in active] == expected_codes
    assert (waived == [("RW104", "w")]) is still_waived
    severities = {f["code"]: f["severity"] for f in report["findings"]}
    if "RW003" in expected_codes:
        assert severities["RW003"] == ("warning" if still_waived else "error")
        rw003 = next(f for f in report["findings"] if f["code"] == "RW003")
        assert (rw003["path"], rw003["line"], rw003["component"]) == (
            "roadworthy.yaml",
            4,
            "ranker",
        )
    assert code == (1 if "RW104" in expected_codes else 0)


def test_expired_waiver_is_not_also_unused(make_repo, run_cli):
    _, active, _, _ = run(
        make_repo, run_cli, waiver(id="w", component="fraud", expires="2026-01-01")
    )
    assert [c for c, _, _ in active] == ["RW104", "RW003"]


def test_expiring_and_unused(make_repo, run_cli):
    _, active, _, _ = run(
        make_repo, run_cli, waiver(id="w", component="fraud", expires="2026-11-30")
    )
    assert sorted(c for c, _, _ in active) == ["RW002", "RW003", "RW104"]


def test_waiver_without_id_is_named_by_position(make_repo, run_cli):
    _, _, waived, _ = run(make_repo, run_cli, waiver(rules=["RW103"]), waiver())
    assert waived == [("RW104", "waivers[1]")]


def test_waived_findings_are_hidden_in_text_but_counted(make_repo, run_cli):
    repo = make_repo({**FILES, "roadworthy.yaml": policy(waiver(id="w"))})
    result = run_cli("check", cwd=repo.path)
    assert result.exit_code == 0
    assert result.out == ""
    assert "1 waived" in result.err


def test_waiver_for_a_repository_level_finding(make_repo, run_cli):
    files = {
        **FILES,
        "models/ranker/RUNBOOK.md": "# Runbook\n## Alerts\nPages.\n## Escalation\nOn-call.\n",
        "CODEOWNERS": "/models/ @acme/ml\n!/models/old/\n",
    }
    w = waiver(id="w", rules=["RW302"], component=None, paths=["CODEOWNERS"])
    code, active, waived, _ = run(make_repo, run_cli, w, files=files)
    assert (code, active, waived) == (0, [], [("RW302", "w")])


def test_waiver_for_a_repository_level_finding_by_component_does_not_apply(make_repo, run_cli):
    files = {
        **FILES,
        "models/ranker/RUNBOOK.md": "# Runbook\n## Alerts\nPages.\n## Escalation\nOn-call.\n",
        "CODEOWNERS": "/models/ @acme/ml\n!/models/old/\n",
    }
    _, active, waived, _ = run(make_repo, run_cli, waiver(id="w", rules=["RW302"]), files=files)
    assert [c for c, _, _ in active] == ["RW302", "RW002"]
    assert waived == []


def test_rw002_can_be_disabled(make_repo, run_cli):
    text = policy(waiver(component="fraud")) + "rules:\n  RW002: {enabled: false}\n"
    repo = make_repo({**FILES, "roadworthy.yaml": text})
    result = run_cli("check", "--format", "json", cwd=repo.path)
    assert [f["code"] for f in json.loads(result.out)["findings"]] == ["RW104"]


def test_rw002_severity_can_be_raised(make_repo, run_cli):
    files = {
        **FILES,
        "models/ranker/RUNBOOK.md": "# Runbook\n## Alerts\nPages.\n## Escalation\nOn-call.\n",
    }
    text = policy(waiver(component="fraud")) + "rules:\n  RW002: {severity: error}\n"
    repo = make_repo({**files, "roadworthy.yaml": text})
    assert run_cli("check", cwd=repo.path).exit_code == 1


def test_waiver_in_an_extended_policy_points_there(make_repo, run_cli):
    org = (
        "version: 1\nextends: [recommended]\nwaivers:\n  - "
        + waiver(id="w", component="fraud")
        + "\n"
    )
    files = {**FILES, "org.yaml": org, "roadworthy.yaml": "version: 1\nextends: [org.yaml]\n"}
    repo = make_repo(files)
    result = run_cli("check", "--format", "json", cwd=repo.path)
    rw002 = [
        (f["path"], f["line"]) for f in json.loads(result.out)["findings"] if f["code"] == "RW002"
    ]
    assert rw002 == [("org.yaml", 4)]


def test_readiness_ignores_waived_findings(make_repo, run_cli):
    _, _, _, report = run(make_repo, run_cli, waiver(id="w"))
    assert report["components"][0]["readiness"]["operations"] == "green"
    assert report["summary"]["waived"] == 1
    assert report["summary"]["verdict"] == "green"

"""Adopting roadworthy on an existing repository: ``check --write-baseline`` records today's
findings, ``--baseline`` or the policy's ``baseline`` key excuses them, and only new findings
fail. Real CLI, real git repositories."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

ROOT = Path(__file__).resolve().parents[2]
REPORT_SCHEMA = json.loads((ROOT / "src/roadworthy/schemas/report.schema.json").read_text())
W = "placeholder weights\n"
CARD = (
    "---\nversion: '1.0.0'\nlast_reviewed: 2025-01-01\nstage: shadow\nowners: ['@acme/ml']\n---\n"
    "## Intended use\nRanking.\n## Limitations\nEnglish only.\n"
    "## Training data\nClick logs.\n## Evaluation\nNDCG 0.41.\n"
)
CONTRACT = "apiVersion: v3.0.2\nkind: DataContract\nid: clicks\nversion: 1.0.0\nstatus: active\n"
POLICY = "version: 1\nextends: [recommended]\nbaseline: .roadworthy/baseline.json\n"


def legacy() -> dict[str, str]:
    """Two components with findings today: a, bare; c, a card a year old (RW204, a warning)."""
    return {
        "a/model.onnx": W,
        "c/model.onnx": W,
        "c/MODEL_CARD.md": CARD,
        "c/datacontract.yaml": CONTRACT,
    }


def test_recorded_findings_pass_and_new_ones_fail(make_repo, run_cli):
    repo = make_repo(legacy())
    written = run_cli("check", "--write-baseline", "baseline.json", cwd=repo.path)
    assert written.exit_code == 0
    assert written.out == ""
    assert "recorded 6 findings in baseline.json" in written.err
    again = run_cli("check", "--baseline", "baseline.json", cwd=repo.path)
    assert again.exit_code == 0
    assert again.out == ""
    assert again.err.endswith(
        "0 findings (0 errors, 0 warnings) in 2 components, 6 in the baseline\n"
    )
    repo.write({"b/model.onnx": W})
    repo.commit("a new model")
    new = run_cli("check", "--baseline", "baseline.json", cwd=repo.path)
    assert new.exit_code == 1
    assert {line.split(":")[0] for line in new.out.splitlines() if not line.startswith(" ")} == {
        "b/model.onnx"
    }


def test_the_file_is_sorted_json_a_finding_a_line(make_repo, run_cli):
    repo = make_repo(legacy())
    run_cli("check", "--write-baseline", "baseline.json", cwd=repo.path)
    text = (repo.path / "baseline.json").read_text()
    data = json.loads(text)
    assert data["version"] == 1
    rows = data["findings"]
    assert [r["code"] for r in rows] == ["RW101", "RW102", "RW103", "RW104", "RW301", "RW204"]
    assert rows[0] == {
        "code": "RW101",
        "component": "a",
        "path": "a/model.onnx",
        "message": rows[0]["message"],
    }
    assert text.count("\n") == len(rows) + 5  # braces, version, findings' brackets


def test_a_finding_whose_numbers_moved_is_still_recorded(make_repo, run_cli, monkeypatch):
    repo = make_repo(legacy())
    monkeypatch.setenv("ROADWORTHY_TODAY", "2026-03-01")
    run_cli("check", "--write-baseline", "baseline.json", cwd=repo.path)
    monkeypatch.setenv("ROADWORTHY_TODAY", "2026-06-01")  # the card is 92 days staler
    later = run_cli("check", "--fail-on", "warning", "--baseline", "baseline.json", cwd=repo.path)
    assert later.exit_code == 0, later.out


def test_each_record_excuses_one_finding(make_repo, run_cli):
    repo = make_repo(legacy())
    run_cli("check", "--write-baseline", "baseline.json", cwd=repo.path)
    data = json.loads((repo.path / "baseline.json").read_text())
    data["findings"] = [r for r in data["findings"] if r["code"] != "RW301"]
    (repo.path / "baseline.json").write_text(json.dumps(data))
    result = run_cli("check", "--baseline", "baseline.json", cwd=repo.path)
    assert result.exit_code == 1
    assert [line.split()[2] for line in result.out.splitlines() if not line.startswith(" ")] == [
        "RW301"
    ]


def test_the_policy_key_and_the_json_report(make_repo, run_cli):
    repo = make_repo({**legacy(), "roadworthy.yaml": POLICY})
    run_cli("check", "--write-baseline", ".roadworthy/baseline.json", cwd=repo.path)
    result = run_cli("check", "--format", "json", cwd=repo.path)
    assert result.exit_code == 0
    report = json.loads(result.out)
    Draft202012Validator(REPORT_SCHEMA).validate(report)
    assert {f["waived_by"] for f in report["findings"]} == {"baseline"}
    assert report["summary"]["baselined"] == 6
    assert {c["readiness"]["governance"] for c in report["components"]} == {"green"}


def test_a_missing_baseline_the_policy_names_is_a_usage_error(make_repo, run_cli):
    result = run_cli("check", cwd=make_repo({**legacy(), "roadworthy.yaml": POLICY}).path)
    assert result.exit_code == 2
    assert "roadworthy.yaml:3:1: baseline .roadworthy/baseline.json: no such file" in result.err


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param('{"version": 1,\n "findings": [', "b.json:2: baseline: not JSON", id="json"),
        pytest.param("[]", "b.json:1: baseline: not a roadworthy baseline", id="not-a-baseline"),
        pytest.param(
            '{"version": 1, "findings": [{"code": "RW101"}]}',
            "b.json:1: baseline: findings[0] needs 'code', 'path' and 'message' strings",
            id="row",
        ),
    ],
)
def test_a_broken_baseline_is_a_usage_error_at_its_line(make_repo, run_cli, text, expected):
    result = run_cli(
        "check", "--baseline", "b.json", cwd=make_repo({**legacy(), "b.json": text}).path
    )
    assert result.exit_code == 2
    assert expected in result.err
    assert "Traceback" not in result.err


def test_a_baseline_outside_the_repository_is_a_policy_error(make_repo, run_cli):
    policy = "version: 1\nextends: [recommended]\nbaseline: ../elsewhere.json\n"
    result = run_cli("check", cwd=make_repo({**legacy(), "roadworthy.yaml": policy}).path)
    assert result.exit_code == 2
    assert "roadworthy.yaml:3" in result.err and "not a file of the repository" in result.err


def test_write_baseline_records_the_repository_not_a_change(make_repo, run_cli):
    result = run_cli(
        "check", "--diff", "HEAD", "--write-baseline", "b.json", cwd=make_repo(legacy()).path
    )
    assert result.exit_code == 2


def test_changing_the_baseline_is_a_governance_change(make_repo, run_cli):
    repo = make_repo({**legacy(), "roadworthy.yaml": POLICY})
    run_cli("check", "--write-baseline", ".roadworthy/baseline.json", cwd=repo.path)
    repo.commit("record the baseline")
    repo.write({"b/model.onnx": W})
    repo.commit("b")
    run_cli("check", "--write-baseline", ".roadworthy/baseline.json", cwd=repo.path)
    repo.commit("b's findings added to the baseline")
    result = run_cli("check", "--diff", "HEAD~1", cwd=repo.path)
    assert result.exit_code == 1
    assert result.out.startswith(
        ".roadworthy/baseline.json:1: error RW407 unapproved-governance-change:"
    )


def test_fixed_findings_are_counted_so_the_baseline_can_shrink(make_repo, run_cli):
    repo = make_repo(legacy())
    run_cli("check", "--write-baseline", "baseline.json", cwd=repo.path)
    repo.write({"a/data_contract.yaml": CONTRACT, "a/ROLLBACK.md": "# Rollback\nRedeploy v1.\n"})
    repo.commit("a gets a contract and a rollback plan")
    result = run_cli("check", "--baseline", "baseline.json", cwd=repo.path)
    assert result.exit_code == 0
    assert (
        "roadworthy: 2 findings the baseline records are fixed;"
        " `roadworthy check --write-baseline baseline.json` drops them"
    ) in result.err.splitlines()
    narrowed = run_cli("check", "--baseline", "baseline.json", "c", cwd=repo.path)
    assert "fixed" not in narrowed.err  # a check of some components cannot tell


def test_sarif_says_a_recorded_finding_is_the_baseline(make_repo, run_cli):
    repo = make_repo(legacy())
    run_cli("check", "--write-baseline", "baseline.json", cwd=repo.path)
    sarif = json.loads(
        run_cli("check", "--baseline", "baseline.json", "--format", "sarif", cwd=repo.path).out
    )
    results = sarif["runs"][0]["results"]
    assert len(results) == 6
    assert {s["justification"] for r in results for s in r["suppressions"]} == {
        "recorded in the repository's roadworthy baseline (a finding it had on adoption)"
    }

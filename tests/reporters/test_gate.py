"""The readiness gate in every output, on the golden cases' real repositories: a policy with
stage criteria adds a gate column (markdown), the gates as run properties (SARIF) and a gate
per component (JSON); a policy without them leaves the outputs as they were."""

from __future__ import annotations

import json
from pathlib import Path

from jsonschema import Draft7Validator

from tests.test_cases import CASES, build

BELOW = CASES / "RW207-stage-criteria-not-met" / "metric-below-threshold"
DEMOTION = CASES / "RW410-promotion-without-evidence" / "demotion"
NO_STAGES = CASES / "RW103-missing-rollback-plan" / "supervised-without-plan"
AS_OF = ("--as-of", "2026-12-01")


def test_markdown_gate_column_names_the_missed_threshold(tmp_path: Path, run_cli) -> None:
    repo = build(BELOW, tmp_path / "repo")
    out = run_cli("check", *AS_OF, "--format", "markdown", cwd=repo.path).out
    assert "| component | risk | stage | gate | data |" in out
    assert "| supervised | ⛔ blocked: auc \\>= 0.85 (0.84) | 🟢 ok |" in out


def test_markdown_gate_says_a_demotion_is_allowed(tmp_path: Path, run_cli) -> None:
    repo = build(DEMOTION, tmp_path / "repo")
    out = run_cli("check", "--diff", "HEAD~1", *AS_OF, "--format", "markdown", cwd=repo.path).out
    assert "✅ ready; demoted from supervised (a demotion is always allowed)" in out


def test_markdown_without_stages_has_no_gate_column(tmp_path: Path, run_cli) -> None:
    repo = build(NO_STAGES, tmp_path / "repo")
    out = run_cli("check", "--format", "markdown", cwd=repo.path).out
    assert "| component | risk | stage | data |" in out


def test_sarif_carries_the_gates(tmp_path: Path, run_cli, corpus: Path) -> None:
    repo = build(BELOW, tmp_path / "repo")
    data = json.loads(run_cli("check", *AS_OF, "--format", "sarif", cwd=repo.path).out)
    schema = json.loads((corpus / "schemas" / "schemastore__sarif-2.1.0.json").read_text())
    Draft7Validator(schema).validate(data)
    (gate,) = data["runs"][0]["properties"]["gates"]
    assert (gate["component"], gate["verdict"], gate["stage"]) == ("fraud", "blocked", "supervised")
    assert gate["criteria"][0] == {
        "criterion": "auc >= 0.85",
        "value": "0.84",
        "met": False,
        "evidence": "models/fraud/evaluation.yaml",
    }


def test_sarif_without_stages_has_no_gates(tmp_path: Path, run_cli) -> None:
    repo = build(NO_STAGES, tmp_path / "repo")
    data = json.loads(run_cli("check", "--format", "sarif", cwd=repo.path).out)
    assert "gates" not in data["runs"][0]["properties"]

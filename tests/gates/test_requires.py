"""A stage's ``requires`` in the gate, on the golden cases' real repositories: the verdict
and the markdown gate column name the required rule, and with no rule to report it (the
evaluation rule disabled) the gate still blocks rather than call the component ready."""

from __future__ import annotations

import json
from pathlib import Path

from tests.test_cases import CASES, build

REQUIRED = CASES / "RW207-stage-criteria-not-met" / "required-rule-has-a-finding"
AS_OF = ("--as-of", "2026-12-01")


def test_markdown_gate_names_the_required_rule(tmp_path: Path, run_cli) -> None:
    repo = build(REQUIRED, tmp_path / "repo")
    out = run_cli("check", *AS_OF, "--format", "markdown", cwd=repo.path).out
    assert "⛔ blocked: requires RW103 (1 unwaived finding)" in out


def test_gate_blocks_without_a_rule_to_report_it(tmp_path: Path, run_cli) -> None:
    repo = build(REQUIRED, tmp_path / "repo")
    policy = repo.path / "roadworthy.yaml"
    # RW103 only a warning: nothing red, so the unmet requirement alone blocks.
    rules = "rules:\n  RW207: {enabled: false}\n  RW103: {severity: warning}\n"
    policy.write_text(policy.read_text() + rules)
    repo.commit("no evaluation rule")
    result = run_cli("check", *AS_OF, "--format", "json", cwd=repo.path)
    report = json.loads(result.out)
    assert [f["code"] for f in report["findings"]] == ["RW103"]
    (component,) = report["components"]
    assert component["gate"]["verdict"] == "blocked"
    unmet = [c for c in component["gate"]["criteria"] if not c["met"]]
    assert unmet == [
        {
            "criterion": "requires RW103",
            "value": "1 unwaived finding",
            "met": False,
            "evidence": "models/fraud/model.onnx",
        }
    ]

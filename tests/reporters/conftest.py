"""A small real repository with every kind of finding, and hand-built reports for edge cases.

The repository (checked on 2026-11-21, see tests/conftest.py) has a high-risk component with a
stale card, a missing card section and a broken link (``fraud``); a bare one whose missing
runbook is waived (``churn``); one under a path with a space and non-ASCII letters; and a
CODEOWNERS line GitHub cannot use (a finding of the repository, not of a component).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from testing.gitrepo import GitRepo

from roadworthy.findings import (
    ComponentResult,
    Finding,
    PolicyInfo,
    Report,
    RuleInfo,
    Severity,
    readiness,
)

POLICY = """\
version: 1
extends: [recommended]
waivers:
  - id: churn-runbook
    rules: [RW104]
    component: churn
    owner: "@ml-platform"
    reason: "the runbook moves to the wiki, INC-123"
    expires: 2027-01-31
"""
CARD = """\
---
version: 2.1.0
last_reviewed: 2025-06-01
risk: high
stage: supervised
owners: ["@acme/fraud", "@acme/risk"]
---
# Fraud scorer

## Intended use
Flags card transactions for review by the fraud team.

## Limitations
Not trained on business accounts.

## Training data
Chargebacks from 2025.

## Evaluation
Precision 0.91 at recall 0.6 on the 2025-Q4 holdout.
"""
RUNBOOK = """\
# Runbook

## Alerts
Drift alert on the scoring dashboard; see [the dashboard notes](dashboards/fraud.md).

## Escalation
Page the fraud on-call, then the risk lead.
"""
CONTRACT = """\
apiVersion: v3.0.2
kind: DataContract
id: fraud-transactions
version: 1.0.0
status: active
schema:
  - name: transactions
    properties:
      - {name: transaction_id, logicalType: string, required: true}
"""
FILES: dict[str, str | bytes | None] = {
    "roadworthy.yaml": POLICY,
    ".github/CODEOWNERS": "/models/fraud/ @acme/fraud\n/models/churn/ alice\n",
    "models/fraud/model.onnx": b"\x08\x01onnx",
    "models/fraud/MODEL_CARD.md": CARD,
    "models/fraud/RUNBOOK.md": RUNBOOK,
    "models/fraud/ROLLBACK.md": "# Rollback\n\nRedeploy the previous tag.\n",
    "models/fraud/data_contract.yaml": CONTRACT,
    "models/churn/model.onnx": b"\x08\x01onnx",
    "models/spaß ü/model.safetensors": b"\x00weights",
}


@pytest.fixture()
def sample_repo(make_repo: Callable[..., GitRepo]) -> GitRepo:
    return make_repo(FILES, name="sample")


@pytest.fixture()
def check(run_cli: Callable[..., Any]) -> Callable[..., str]:
    """``roadworthy check --format FORMAT`` in a repository: its stdout (exit 0 or 1 only)."""

    def run(repo: GitRepo, fmt: str, *args: str) -> str:
        result = run_cli("check", "--format", fmt, *args, cwd=repo.path)
        assert result.exit_code in (0, 1), result.err
        return str(result.out)

    return run


@pytest.fixture()
def sample_json(sample_repo: GitRepo, check: Callable[..., str]) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(check(sample_repo, "json"))
    return data


RULES = (
    RuleInfo("RW103", "missing-rollback-plan", Severity.ERROR, "operations", "Has a plan.", None),
    RuleInfo("RW206", "broken-link", Severity.WARNING, "integration", "Links resolve.", None),
    RuleInfo(
        "ACME201",
        "missing-fairness-review",
        Severity.ERROR,
        "governance",
        "A fairness review.",
        "https://wiki.example.com/fairness",
    ),
)


def finding(
    message: str = "no ROLLBACK.md in models/fraud",
    *,
    path: str = "models/fraud/model.onnx",
    line: int = 1,
    code: str = "RW103",
    name: str = "missing-rollback-plan",
    severity: Severity = Severity.ERROR,
    fix: str | None = "add models/fraud/ROLLBACK.md",
    component: str | None = "fraud",
    dimension: str = "operations",
    waived_by: str | None = None,
) -> Finding:
    return Finding(path, line, code, name, severity, message, fix, component, dimension, waived_by)


def report(*findings: Finding, components: tuple[tuple[str, str], ...] = ()) -> Report:
    """A report as the engine would build it, for the given findings and (name, path)s."""
    results = tuple(
        ComponentResult(
            name, path, "high", "supervised", readiness(f for f in findings if f.component == name)
        )
        for name, path in components
    )
    return Report(
        tool_version="0.1.0",
        policy=PolicyInfo(("preset:recommended", "roadworthy.yaml"), "sha256:0"),
        components=results,
        findings=tuple(sorted(findings)),
        rules=RULES,
    )

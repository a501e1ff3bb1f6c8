"""A small, complete repository to change: one model component that passes every rule."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from testing.gitrepo import GitRepo

ALICE = ("Alice Owner", "alice@example.com")
BOB = ("Bob Owner", "bob@example.com")
MALLORY = ("Mallory Dev", "mallory@example.com")

POLICY = """\
version: 1
extends: [recommended]
people:
  "@alice": [alice@example.com]
  "@bob": [bob@example.com]
  "@mallory": [mallory@example.com]
"""

CODEOWNERS = """\
/roadworthy.yaml @alice @bob
/.github/ @alice @bob
/models/credit/ @alice @bob
"""


def card(
    version: str = "1.0.0", stage: str = "supervised", risk: str = "limited", extra: str = ""
) -> str:
    return f"""\
---
version: {version}
last_reviewed: 2026-10-01
stage: {stage}
risk: {risk}
owners: ["@alice", "@bob"]
---
# Credit model

## Intended use
Ranks credit applications for underwriter review.

## Limitations
Not validated for small-business loans.

## Training data
Applications from 2021 to 2025.

## Evaluation
AUC 0.87 on the 2025-Q4 holdout.

## Human oversight
Underwriters see the top features and can override every score.
{extra}"""


CONTRACT = """\
apiVersion: v3.0.2
kind: DataContract
id: credit-applications
version: 1.0.0
status: active
schema:
  - name: applications
    properties:
      - {name: application_id, logicalType: string, required: true}
      - {name: amount, logicalType: number}
"""

RUNBOOK = "# Runbook\n\n## Alerts\nDrift above 0.2 pages on-call.\n\n## Escalation\nOn-call, then @alice.\n"
ROLLBACK = "# Rollback\n\nRedeploy the previous image and confirm the score distribution.\n"


def base_files() -> dict[str, str | bytes | None]:
    return {
        "roadworthy.yaml": POLICY,
        ".github/CODEOWNERS": CODEOWNERS,
        "models/credit/model.onnx": b"weights-v1\n",
        "models/credit/MODEL_CARD.md": card(),
        "models/credit/data_contract.yaml": CONTRACT,
        "models/credit/RUNBOOK.md": RUNBOOK,
        "models/credit/ROLLBACK.md": ROLLBACK,
        "models/credit/train.yaml": "# training run\nhyperparameters:\n  lr: 0.01\n  depth: 6\nnotes: first\n",
    }


@pytest.fixture()
def credit_repo(make_repo: Callable[..., GitRepo]) -> GitRepo:
    repo = make_repo(base_files())
    repo.git("branch", "base")
    return repo


@pytest.fixture()
def judge(run_cli) -> Callable[..., tuple[int, list[tuple[str, str, str]]]]:
    """Run a diff-mode check; (exit code, [(code, path, message)]) of the active findings."""

    def run(repo: GitRepo, *args: str) -> tuple[int, list[tuple[str, str, str]]]:
        result = run_cli("check", *(args or ("--diff", "base")), "--format", "json", cwd=repo.path)
        if not result.out:
            raise AssertionError(f"exit {result.exit_code}: {result.err}")
        report = json.loads(result.out)
        found = [
            (f["code"], f["path"], f["message"]) for f in report["findings"] if not f["waived_by"]
        ]
        return result.exit_code, found

    return run


def codes(found: list[tuple[str, str, str]]) -> list[str]:
    return sorted(code for code, _, _ in found)


def approve(run_cli, repo: GitRepo, *args: str) -> str:
    result = run_cli("approve", *args, cwd=repo.path)
    assert result.exit_code == 0, result.err
    return result.out


def path_of(repo: GitRepo, rel: str) -> Path:
    return repo.path / rel

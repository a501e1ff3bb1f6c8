"""A scanned repository whose policy sets stage criteria: the scan document carries each
component's gate and stays valid against its schema."""

from __future__ import annotations

from pathlib import Path

from testing.gitrepo import GitRepo

from .conftest import POLICY, by_target, component, read_report
from .test_scan_run import validate

STAGES = 'stages:\n  autonomous: {evaluation: {metrics: {auc: ">= 0.9"}}}\n'


def test_scan_carries_gates(tmp_path: Path, run_cli) -> None:
    root = tmp_path / "org"
    GitRepo.init(root / "gated", {"roadworthy.yaml": POLICY + STAGES, **component("churn")})
    result = run_cli("scan", "gated", "-o", "out", "--quiet", cwd=root)
    # The organisation's rules have no evaluation rule: no finding, but the gate judges.
    assert result.exit_code == 0, result.err
    report = read_report(root / "out")
    validate(report)
    (churn,) = by_target(report)["gated"]["components"]
    assert churn["gate"]["verdict"] == "blocked"
    assert churn["gate"]["criteria"][0]["criterion"] == "auc >= 0.9"

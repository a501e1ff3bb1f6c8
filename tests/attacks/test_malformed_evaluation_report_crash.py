"""Evaluation evidence, attacked through a malformed report: a duplicate key (``auc`` twice, as a
merge conflict resolved by keeping both lines leaves it) or any YAML syntax error is an internal
error, exit 3 with a crash log, for the whole run (every component, full and diff mode), where
bad input must be a finding (RW208) or exit 2 with ``file:line: message``."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from testing.gitrepo import GitRepo

CASE = Path(__file__).parents[1] / "cases/RW410-promotion-without-evidence/promotion-with-evidence"
REPORT = "models/fraud/evaluation.yaml"


@pytest.mark.parametrize(
    ("old", "new"),
    [
        pytest.param("  auc: 0.87\n", "  auc: 0.10\n  auc: 0.87\n", id="duplicate-key"),
        pytest.param("  recall: 0.82\n", "  recall: [0.82\n", id="syntax-error"),
    ],
)
def test_a_malformed_report_is_a_finding_not_a_crash(tmp_path: Path, run_cli, old: str, new: str):
    shutil.copytree(CASE / "repo", tmp_path / "repo")
    report = tmp_path / "repo" / REPORT
    report.write_text(report.read_text().replace(old, new))
    repo = GitRepo.init(tmp_path / "repo")
    repo.commit("fraud, evaluated")
    result = run_cli("check", "--as-of", "2026-12-01", cwd=repo.path)
    assert "internal error" not in result.err, result.err
    assert result.exit_code in (1, 2), result.err
    assert f"{REPORT}:" in result.out + result.err  # located in the report

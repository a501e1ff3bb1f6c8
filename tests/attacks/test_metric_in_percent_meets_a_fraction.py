"""Stage criteria, attacked through scale. Issue 13 builds the gate because peers compare
numbers on different scales (one "accepts r2: 0.996 against r2_min: 900"). roadworthy does
the reverse: an auc written in percent, as many cards write it (``auc: 70``, a 70% auc), is
compared with ``>= 0.85`` as the number 70 and passes. An auc cannot exceed 1; a value out
of the metric's range is no evidence that a bound in its range is met."""

from __future__ import annotations

from pathlib import Path

from testing.gitrepo import GitRepo, files_of

CASE = Path(__file__).parents[1] / "cases/RW207-stage-criteria-not-met/metric-below-threshold"
REPORT = "models/fraud/evaluation.yaml"


def _files(auc: str) -> dict[str, str | bytes]:
    root = CASE / "repo"
    files: dict[str, str | bytes] = files_of(root)
    report = str(files[REPORT])
    assert "  auc: 0.84\n" in report
    files[REPORT] = report.replace("  auc: 0.84\n", f"  auc: {auc}\n")
    return files


def test_an_auc_of_70_is_not_above_085(tmp_path: Path, run_cli):
    fraction = GitRepo.init(tmp_path / "fraction", _files("0.70"))
    honest = run_cli("check", "--as-of", "2026-12-01", cwd=fraction.path)
    assert "RW207" in honest.out and "auc is 0.7" in honest.out, honest.out

    percent = GitRepo.init(tmp_path / "percent", _files("70"))
    result = run_cli("check", "--as-of", "2026-12-01", cwd=percent.path)
    # 70 is no auc: the report is wrong, or it means 0.70; either way auc >= 0.85 is unmet.
    assert "RW207" in result.out or "RW208" in result.out, result.out
    assert result.exit_code == 1, result.out

"""Attack: a repository adopted roadworthy with a baseline that records the fraud model's
evaluation gate a little short (RW207: auc 0.84 where supervised needs 0.85). A baseline
record ignores the numbers in a message, so a pull request that records a collapse of the
model (auc 0.12 on the new holdout) is still "the recorded finding": the stage gate, a
governance finding, no longer fails, though nothing recorded at adoption said 0.12."""

from __future__ import annotations

import json
from pathlib import Path

from testing.gitrepo import GitRepo, files_of

from tests.change.conftest import MALLORY

CASE = Path(__file__).parents[1] / "cases/RW207-stage-criteria-not-met/metric-below-threshold"


def test_a_baseline_of_a_near_miss_does_not_excuse_a_collapse(make_repo, run_cli):
    files: dict[str, str | bytes | None] = {**files_of(CASE / "repo", text=False)}
    files["roadworthy.yaml"] = bytes(files["roadworthy.yaml"] or b"") + b"baseline: baseline.json\n"
    repo: GitRepo = make_repo(files)
    written = run_cli(
        "check", "--as-of", "2026-12-01", "--write-baseline", "baseline.json", cwd=repo.path
    )
    assert "RW207" in (repo.path / "baseline.json").read_text(), written.err
    repo.commit("adopt roadworthy with a baseline")
    repo.git("branch", "base")

    report = repo.path / "models/fraud/evaluation.yaml"
    report.write_text(report.read_text().replace("auc: 0.84", "auc: 0.12"))
    repo.commit("re-evaluate on the new holdout", author=MALLORY)
    result = run_cli("check", "--as-of", "2026-12-01", "--format", "json", cwd=repo.path)
    found = json.loads(result.out)["findings"]
    active = [f for f in found if f["code"] == "RW207" and f["waived_by"] is None]
    assert active, found
    assert result.exit_code == 1

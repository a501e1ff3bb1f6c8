"""Attack: CI runs ``roadworthy check --diff origin/main --baseline ci/baseline.json`` (the
option, not the policy's ``baseline:`` key). Only the policy's baseline is a governance file,
so a pull request that fails the fraud model's evaluation gate (RW207) records that finding in
``ci/baseline.json`` in the same change: the gate is excused and editing the file that excuses
it is no governance change (no RW407)."""

from __future__ import annotations

import json
from pathlib import Path

from testing.gitrepo import GitRepo, files_of

from tests.change.conftest import MALLORY

CASE = Path(__file__).parents[1] / "cases/RW207-stage-criteria-not-met/metric-above-threshold"
EMPTY = '{"version": 1, "findings": []}\n'


def test_a_pull_request_cannot_baseline_its_own_gate_failure(make_repo, run_cli):
    files: dict[str, str | bytes | None] = {**files_of(CASE / "repo", text=False)}
    files["ci/baseline.json"] = EMPTY
    repo: GitRepo = make_repo(files)
    repo.git("branch", "base")
    args = ("check", "--as-of", "2026-12-01", "--diff", "base", "--format", "json")
    clean = run_cli(*args, "--baseline", "ci/baseline.json", cwd=repo.path)
    assert clean.exit_code == 0, clean.out + clean.err

    report = repo.path / "models/fraud/evaluation.yaml"
    text = report.read_text()
    assert "auc: 0.9" in text
    report.write_text(text.replace("auc: 0.9", "auc: 0.1"))
    repo.commit("re-evaluate on the new holdout", author=MALLORY)
    failing = json.loads(run_cli(*args, cwd=repo.path).out)["findings"]
    rows = [
        {k: f[k] for k in ("code", "component", "path", "message")}
        for f in failing
        if f["code"] == "RW207"
    ]
    assert rows, failing
    repo.write({"ci/baseline.json": json.dumps({"version": 1, "findings": rows}) + "\n"})
    repo.commit("record the gate in the baseline", author=MALLORY)
    result = run_cli(*args, "--baseline", "ci/baseline.json", cwd=repo.path)
    found = json.loads(result.out)["findings"]
    active = {f["code"] for f in found if f["waived_by"] is None}
    assert active & {"RW207", "RW407"}, found
    assert result.exit_code == 1

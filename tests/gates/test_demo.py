"""The demo repository shows the gate: one component blocked by a missed threshold only its
evaluation explains, the complete one ready on evidence of its (Git LFS) weights."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from testing.gitrepo import GitRepo

DEMO = Path(__file__).resolve().parents[2] / "fixtures" / "demo"


def test_demo_gates(tmp_path: Path, run_cli) -> None:
    shutil.copytree(DEMO, tmp_path / "demo")
    repo = GitRepo.init(tmp_path / "demo")
    repo.commit("demo repository")
    out = run_cli("check", "--as-of", "2026-11-21", "--format", "json", cwd=repo.path).out
    gates = {c["name"]: c["gate"] for c in json.loads(out)["components"]}
    assert gates["credit-scoring"]["verdict"] == "ready"
    assert [c["met"] for c in gates["credit-scoring"]["criteria"]] == [True, True]
    assert gates["churn-predictor"]["verdict"] == "blocked"
    assert gates["churn-predictor"]["criteria"] == [
        {
            "criterion": "auc >= 0.75",
            "value": "0.72",
            "met": False,
            "evidence": "models/churn-predictor/evaluation.yaml",
        },
        {
            "criterion": "samples >= 10000",
            "value": "48210",
            "met": True,
            "evidence": "models/churn-predictor/evaluation.yaml",
        },
    ]

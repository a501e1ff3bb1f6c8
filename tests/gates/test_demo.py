"""The demo repository shows the gate: one component blocked by a missed threshold only its
evaluation explains, the complete one ready on evidence of its (Git LFS) weights, and a shadow
experiment with two yellow dimensions carried by a sign-off that `roadworthy approve --signoff`
wrote (the committed ledger is byte for byte what it writes, so the demo stays reproducible)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from testing.gitrepo import GitRepo

DEMO = Path(__file__).resolve().parents[2] / "fixtures" / "demo"
LEDGER = "experiments/sentiment-shadow/APPROVALS.yaml"
# As the ledger's note says: the demo's sign-off, as the risk office gave it.
SIGNOFF = (
    "approve",
    "sentiment-shadow",
    "--signoff",
    "--by",
    "@acme/risk-office",
    "--ticket",
    "RISK-31",
    "--note",
    "shadow only: no user sees its output; card review and labelling guide due with NLP-412",
)


def _demo(tmp_path: Path, *, ledger: bool = True) -> GitRepo:
    shutil.copytree(DEMO, tmp_path / "demo")
    if not ledger:
        (tmp_path / "demo" / LEDGER).unlink()
    repo = GitRepo.init(tmp_path / "demo")
    repo.commit("demo repository")
    return repo


def test_demo_gates(tmp_path: Path, run_cli) -> None:
    repo = _demo(tmp_path)
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
    assert gates["sentiment-shadow"]["verdict"] == "ready with sign-off"


def test_demo_signoff_is_what_approve_writes(tmp_path: Path, run_cli, monkeypatch) -> None:
    repo = _demo(tmp_path, ledger=False)
    before = run_cli("check", "--as-of", "2026-11-21", cwd=repo.path)
    assert "error RW411 missing-risk-signoff: 2 yellow dimensions (governance, integration" in (
        before.out
    )
    monkeypatch.setenv("ROADWORTHY_TODAY", "2026-11-21")  # the day the ledger records
    assert run_cli(*SIGNOFF, cwd=repo.path).exit_code == 0
    assert (repo.path / LEDGER).read_bytes() == (DEMO / LEDGER).read_bytes()
    after = run_cli("check", "--as-of", "2026-11-21", cwd=repo.path)
    assert "RW411" not in after.out


def test_readme_quotes_what_the_demo_prints(tmp_path: Path, run_cli) -> None:
    readme = (DEMO.parents[1] / "README.md").read_text(encoding="utf-8")
    quoted = readme.split("The findings look like this:\n\n```\n", 1)[1].split("```", 1)[0]
    result = run_cli("check", "--as-of", "2026-11-21", cwd=_demo(tmp_path).path)
    printed = (result.out + result.err).splitlines()
    for line in quoted.splitlines():
        assert line in printed
    table = run_cli(
        "check", "--as-of", "2026-11-21", "--format", "markdown", cwd=_demo(tmp_path / "md").path
    ).out
    assert "| shadow | ✅ ready with sign-off |" in table
    assert "| advisory | ⛔ blocked: auc \\>= 0.75 (0.72) |" in table

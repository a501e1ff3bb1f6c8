"""The ML-BOM, attacked through stale evidence. ``roadworthy check`` calls a card's
model-index stale once the weights change without it (RW208: it evaluated other weights),
and the BOM's model card is "built from the card and the evaluation evidence" (issue 14). The
BOM puts that model-index's auc into the model's ``performanceMetrics``, beside the sha256 of
the *new* weights, with nothing saying they were never evaluated: the buyer reads v1's
results as v2's."""

from __future__ import annotations

import json
from pathlib import Path

from testing.gitrepo import GitRepo, files_of

CASE = Path(__file__).parents[1] / "cases/RW207-stage-criteria-not-met/model-index-above-threshold"


def _files() -> dict[str, str | bytes]:
    root = CASE / "repo"
    return files_of(root)


def test_the_bom_does_not_give_stale_results_to_new_weights(tmp_path: Path, run_cli):
    repo = GitRepo.init(tmp_path / "repo", _files(), message="v1, evaluated: auc 0.86")
    repo.write({"models/fraud/model.onnx": "fraud-scorer weights v2, never evaluated\n"})
    repo.commit("retrain")
    check = run_cli("check", "--as-of", "2026-12-01", cwd=repo.path)
    assert "RW208" in check.out and "stale evidence" in check.out, check.out

    bom = run_cli("bom", "--as-of", "2026-12-01", cwd=repo.path)
    assert bom.exit_code == 0, bom.err
    (model,) = [c for c in json.loads(bom.out)["components"] if c["name"] == "fraud"]
    card = model.get("modelCard", {})
    metrics = card.get("quantitativeAnalysis", {}).get("performanceMetrics", [])
    presented = [m for m in metrics if m.get("type") == "auc" and m.get("value") == "0.86"]
    # v1's auc may be listed only if the BOM says it is not an evaluation of these weights.
    assert not presented or "stale" in json.dumps(card), json.dumps(model, indent=1)

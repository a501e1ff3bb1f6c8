"""Promotion, attacked through the card's ``model-index``. In diff mode a ``model-index`` counts
for the current weights whenever the change touches the card. A promotion *is* a card change
(``stage:`` lives in its front matter), so the card's old results, stale since the weights were
retrained in an earlier commit, become evidence again the moment the card says a higher stage:
the promotion passes on an evaluation of weights that are no longer served."""

from __future__ import annotations

import json
from pathlib import Path

from testing.gitrepo import GitRepo, files_of

CASE = Path(__file__).parents[1] / "cases/RW207-stage-criteria-not-met/model-index-above-threshold"
FOLDER = "models/fraud"
POLICY = """\
version: 1
extends: [recommended]
stages:
  advisory: {evaluation: {metrics: {auc: ">= 0.85"}}}
  supervised: {evaluation: {metrics: {auc: ">= 0.85"}}}
"""


def _check(run_cli, repo: GitRepo, *argv: str) -> tuple[dict[str, object], list[str]]:
    result = run_cli("check", *argv, "--format", "json", "--as-of", "2026-12-01", cwd=repo.path)
    report = json.loads(result.out)
    return report["components"][0]["gate"], [f["code"] for f in report["findings"]]


def test_promotion_revives_the_results_of_retrained_weights(tmp_path: Path, run_cli):
    root = CASE / "repo"
    files: dict[str, str | bytes] = files_of(root, text=False)
    files["roadworthy.yaml"] = POLICY
    repo = GitRepo.init(tmp_path / "repo", files, message="fraud v1, model-index of v1")
    repo.write({f"{FOLDER}/model.onnx": b"fraud-scorer weights v2, never evaluated\n"})
    repo.commit("retrain")
    gate, codes = _check(run_cli, repo)
    assert gate["verdict"] == "blocked" and "RW208" in codes, (gate, codes)  # stale: honest
    repo.git("branch", "base")

    card = (repo.path / FOLDER / "MODEL_CARD.md").read_text()
    repo.write({f"{FOLDER}/MODEL_CARD.md": card.replace("stage: advisory", "stage: supervised")})
    repo.commit("promote to supervised")
    gate, codes = _check(run_cli, repo, "--diff", "base")
    # The card's results are still those of v1: no evidence for the weights being promoted.
    assert "RW410" in codes, (gate, codes)
    assert gate["verdict"] == "blocked", (gate, codes)

"""Evaluation evidence, attacked through what "the model-index changed" means. A card's
``model-index`` names no weights, so it counts for new weights only when the change updates
it with them (issue 13); otherwise it is stale evidence (RW208) and the stage's criteria go
unmet (RW207). roadworthy compares the whole ``model-index``: a change that swaps the weights
and renames the model in it (``fraud-scorer`` → ``fraud-scorer-v2``) keeps every result, word
for word, of the weights it replaced, and those results now pass as an evaluation of the new
weights."""

from __future__ import annotations

from pathlib import Path

import pytest
from testing.gitrepo import GitRepo, files_of

CASE = Path(__file__).parents[1] / "cases/RW207-stage-criteria-not-met/model-index-above-threshold"
CARD = "models/fraud/MODEL_CARD.md"


def _files() -> dict[str, str | bytes]:
    root = CASE / "repo"
    return files_of(root)


@pytest.mark.parametrize(
    "rename", [pytest.param(False, id="weights-only"), pytest.param(True, id="model-renamed")]
)
def test_old_results_under_a_new_name_are_stale(tmp_path: Path, run_cli, rename: bool):
    files = _files()
    repo = GitRepo.init(tmp_path / "repo", files, message="fraud scorer v1, evaluated")
    repo.git("branch", "base")
    change: dict[str, str | bytes] = {"models/fraud/model.onnx": "fraud-scorer weights v2\n"}
    if rename:
        card = str(files[CARD])
        assert "- name: fraud-scorer\n" in card
        change[CARD] = card.replace("- name: fraud-scorer\n", "- name: fraud-scorer-v2\n")
    repo.write(change)
    repo.commit("retrained weights")

    result = run_cli("check", "--diff", "base", "--as-of", "2026-12-01", cwd=repo.path)
    # The results are those of v1: no evaluation of the current weights.
    assert "RW208" in result.out and "stale evidence" in result.out, result.out
    assert "RW207" in result.out, result.out

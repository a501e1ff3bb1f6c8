"""Model-index evidence, attacked through a linked weights file. A card's ``model-index`` counts
for the current weights when the card was last changed in the weights' last commit or later;
roadworthy asks git for the last commit that changed the weights *path*. When the component's
``model.onnx`` is a symbolic link into a shared store, retraining rewrites the store's file and
never the link, so the link's commit stays the old one: the card's old results keep counting
for weights they never measured (the weights' digest, which follows the link, did change)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from testing.gitrepo import GitRepo

CASE = Path(__file__).parents[1] / "cases/RW207-stage-criteria-not-met/model-index-above-threshold"
LINK = "models/fraud/model.onnx"
STORE = "store/fraud-scorer"  # no weights suffix: the store is no component


def _gate(run_cli, repo: GitRepo) -> tuple[dict[str, object], list[str]]:
    result = run_cli("check", "--format", "json", "--as-of", "2026-12-01", cwd=repo.path)
    report = json.loads(result.out)
    codes = [f["code"] for f in report["findings"]]
    return report["components"][0]["gate"], codes


def test_weights_retrained_behind_a_link_keep_the_cards_old_results(tmp_path: Path, run_cli):
    root = CASE / "repo"
    files: dict[str, str | bytes] = {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in root.rglob("*")
        if p.is_file() and p.name != "model.onnx"
    }
    files[STORE] = b"fraud weights v1\n"
    # One commit: the stored weights, the link that serves them and the card's model-index.
    repo = GitRepo.init(tmp_path / "repo")
    repo.write(files)
    os.symlink("../../store/fraud-scorer", repo.path / LINK)
    repo.commit("serve the stored weights, evaluated (model-index in the card)")
    gate, codes = _gate(run_cli, repo)
    assert gate["verdict"] == "ready", (gate, codes)  # the honest starting point

    repo.write({STORE: b"fraud weights v2, never evaluated\n"})
    repo.commit("retrain into the store")
    gate, codes = _gate(run_cli, repo)
    # The card is older than the weights the component serves: stale evidence.
    assert "RW208" in codes or "RW207" in codes, (gate, codes)
    assert gate["verdict"] == "blocked", (gate, codes)

"""Evaluation evidence, attacked through a component with two weights files. An ONNX model keeps
its graph in ``model.onnx`` and its tensors in ``model.onnx.data`` (external data): both are
weights to the policy. The evaluation report names only the graph's digest; the tensors are
then retrained and committed without a new evaluation. roadworthy checks only the weights the
report names, so the old evaluation still counts for the new tensors: stale evidence meets the
stage's criteria and the component is ``ready``."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from testing.gitrepo import GitRepo, files_of

CASE = Path(__file__).parents[1] / "cases/RW410-promotion-without-evidence/promotion-with-evidence"
FOLDER = "models/fraud"
GRAPH = b"onnx graph v1\n"


def _files() -> dict[str, str | bytes]:
    root = CASE / "repo"
    files: dict[str, str | bytes] = files_of(root, text=False)
    digest = hashlib.sha256(GRAPH).hexdigest()
    tensors = hashlib.sha256(b"tensors v1\n").hexdigest()
    files[f"{FOLDER}/model.onnx"] = GRAPH
    files[f"{FOLDER}/model.onnx.data"] = b"tensors v1\n"
    # The honest report names both files (a report naming the graph alone is stale at once).
    files[f"{FOLDER}/evaluation.yaml"] = (
        "version: 1\n"
        f"weights: [{{path: model.onnx, digest: sha256:{digest}}}, "
        f"{{path: model.onnx.data, digest: sha256:{tensors}}}]\n"
        "dataset: {name: fraud-holdout, split: 2026-Q3}\n"
        "window: {start: 2026-10-01, end: 2026-11-15}\n"
        "samples: 5000\n"
        "metrics: {auc: 0.87, recall: 0.82}\n"
    )
    return files


def _gate(run_cli, repo: GitRepo) -> tuple[dict[str, object], list[str]]:
    result = run_cli("check", "--format", "json", "--as-of", "2026-12-01", cwd=repo.path)
    report = json.loads(result.out)
    codes = [f["code"] for f in report["findings"]]
    return report["components"][0]["gate"], codes


def test_retrained_tensors_ride_on_the_graphs_evaluation(tmp_path: Path, run_cli):
    repo = GitRepo.init(tmp_path / "repo", _files(), message="fraud v1, evaluated")
    gate, codes = _gate(run_cli, repo)
    assert gate["verdict"] == "ready", (gate, codes)  # the honest starting point

    repo.write({f"{FOLDER}/model.onnx.data": b"tensors v2, never evaluated\n"})
    repo.commit("retrain")
    gate, codes = _gate(run_cli, repo)
    # The evaluation is of other weights than the component's current ones.
    assert "RW208" in codes or "RW207" in codes, (gate, codes)
    assert gate["verdict"] == "blocked", (gate, codes)


def test_a_report_naming_the_graph_alone_is_stale(tmp_path: Path, run_cli):
    files = _files()
    digest = hashlib.sha256(GRAPH).hexdigest()
    text = str(files[f"{FOLDER}/evaluation.yaml"])
    start = text.index("weights:")
    end = text.index("\n", start)
    files[f"{FOLDER}/evaluation.yaml"] = (
        text[:start] + f"weights: {{path: model.onnx, digest: sha256:{digest}}}" + text[end:]
    )
    repo = GitRepo.init(tmp_path / "repo", files, message="graph evaluated alone")
    gate, codes = _gate(run_cli, repo)
    assert "RW208" in codes and gate["verdict"] == "blocked", (gate, codes)

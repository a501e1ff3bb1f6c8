"""False positive an honest team hits: an evaluation report that names its weights as
``./model.onnx`` (how a shell, ``find .`` or ``os.path.join('.', ...)`` writes them) is stale
evidence "of a file the component no longer has", though the digest is the file's own: the
path is joined to the component folder without being normalised (DVC outputs are)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from testing.gitrepo import GitRepo

CASE = Path(__file__).parents[1] / "cases/RW410-promotion-without-evidence/promotion-with-evidence"
REPORT = "models/fraud/evaluation.yaml"


def test_dot_slash_in_the_report_path_is_the_same_file(tmp_path: Path, run_cli):
    shutil.copytree(CASE / "repo", tmp_path / "repo")
    report = tmp_path / "repo" / REPORT
    text = report.read_text()
    assert "path: model.onnx" in text
    report.write_text(text.replace("path: model.onnx", "path: ./model.onnx"))
    repo = GitRepo.init(tmp_path / "repo")
    repo.commit("fraud, evaluated")
    result = run_cli("check", "--format", "json", "--as-of", "2026-12-01", cwd=repo.path)
    data = json.loads(result.out)
    assert [f["code"] for f in data["findings"]] == [], result.out
    assert data["components"][0]["gate"]["verdict"] == "ready", result.out

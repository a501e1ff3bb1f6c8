"""Evaluation evidence, attacked through a linked weights file in diff mode. In the work tree
the digest of ``model.onnx -> ../../store/fraud-scorer`` is that of the weights it leads to;
read from git objects (``check --diff``, the pull-request gate) it is the sha256 of the link's
*text*. A report that names that digest is evidence "of the current weights" whatever the store
holds: the pull request retrains the weights behind the link and promotes the component on an
evaluation of nothing at all, while a full check of the same commit calls it stale."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

from testing.gitrepo import GitRepo

CASE = Path(__file__).parents[1] / "cases/RW410-promotion-without-evidence/promotion-with-evidence"
FOLDER = "models/fraud"
TARGET = "../../store/fraud-scorer"


def _codes(run_cli, repo: GitRepo, *argv: str) -> list[str]:
    result = run_cli("check", *argv, "--format", "json", "--as-of", "2026-12-01", cwd=repo.path)
    return [f["code"] for f in json.loads(result.out)["findings"]]


def test_a_report_bound_to_the_link_text_promotes_any_weights(tmp_path: Path, run_cli):
    shutil.copytree(CASE / "repo", tmp_path / "repo")
    root = tmp_path / "repo"
    (root / "store").mkdir()
    (root / FOLDER / "model.onnx").rename(root / "store/fraud-scorer")
    os.symlink(TARGET, root / FOLDER / "model.onnx")
    repo = GitRepo.init(root)
    repo.commit("fraud v1 served from the store, evaluated")
    assert _codes(run_cli, repo) == []  # the honest starting point: evidence of v1
    repo.git("branch", "base")

    link_text = hashlib.sha256(TARGET.encode()).hexdigest()
    report = (root / FOLDER / "evaluation.yaml").read_text()
    report = report.replace(report.split("digest: ")[1].split("}")[0], f"sha256:{link_text}")
    card = (root / FOLDER / "MODEL_CARD.md").read_text()
    repo.write(
        {
            "store/fraud-scorer": b"fraud weights v2, never evaluated\n",
            f"{FOLDER}/evaluation.yaml": report,
            f"{FOLDER}/MODEL_CARD.md": card.replace("stage: advisory", "stage: supervised"),
        }
    )
    repo.commit("retrain and promote")
    assert "RW208" in _codes(run_cli, repo)  # a full check sees the digest is not the weights'
    codes = _codes(run_cli, repo, "--diff", "base")
    # The pull-request gate must see it too: no evidence for the weights being promoted.
    assert "RW410" in codes or "RW208" in codes, codes

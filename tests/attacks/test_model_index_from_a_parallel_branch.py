"""Evaluation evidence, attacked through a merge. Without a digest, a card's ``model-index``
counts for the current weights when it "changed in or after the commit that last changed
them" (issue 13); roadworthy compares it with the model-index *just before* that commit. On
two branches that is no order at all: the weights are retrained on one branch, the v1
evaluation is refreshed on main, and after the merge the newest weights commit (on the
branch) sees a model-index that differs from its parent's. The refreshed v1 results pass as
an evaluation of v2 weights nobody evaluated, in a full check (the gate, scans, evidence)."""

from __future__ import annotations

from pathlib import Path

from testing.gitrepo import GitRepo, files_of

CASE = Path(__file__).parents[1] / "cases/RW207-stage-criteria-not-met/model-index-above-threshold"
CARD = "models/fraud/MODEL_CARD.md"
WEIGHTS = {"models/fraud/model.onnx": "fraud-scorer weights v2, never evaluated\n"}


def _files() -> dict[str, str | bytes]:
    root = CASE / "repo"
    return files_of(root)


def _refreshed(card: str) -> str:
    """The v1 weights evaluated again on the next quarter's holdout."""
    assert "split: 2026-Q3}" in card and "value: 0.86}" in card
    return card.replace("split: 2026-Q3}", "split: 2026-Q4}").replace(
        "value: 0.86}", "value: 0.87}"
    )


def test_weights_alone_are_stale(tmp_path: Path, run_cli):
    repo = GitRepo.init(tmp_path / "repo", _files(), message="v1, evaluated")
    repo.write(WEIGHTS)
    repo.commit("retrain")
    result = run_cli("check", "--as-of", "2026-12-01", cwd=repo.path)
    assert "stale evidence" in result.out and result.exit_code == 1, result.out


def test_an_evaluation_of_v1_from_main_is_no_evaluation_of_v2(tmp_path: Path, run_cli):
    files = _files()
    repo = GitRepo.init(tmp_path / "repo", files, message="v1, evaluated")
    repo.git("checkout", "-q", "-b", "retrain")
    repo.write(WEIGHTS)
    repo.commit("retrain: v2 weights")
    repo.git("checkout", "-q", "main")
    repo.write({CARD: _refreshed(str(files[CARD]))})
    repo.commit("v1 evaluated on 2026-Q4")  # on main, where the weights are still v1
    repo.git("merge", "-q", "--no-edit", "retrain")
    assert (repo.path / "models/fraud/model.onnx").read_text() == WEIGHTS["models/fraud/model.onnx"]

    result = run_cli("check", "--as-of", "2026-12-01", cwd=repo.path)
    # The model-index describes v1; the weights are v2: stale evidence, criteria unmet.
    assert "stale evidence" in result.out, result.out
    assert result.exit_code == 1, result.out

"""Evaluation evidence judged honestly: the reverse of tests/attacks/test_model_index_*.py and
test_metric_in_percent_meets_a_fraction.py. A model-index whose results come after the
weights on the same line of history still counts; the worst of several results decides, and
a ratio written as a fraction is compared as one. Real git repositories, the real CLI."""

from __future__ import annotations

from pathlib import Path

import pytest
from testing.gitrepo import GitRepo, files_of

CASES = Path(__file__).parents[1] / "cases/RW207-stage-criteria-not-met"
CARD = "models/fraud/MODEL_CARD.md"
WEIGHTS = {"models/fraud/model.onnx": "fraud-scorer weights v2\n"}
V1 = "        metrics:\n          - {type: auc, value: 0.86}\n"


def _files(case: str = "model-index-above-threshold") -> dict[str, str | bytes]:
    root = CASES / case / "repo"
    return files_of(root)


def _evaluated(card: str, auc: str = "0.88") -> str:
    """The card with the v2 weights' results: another split, another value."""
    assert V1 in card and "split: 2026-Q3}" in card
    return card.replace(V1, V1.replace("0.86", auc)).replace("2026-Q3}", "2026-Q4}")


def _check(run_cli, repo: GitRepo, *args: str):
    return run_cli("check", "--as-of", "2026-12-01", *args, cwd=repo.path)


@pytest.mark.parametrize(
    "merged", [pytest.param(False, id="linear"), pytest.param(True, id="merged")]
)
def test_results_written_after_the_weights_on_their_branch_count(
    tmp_path: Path, run_cli, merged: bool
) -> None:
    files = _files()
    repo = GitRepo.init(tmp_path / "repo", files, message="v1, evaluated")
    if merged:
        repo.git("checkout", "-q", "-b", "retrain")
    repo.write(WEIGHTS)
    repo.commit("retrain: v2 weights")
    repo.write({CARD: _evaluated(str(files[CARD]))})
    repo.commit("v2 evaluated")
    if merged:
        repo.git("checkout", "-q", "main")
        repo.write({"README.md": "fraud models\n"})
        repo.commit("unrelated work on main")
        repo.git("merge", "-q", "--no-edit", "retrain")
    result = _check(run_cli, repo)
    assert "stale evidence" not in result.out and result.exit_code == 0, result.out


def test_results_written_before_the_weights_are_stale(tmp_path: Path, run_cli) -> None:
    """On one branch, too: numbers recorded first and weights retrained after describe the
    weights of their own day."""
    files = _files()
    repo = GitRepo.init(tmp_path / "repo", files, message="v1, evaluated")
    repo.write({CARD: _evaluated(str(files[CARD]))})
    repo.commit("v1 evaluated again")
    repo.write(WEIGHTS)
    repo.commit("retrain: v2 weights")
    result = _check(run_cli, repo)
    assert "stale evidence" in result.out and result.exit_code == 1, result.out


def test_a_rename_with_new_results_counts(tmp_path: Path, run_cli) -> None:
    files = _files()
    repo = GitRepo.init(tmp_path / "repo", files, message="v1, evaluated")
    repo.git("branch", "base")
    card = _evaluated(str(files[CARD])).replace("- name: fraud-scorer\n", "- name: fraud-v2\n")
    repo.write(WEIGHTS | {CARD: card})
    repo.commit("v2 weights, evaluated, renamed")
    for args in (("--diff", "base"), ()):
        result = _check(run_cli, repo, *args)
        assert "RW208" not in result.out and "RW207" not in result.out, (args, result.out)


TWO = """\
      - task: {type: tabular-classification}
        dataset: {name: smoke-test, type: smoke-test, split: ten-rows}
        metrics:
          - {type: auc, value: 0.99}
      - task: {type: tabular-classification}
        dataset: {name: fraud-holdout, type: fraud-holdout, split: 2026-Q3}
        metrics:
          - {type: auc, value: AUC}
"""


@pytest.mark.parametrize(
    ("holdout", "message"),
    [
        pytest.param(
            "0.70", "auc is 0.7 in models/fraud/MODEL_CARD.md on fraud-holdout", id="fails"
        ),
        pytest.param("0.87", None, id="both-pass"),
    ],
)
def test_the_worst_result_decides_and_is_named(
    tmp_path: Path, run_cli, holdout: str, message: str | None
) -> None:
    files = _files()
    card = str(files[CARD])
    one = card[card.index("      - task:") : card.index("---", 4)]
    files[CARD] = card.replace(one, TWO.replace("AUC", holdout))
    repo = GitRepo.init(tmp_path / "repo", files)
    result = _check(run_cli, repo, "--format", "json")
    if message is None:
        assert result.exit_code == 0, result.out
        assert '"value": "0.87"' in result.out, result.out  # the gate shows the worst value
    else:
        assert message in result.out and result.exit_code == 1, result.out


@pytest.mark.parametrize(
    ("auc", "code"),
    [
        pytest.param("0.9", None, id="fraction-passes"),
        pytest.param("1", None, id="one-is-a-ratio"),
        pytest.param("90", "RW208", id="percent-is-invalid"),
        pytest.param("-0.5", "RW207", id="negative-fails"),
    ],
)
def test_a_ratio_is_judged_on_its_scale(
    tmp_path: Path, run_cli, auc: str, code: str | None
) -> None:
    files = _files("metric-below-threshold")
    report = "models/fraud/evaluation.yaml"
    files[report] = str(files[report]).replace("  auc: 0.84\n", f"  auc: {auc}\n")
    repo = GitRepo.init(tmp_path / "repo", files)
    lines = [x for x in _check(run_cli, repo).out.splitlines() if " auc " in x or "auc " in x]
    auc_lines = [x for x in lines if "RW207" in x or "RW208" in x]
    if code is None:
        assert auc_lines == [], auc_lines
    else:
        assert any(f" {code} " in x for x in auc_lines), auc_lines

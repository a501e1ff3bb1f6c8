"""Stage criteria, attacked through the order of a card's ``model-index``. A card may report
a metric on several datasets (Hugging Face's format lists ``results`` per dataset), and
roadworthy "recomputes every comparison itself" (issue 13). It compares only the *first*
value it finds: a card that reports auc 0.70 on the fraud holdout, the data the criterion is
about, passes ``auc >= 0.85`` by listing a smoke-test result of 0.99 above it. The sample
criterion takes the fewest samples of all; the metric takes whatever comes first."""

from __future__ import annotations

from pathlib import Path

from testing.gitrepo import GitRepo, files_of

CASE = Path(__file__).parents[1] / "cases/RW207-stage-criteria-not-met/model-index-above-threshold"
RESULTS = """\
      - task: {type: tabular-classification}
        dataset: {name: fraud-holdout, type: fraud-holdout, split: 2026-Q3}
        metrics:
          - {type: auc, value: 0.86}
"""
TWO_RESULTS = """\
      - task: {type: tabular-classification}
        dataset: {name: smoke-test, type: smoke-test, split: ten-rows}
        metrics:
          - {type: auc, value: 0.99}
      - task: {type: tabular-classification}
        dataset: {name: fraud-holdout, type: fraud-holdout, split: 2026-Q3}
        metrics:
          - {type: auc, value: 0.70}
"""


def _files(results: str) -> dict[str, str | bytes]:
    root = CASE / "repo"
    files: dict[str, str | bytes] = files_of(root)
    card = str(files["models/fraud/MODEL_CARD.md"])
    assert RESULTS in card
    files["models/fraud/MODEL_CARD.md"] = card.replace(RESULTS, results)
    return files


def test_a_failing_result_is_not_hidden_behind_a_passing_one(tmp_path: Path, run_cli):
    honest = GitRepo.init(tmp_path / "honest", _files(RESULTS.replace("0.86", "0.70")))
    alone = run_cli("check", "--as-of", "2026-12-01", cwd=honest.path)
    assert "RW207" in alone.out and alone.exit_code == 1, alone.out  # 0.70 alone fails

    repo = GitRepo.init(tmp_path / "repo", _files(TWO_RESULTS), message="fraud, two results")
    result = run_cli("check", "--as-of", "2026-12-01", cwd=repo.path)
    # The card says auc is 0.70 on the holdout: the criterion is not met.
    assert "RW207" in result.out, result.out
    assert result.exit_code == 1, result.out

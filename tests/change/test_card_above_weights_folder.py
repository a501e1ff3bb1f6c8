"""A model saved as ``churn/model/`` (an MLflow model folder) keeps its card in ``churn/``: in
diff mode a change to that card is a change to the component, so a stage promoted there needs
an approval as it would in the component's own card. Real git repositories, the real CLI."""

from __future__ import annotations

MLMODEL = "flavors:\n  python_function:\n    loader_module: mlflow.sklearn\n"
CARD = (
    "---\nversion: '1.0.0'\nlast_reviewed: 2026-10-01\nstage: {stage}\nowners: ['@acme/ml']\n"
    "---\n## Intended use\nChurn.\n"
)


def test_a_stage_promoted_in_the_card_above_is_a_material_change(make_repo, run_cli):
    repo = make_repo(
        {
            "churn/model/MLmodel": MLMODEL,
            "churn/model/model.pkl": "weights\n",
            "churn/MODEL_CARD.md": CARD.format(stage="shadow"),
        }
    )
    repo.write({"churn/MODEL_CARD.md": CARD.format(stage="autonomous")})
    repo.commit("promote churn")
    result = run_cli("check", "--diff", "HEAD~1", "--select", "RW401", cwd=repo.path)
    assert result.exit_code == 1
    assert result.out.startswith(
        "churn/MODEL_CARD.md:4: error RW401 unapproved-material-change:"
    ), result.out
    assert "stage promoted from shadow to autonomous" in result.out


def test_a_change_beside_the_card_of_another_folder_touches_nothing(make_repo, run_cli):
    repo = make_repo(
        {
            "churn/serving/MLmodel": MLMODEL,
            "churn/MODEL_CARD.md": CARD.format(stage="shadow"),
        }
    )
    repo.write({"churn/MODEL_CARD.md": CARD.format(stage="autonomous")})
    repo.commit("not serving's card: serving/ names a model, it is not a weights folder")
    result = run_cli("check", "--diff", "HEAD~1", cwd=repo.path)
    assert result.exit_code == 0
    assert "in 0 components" in result.err

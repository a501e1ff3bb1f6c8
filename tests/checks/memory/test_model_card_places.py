"""Where the recommended preset finds a model card: the spellings real repositories use, a
Hugging Face README with card metadata, and the folder above an MLflow model saved as
``model/``. The cards are real ones from the corpus (see its SOURCES.md)."""

from __future__ import annotations

from pathlib import Path

import pytest
from testing.memory import component

from roadworthy.checks import CHECKS

W = b"\x00weights"
MLMODEL = "flavors:\n  python_function:\n    loader_module: mlflow.sklearn\n"


def card_problems(files: dict[str, str | bytes], path: str) -> list[str]:
    found, ctx = component(files, path)
    problems = CHECKS["file-exists"].check(found, ctx, {"artifact": "model_card"})
    return [p.message for p in problems]


def card_of(files: dict[str, str | bytes], path: str) -> str | None:
    found, ctx = component(files, path)
    return ctx.locate(found, {"artifact": "model_card"})


@pytest.mark.parametrize(
    ("name", "card"),
    [
        pytest.param("model-card.md", "openai-whisper__model-card.md", id="model-card.md"),
        pytest.param("model_card.md", "openai-gpt-2__model_card.md", id="model_card.md"),
        pytest.param("MODEL_CARD.md", "facebookresearch-dinov2__MODEL_CARD.md", id="MODEL_CARD"),
        pytest.param("modelcard.md", "Stability-AI-stablediffusion__modelcard.md", id="lower"),
        pytest.param("ModelCard.md", "suno-ai-bark__model-card.md", id="ModelCard.md"),
    ],
)
def test_the_spellings_people_use(corpus: Path, name: str, card: str):
    text = (corpus / "model-cards" / card).read_text(encoding="utf-8")
    files = {"models/m/model.pt": W, f"models/m/{name}": text}
    assert card_of(files, "models/m") == f"models/m/{name}"


@pytest.mark.parametrize(
    ("readme", "is_card"),
    [
        pytest.param("hf-hub__fixtures__cards__sample_simple.md", True, id="hf-metadata"),
        pytest.param("hf-hub__fixtures__cards__sample_windows_line_breaks.md", True, id="crlf"),
        pytest.param(
            "transformers-model_cards__google__tapas-base-finetuned-wtq__README.md",
            True,
            id="transformers-2020",
        ),
        pytest.param("hf-evaluate__metrics__accuracy__README.md", False, id="spaces-metadata"),
        pytest.param("hf-hub__fixtures__cards__sample_no_metadata.md", False, id="no-metadata"),
        pytest.param(
            "onnx-models__2023-layout__vision__classification__resnet__README.md",
            False,
            id="zoo-readme",
        ),
    ],
)
def test_a_readme_is_a_card_by_its_card_metadata(corpus: Path, readme: str, is_card: bool):
    text = (corpus / "model-cards" / readme).read_bytes()
    files = {"models/m/model.safetensors": W, "models/m/README.md": text}
    assert card_of(files, "models/m") == ("models/m/README.md" if is_card else None)


def test_a_spaces_readme_is_not_named_as_the_card(corpus: Path):
    text = (corpus / "model-cards" / "hf-evaluate__metrics__accuracy__README.md").read_bytes()
    files = {"m/model.onnx": W, "m/README.md": text}
    assert card_problems(files, "m") == [
        "no MODEL_CARD.md (any of 6 spellings) or README.md with card front matter"
        " (license, language, ...) in m"
    ]


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        pytest.param(
            {"churn/model/MLmodel": MLMODEL, "churn/model_card.md": "# Churn\n"},
            "churn/model_card.md",
            id="mlflow-model-folder",
        ),
        pytest.param(
            {"model/MLmodel": MLMODEL, "MODEL_CARD.md": "# Churn\n"},
            "MODEL_CARD.md",
            id="at-the-root",
        ),
        pytest.param(
            {"churn/model/MLmodel": MLMODEL, "churn/model/MODEL_CARD.md": "# c\n"},
            "churn/model/MODEL_CARD.md",
            id="its-own-card-first",
        ),
        pytest.param(
            {"churn/model/MLmodel": MLMODEL, "churn/docs/MODEL_CARD.md": "# c\n"},
            None,
            id="only-the-folder-above-itself",
        ),
        pytest.param(
            {"churn/serving/MLmodel": MLMODEL, "churn/MODEL_CARD.md": "# c\n"},
            None,
            id="not-above-a-folder-that-names-a-model",
        ),
    ],
)
def test_a_card_above_a_weights_folder(files, expected):
    path = next(p for p in files if p.endswith("MLmodel")).rpartition("/")[0]
    assert card_of(files, path) == expected

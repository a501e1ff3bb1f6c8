"""``markdown-sections``: required sections are present and filled, at any level, any case."""

from __future__ import annotations

import pytest

CODE = "ACME101"
W = "placeholder weights\n"
OPTIONS = {
    "paths": ["MODEL_CARD.md"],
    "sections": [{"name": "Intended use", "aliases": ["Uses"]}, "Limitations"],
}
CARD = "m/MODEL_CARD.md"


def card(text: str) -> dict[str, str]:
    return {"m/model.onnx": W, CARD: text}


@pytest.mark.parametrize(
    ("text", "expected"),
    (
        pytest.param(
            "# Scorer\n## Intended use\nRanks leads.\n## Limitations\nEnglish only.\n",
            [],
            id="filled",
        ),
        pytest.param(
            "# Scorer\n### INTENDED USE\nRanks leads.\n#### limitations\nEnglish only.\n",
            [],
            id="any-level-any-case",
        ),
        pytest.param(
            "Intended use\n============\nRanks leads.\n\nLimitations\n-----------\nEnglish only.\n",
            [],
            id="setext-headings",
        ),
        pytest.param(
            "# Scorer\n## Uses\nRanks leads.\n## Limitations\nEnglish only.\n", [], id="alias"
        ),
        pytest.param(
            "## Intended use\n### Primary use\nRanks leads.\n## Limitations\nEnglish only.\n",
            [],
            id="subsection-fills-parent",
        ),
        pytest.param(
            "## Intended use\nRanks leads.\n",
            [(CODE, CARD, 1)],
            id="missing",
        ),
        pytest.param(
            "## Intended use\n## Limitations\nEnglish only.\n",
            [(CODE, CARD, 1)],
            id="heading-followed-by-heading",
        ),
        pytest.param(
            "## Intended use\nRanks leads.\n## Limitations\n",
            [(CODE, CARD, 3)],
            id="heading-at-end-of-file",
        ),
        pytest.param(
            "## Intended use\nTODO\n\n## Limitations\nEnglish only.\n",
            [(CODE, CARD, 1)],
            id="todo",
        ),
        pytest.param(
            "## Intended use\nTBD\n## Limitations\nN/A\n",
            [(CODE, CARD, 1), (CODE, CARD, 3)],
            id="tbd-and-n-a",
        ),
        pytest.param(
            "## Intended use\n[More Information Needed]\n## Limitations\nEnglish only.\n",
            [(CODE, CARD, 1)],
            id="hugging-face-placeholder",
        ),
        pytest.param(
            "## Intended use\nLorem ipsum dolor sit amet.\n## Limitations\nEnglish only.\n",
            [(CODE, CARD, 1)],
            id="lorem-ipsum",
        ),
        pytest.param(
            "## Intended use\n<!-- say what the model is for -->\n## Limitations\nNone known.\n",
            [(CODE, CARD, 1)],
            id="only-a-comment",
        ),
        pytest.param(
            "```\n## Intended use\n```\n## Limitations\nEnglish only.\n",
            [(CODE, CARD, 1)],
            id="heading-inside-code-is-not-a-heading",
        ),
        pytest.param(
            "---\nversion: '1.0'\n---\n## Intended use\nRanks leads.\n\n## Limitations\nTODO\n",
            [(CODE, CARD, 7)],
            id="line-counts-front-matter",
        ),
    ),
)
def test_sections(lint, text, expected):
    assert lint(card(text), "markdown-sections", OPTIONS) == expected


@pytest.mark.parametrize(
    ("risk", "expected"),
    (
        pytest.param("minimal", [], id="not-for-minimal"),
        pytest.param("high", [(CODE, CARD, 1)], id="high-needs-oversight"),
    ),
)
def test_sections_for_risk(lint, risk, expected):
    text = f"---\nrisk: {risk}\n---\n## Intended use\nRanks leads.\n## Limitations\nNone.\n"
    options = {**OPTIONS, "sections_for_risk": {"high": ["Human oversight"]}}
    assert lint(card(text), "markdown-sections", options) == expected


@pytest.mark.parametrize(
    ("required", "expected"),
    (
        pytest.param(False, [], id="missing-file-is-another-rules-finding"),
        pytest.param(True, [(CODE, "m/model.onnx", 1)], id="required"),
    ),
)
def test_missing_file(lint, required, expected):
    options = {**OPTIONS, "required": required}
    assert lint({"m/model.onnx": W}, "markdown-sections", options) == expected


def test_unreadable_file_is_rw001_not_a_section_finding(lint):
    files = {"m/model.onnx": W, CARD: b"\x00\x01binary\x00"}
    assert lint(files, "markdown-sections", OPTIONS) == [("RW001", CARD, 1)]


def test_recommended_aliases(lint):
    # The recommended preset accepts the Hugging Face template's headings.
    text = (
        "---\nversion: '1.0.0'\nlast_reviewed: 2026-10-01\nstage: shadow\nowners: ['@a']\n---\n"
        "## Uses\nRanks leads.\n## Bias, Risks, and Limitations\nSee below.\n"
        "## Training Details\n### Training Data\nCRM exports.\n"
        "## Evaluation\n### Results\nAUC 0.8.\n"
    )
    contract = "apiVersion: v3.0.2\nkind: DataContract\nid: leads\nversion: 1.0.0\nstatus: active\n"
    files = {"m/model.onnx": W, CARD: text, "m/data_contract.yaml": contract}
    assert lint(files) == []

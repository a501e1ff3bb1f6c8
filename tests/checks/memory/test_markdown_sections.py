"""``markdown-sections`` in memory: a Markdown file in, missing or empty sections out."""

from __future__ import annotations

import re

import pytest
from testing.memory import component, run_check

from roadworthy.checks import CHECKS

W = b"\x00weights"
OPTIONS = {
    "paths": ["RUNBOOK.md"],
    "sections": [{"name": "Alerts"}, {"name": "Escalation", "aliases": ["On call"]}],
}


def problems(text: str | bytes, options=OPTIONS):
    found = run_check(
        "markdown-sections", {"models/m/model.onnx": W, "models/m/RUNBOOK.md": text}, options
    )
    return [(p.message, p.line) for p in found]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "# R\n\n## Alerts\nDrift pages on-call.\n\n## Escalation\nThen @alice.\n",
            [],
            id="complete",
        ),
        pytest.param("## alerts\nx\n\n### ESCALATION\ny\n", [], id="any-level-any-case"),
        pytest.param("## Alerts\nx\n\n## On call\ny\n", [], id="alias"),
        pytest.param(
            "## Alerts\nx\n",
            [("RUNBOOK.md has no 'Escalation' section", None)],
            id="missing",
        ),
        pytest.param(
            "## Alerts\n\n## Escalation\nThen @alice.\n",
            [("RUNBOOK.md section 'Alerts' is empty or only a placeholder", 1)],
            id="empty",
        ),
        pytest.param(
            "## Alerts\nTODO: describe the alerts\n\n## Escalation\n<!-- fill in -->\n",
            [
                ("RUNBOOK.md section 'Alerts' is empty or only a placeholder", 1),
                ("RUNBOOK.md section 'Escalation' is empty or only a placeholder", 4),
            ],
            id="placeholders",
        ),
        pytest.param(
            "```\n## Alerts\n```\n## Escalation\ny\n",
            [("RUNBOOK.md has no 'Alerts' section", None)],
            id="a-heading-in-a-code-block-is-not-one",
        ),
    ],
)
def test_sections(text, expected):
    assert problems(text) == expected


def test_absent_file_is_another_rules_business_unless_required():
    files = {"models/m/model.onnx": W}
    assert run_check("markdown-sections", files, OPTIONS) == []
    (problem,) = run_check("markdown-sections", files, {**OPTIONS, "required": True})
    assert problem.message == "no RUNBOOK.md in models/m"


def test_sections_for_the_components_risk():
    options = {**OPTIONS, "sections_for_risk": {"high": [{"name": "Human oversight"}]}}
    card = "---\nrisk: high\n---\n# Card\n"
    files = {
        "models/m/model.onnx": W,
        "models/m/MODEL_CARD.md": card,
        "models/m/RUNBOOK.md": "## Alerts\nx\n## Escalation\ny\n",
    }
    found = run_check("markdown-sections", files, options)
    assert [p.message for p in found] == ["RUNBOOK.md has no 'Human oversight' section"]


def render_with_defaults(template: str) -> str:
    """A Hugging Face card template as ``ModelCard.from_template`` renders it when nothing is
    filled in: each ``{{ x | default("...", true) }}`` becomes its default text."""
    defaults = re.compile(r"\{\{\s*\w+\s*\|\s*default\(\"((?:[^\"\\]|\\.)*)\",\s*true\)\s*\}\}")
    text = defaults.sub(lambda m: m.group(1), template)
    return re.sub(r"\{\{.*?\}\}", "", text)


CARD_SECTIONS = {
    "paths": ["README.md"],
    "sections": [
        {"name": "Intended use", "aliases": ["Uses"]},
        {"name": "Limitations", "aliases": ["Bias, Risks, and Limitations"]},
    ],
}


def test_an_unfilled_hugging_face_template_is_not_a_filled_card(corpus):
    template = (corpus / "model-cards" / "hf-hub__templates__modelcard_template.md").read_text()
    rendered = render_with_defaults(template)
    assert "should be made aware" in rendered  # the stock text is there, and is not content
    found = run_check(
        "markdown-sections",
        {"models/m/model.onnx": W, "models/m/README.md": rendered},
        CARD_SECTIONS,
    )
    assert [p.message for p in found] == [
        "README.md section 'Intended use' is empty or only a placeholder",
        "README.md section 'Limitations' is empty or only a placeholder",
    ]


def test_a_written_recommendation_fills_the_section(corpus):
    template = (corpus / "model-cards" / "hf-hub__templates__modelcard_template.md").read_text()
    rendered = render_with_defaults(template).replace(
        "Users (both direct and downstream) should be made aware",
        "Do not use it on images of people; it was never evaluated there. Users should be aware",
    )
    found = run_check(
        "markdown-sections",
        {"models/m/model.onnx": W, "models/m/README.md": rendered},
        CARD_SECTIONS,
    )
    assert [p.message for p in found] == [
        "README.md section 'Intended use' is empty or only a placeholder"
    ]


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        pytest.param(
            {"paths": ["README.md"], "sections": ["Limitations"]},
            ["README.md has no 'Limitations' section"],
            id="without-alias",
        ),
        pytest.param(
            {
                "paths": ["README.md"],
                "sections": ["Limitations"],
                "aliases": {"Limitations": ["Performance and Limitations"]},
            },
            [],
            id="alias-added-by-name",
        ),
        pytest.param(
            {
                "paths": ["README.md"],
                "sections": ["Limitations"],
                "aliases": {"limitations": ["Performance and Limitations"]},
            },
            [],
            id="named-in-any-case",
        ),
    ],
)
def test_aliases_are_added_by_section_name(corpus, options, expected):
    card = (corpus / "model-cards" / "openai-whisper__model-card.md").read_text()
    files = {"models/m/model.onnx": W, "models/m/README.md": card}
    assert [p.message for p in run_check("markdown-sections", files, options)] == expected


def test_the_preset_reads_performance_and_limitations_as_both(corpus, tmp_path):
    card = (corpus / "model-cards" / "openai-CLIP__model-card.md").read_text()
    files = {"m/model.onnx": W, "m/model-card.md": card}
    found, ctx = component(files, "m")
    rule = next(r for r in ctx.policy.rules if r.code == "RW201")
    messages = [p.message for p in CHECKS["markdown-sections"].check(found, ctx, rule.options)]
    assert messages == ["model card has no 'Training data' section"]

"""``markdown-sections`` in memory: a Markdown file in, missing or empty sections out."""

from __future__ import annotations

import pytest
from testing.memory import run_check

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

"""Cutting a section's text and its tables out of a Markdown file."""

from __future__ import annotations

import pytest

from roadworthy.formats import markdown
from roadworthy.formats.markdown_text import Table, section_text, tables


def _text_of(source: str, name: str) -> str:
    doc = markdown.parse(source)
    section = markdown.find_section(doc, [name])
    assert section is not None
    return section_text(source, doc, section)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param(
            "# Card\n\n## Uses\n\nRanks things.\n\n### Direct use\n\nSorting.\n\n## Limits\n\nMany.\n",
            "Ranks things.\n\n### Direct use\n\nSorting.",
            id="atx-with-subsection",
        ),
        pytest.param(
            "Uses\n----\n\nRanks things.\n\nLimits\n------\nMany.\n",
            "Ranks things.",
            id="setext",
        ),
        pytest.param(
            "**Uses:** ranks things\nfor reviewers.\n\n**Limits:** many\n",
            "ranks things\nfor reviewers.",
            id="bold-label",
        ),
        pytest.param(
            "## Uses\n<!-- fill in -->\nRanks <!-- inline --> things.\n",
            "Ranks  things.",
            id="comments-dropped",
        ),
        pytest.param("## Uses\n\nRanks things.", "Ranks things.", id="last-section"),
    ],
)
def test_section_text(source: str, expected: str) -> None:
    assert _text_of(source, "Uses") == expected


def test_tables() -> None:
    body = (
        "Results:\n\n| metric | 2025 | 2026 |\n|:--|--:|---|\n| AUC | 0.8 | 0.9 |\n"
        "| a \\| b | 1 |  |\n\nafter\n| not | a table |\n"
    )
    assert tables(body) == (
        Table(("metric", "2025", "2026"), (("AUC", "0.8", "0.9"), ("a | b", "1", ""))),
    )

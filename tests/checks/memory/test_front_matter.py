"""``front-matter`` in memory: a card's YAML front matter in, missing or ill-shaped keys out."""

from __future__ import annotations

import pytest
from testing.memory import run_check

W = b"\x00weights"
OPTIONS = {
    "paths": ["MODEL_CARD.md"],
    "keys": {"version": "version", "last_reviewed": "date", "owners": "owners"},
}


def problems(card: str):
    found = run_check(
        "front-matter", {"models/m/model.onnx": W, "models/m/MODEL_CARD.md": card}, OPTIONS
    )
    return [(p.message, p.line) for p in found]


GOOD = "---\nversion: 1.2.0\nlast_reviewed: 2026-10-01\nowners: ['@alice']\n---\n# Card\n"


@pytest.mark.parametrize(
    ("card", "expected"),
    [
        pytest.param(GOOD, [], id="complete"),
        pytest.param(
            "# Card\n",
            [
                (
                    "MODEL_CARD.md has no YAML front matter (needs version, last_reviewed, owners)",
                    1,
                )
            ],
            id="none",
        ),
        pytest.param(
            GOOD.replace("version: 1.2.0\n", ""),
            [("front matter has no 'version'", 1)],
            id="missing-key",
        ),
        pytest.param(GOOD.replace("2026-10-01", "last autumn"), "last_reviewed", id="not-a-date"),
        pytest.param(GOOD.replace("1.2.0", "one point two"), "version", id="not-a-version"),
        pytest.param(GOOD.replace("['@alice']", "[alice]"), "owners", id="not-a-handle"),
    ],
)
def test_front_matter(card, expected):
    found = problems(card)
    if isinstance(expected, str):  # a shape problem: named key, at its own line
        ((message, line),) = found
        assert message.startswith(f"front matter {expected!r} is ")
        assert line == next(
            i for i, text in enumerate(card.splitlines(), 1) if text.startswith(expected)
        )
    else:
        assert found == expected


def test_no_card_is_another_rules_business():
    assert run_check("front-matter", {"models/m/model.onnx": W}, OPTIONS) == []

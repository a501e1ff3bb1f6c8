"""``freshness`` in memory: a review date in, stale or future dates out (today: 2026-11-21)."""

from __future__ import annotations

import pytest
from testing.memory import run_check

W = b"\x00weights"


def problems(reviewed: str, options=None):
    card = f"---\nversion: 1.0.0\nlast_reviewed: {reviewed}\n---\n# Card\n"
    found = run_check(
        "freshness",
        {"models/m/model.onnx": W, "models/m/MODEL_CARD.md": card},
        options or {"max_age_days": 180},
    )
    return [(p.message, p.path, p.line) for p in found]


@pytest.mark.parametrize(
    ("reviewed", "expected"),
    [
        pytest.param("2026-11-21", [], id="today"),
        pytest.param("2026-05-25", [], id="exactly-the-limit"),
        pytest.param(
            "2026-05-24",
            [
                (
                    "last_reviewed 2026-05-24 is 181 days old (limit 180; due 2026-11-20)",
                    "models/m/MODEL_CARD.md",
                    3,
                )
            ],
            id="a-day-over",
        ),
        pytest.param(
            "2026-11-22",
            [("last_reviewed 2026-11-22 is in the future", "models/m/MODEL_CARD.md", 3)],
            id="future",
        ),
        pytest.param("not a date", [], id="unparseable-is-the-front-matter-rules-business"),
    ],
)
def test_freshness(reviewed, expected):
    assert problems(reviewed) == expected


def test_no_date_no_problem():
    files = {"models/m/model.onnx": W, "models/m/MODEL_CARD.md": "---\nversion: 1.0.0\n---\n"}
    assert run_check("freshness", files, {"max_age_days": 1}) == []

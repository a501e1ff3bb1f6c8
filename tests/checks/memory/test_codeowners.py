"""``codeowners`` in memory: CODEOWNERS and card owners in, unowned components out."""

from __future__ import annotations

import pytest
from testing.memory import run_check

W = b"\x00weights"


def problems(files, options=None):
    return [
        p.message
        for p in run_check("codeowners", {"models/m/model.onnx": W, **files}, options or {})
    ]


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        pytest.param({".github/CODEOWNERS": "/models/m/ @acme/ml\n"}, [], id="codeowners"),
        pytest.param({"CODEOWNERS": "/models/ @acme/ml\n"}, [], id="a-parent-folder"),
        pytest.param(
            {"models/m/MODEL_CARD.md": "---\nowners: ['@alice']\n---\n"}, [], id="card-owners"
        ),
        pytest.param({}, ["no owner for models/m in CODEOWNERS and card metadata"], id="none"),
        pytest.param(
            {
                ".github/CODEOWNERS": "/models/m/ @acme/ml\n",
                "CODEOWNERS": "* @nobody\n/models/m/\n",
            },
            [],
            id="github-reads-the-first-location-only",
        ),
        pytest.param(
            {".github/CODEOWNERS": "/models/m/ @acme/ml\n/models/m/\n"},
            ["no owner for models/m in CODEOWNERS and card metadata"],
            id="a-later-line-without-owners-unowns",
        ),
    ],
)
def test_owners(files, expected):
    assert problems(files) == expected


def test_the_catch_all_can_be_ignored():
    files = {".github/CODEOWNERS": "* @everyone\n"}
    assert problems(files) == []
    assert problems(files, {"ignore_catch_all": True}) == [
        "no owner for models/m in CODEOWNERS and card metadata"
    ]


def test_high_risk_needs_more_owners():
    card = "---\nrisk: high\nowners: ['@alice']\n---\n"
    found = problems(
        {"models/m/MODEL_CARD.md": card},
        {"min_owners": {"high": 2}, "accountable_satisfies": False},
    )
    assert found == ["1 owner(s) (@alice); risk high needs 2"]

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
        "no owner for models/m in CODEOWNERS and card metadata; the catch-all rule"
        " '* @everyone' (.github/CODEOWNERS:1) was ignored: a repository-wide default reviewer"
        " is not a model's owner (options.ignore_catch_all)"
    ]


def test_an_ignored_pattern_is_named():
    files = {".github/CODEOWNERS": "* @everyone\n/models/ @acme/area\n"}
    assert problems(files, {"ignore_patterns": ["/models/"], "ignore_catch_all": True}) == [
        "no owner for models/m in CODEOWNERS and card metadata; the rule '/models/ @acme/area'"
        " (.github/CODEOWNERS:2) was ignored (options.ignore_patterns)"
    ]


@pytest.mark.parametrize(
    ("options", "fix"),
    [
        pytest.param({}, "add owners: to the front matter of the model card", id="card"),
        pytest.param(
            {"sources": ["codeowners"], "ignore_catch_all": True},
            "add '* @your-team' to .github/CODEOWNERS and set options.ignore_catch_all: false",
            id="codeowners-only",
        ),
    ],
)
def test_a_root_component_fix_is_never_a_dot_pattern(options, fix):
    found = run_check("codeowners", {"model.onnx": W}, options, path="")
    assert [p.fix for p in found] == [fix]


def test_high_risk_needs_more_owners():
    card = "---\nrisk: high\nowners: ['@alice']\n---\n"
    found = problems(
        {"models/m/MODEL_CARD.md": card},
        {"min_owners": {"high": 2}, "accountable_satisfies": False},
    )
    assert found == ["1 owner (@alice); risk high needs 2"]

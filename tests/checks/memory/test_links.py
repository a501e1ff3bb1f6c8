"""``links`` in memory: relative links in Markdown in, the ones that lead nowhere out."""

from __future__ import annotations

import pytest
from testing.memory import run_check

W = b"\x00weights"


def problems(card: str, extra=None):
    files = {
        "models/m/model.onnx": W,
        "models/m/MODEL_CARD.md": card,
        "models/m/eval/report.md": "# r\n",
        "docs/guide.md": "# g\n",
        **(extra or {}),
    }
    return [(p.message, p.line) for p in run_check("links", files, {"artifacts": ["model_card"]})]


@pytest.mark.parametrize(
    ("card", "expected"),
    [
        pytest.param("See [report](eval/report.md).\n", [], id="relative"),
        pytest.param("See [guide](../../docs/guide.md).\n", [], id="up-and-over"),
        pytest.param("See [guide](/docs/guide.md).\n", [], id="repository-absolute"),
        pytest.param("See [eval](eval/).\n", [], id="a-folder"),
        pytest.param("See [r](eval/report.md#results).\n", [], id="with-anchor"),
        pytest.param("See [site](https://example.com/x.md).\n", [], id="external-is-not-checked"),
        pytest.param(
            "# t\n\nSee [old](eval/old.md).\n",
            [("link to 'eval/old.md' does not resolve", 3)],
            id="broken",
        ),
        pytest.param(
            "See [out](../../../../etc/passwd).\n",
            [("link to '../../../../etc/passwd' does not resolve (it leaves the repository)", 1)],
            id="leaves-the-repository",
        ),
        pytest.param("```\n[x](missing.md)\n```\n", [], id="in-a-code-block"),
    ],
)
def test_links(card, expected):
    assert problems(card) == expected

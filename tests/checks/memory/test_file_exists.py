"""``file-exists`` in memory: files in, problems out."""

from __future__ import annotations

import pytest
from testing.memory import run_check

W = b"\x00weights"


@pytest.mark.parametrize(
    ("files", "options", "expected"),
    [
        pytest.param(
            {"models/m/model.onnx": W, "models/m/RUNBOOK.md": "# r\n"},
            {"paths": ["RUNBOOK.md"]},
            [],
            id="present",
        ),
        pytest.param(
            {"models/m/model.onnx": W},
            {"paths": ["RUNBOOK.md"]},
            ["no RUNBOOK.md in models/m"],
            id="absent",
        ),
        pytest.param(
            {"models/m/model.onnx": W, "models/m/docs/runbook.md": "# r\n"},
            {"paths": ["RUNBOOK.md", "docs/runbook.md"]},
            [],
            id="second-candidate",
        ),
        pytest.param(
            {"models/m/model.onnx": W, "models/m/ops/a.runbook.md": "# r\n"},
            {"paths": ["ops/*.runbook.md"]},
            [],
            id="glob-candidate",
        ),
        pytest.param(
            {"models/m/model.onnx": W, "RUNBOOK.md": "# r\n"},
            {"paths": ["RUNBOOK.md"]},
            ["no RUNBOOK.md in models/m"],
            id="at-the-root-is-not-in-the-component",
        ),
        pytest.param(
            {
                "models/m/model.onnx": W,
                "models/m/inner/model.onnx": W,
                "models/m/inner/RUNBOOK.md": "# r\n",
            },
            {"paths": ["RUNBOOK.md"]},
            ["no RUNBOOK.md in models/m"],
            id="a-nested-folder-is-not-the-component",
        ),
        pytest.param(
            {"models/m/model.onnx": W},
            {"artifact": "model_card"},
            ["no MODEL_CARD.md in models/m"],
            id="named-artifact",
        ),
    ],
)
def test_file_exists(files, options, expected):
    assert [p.message for p in run_check("file-exists", files, options)] == expected


def test_the_fix_names_the_first_candidate():
    (problem,) = run_check("file-exists", {"models/m/model.onnx": W}, {"paths": ["A.md", "B.md"]})
    assert problem.message == "no A.md or B.md in models/m"
    assert problem.fix is not None and problem.fix.startswith("add models/m/A.md")
    assert (problem.path, problem.line) == (None, None)  # the engine points at the marker

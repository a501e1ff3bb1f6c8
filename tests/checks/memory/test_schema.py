"""``schema`` in memory: a data contract in, schema violations at their lines out."""

from __future__ import annotations

import pytest
from testing.memory import run_check

W = b"\x00weights"
ODCS = """\
apiVersion: v3.0.2
kind: DataContract
id: credit-applications
version: 1.0.0
status: active
"""


def problems(contract: str | bytes):
    files = {"models/m/model.onnx": W, "models/m/data_contract.yaml": contract}
    return [
        (p.message, p.line) for p in run_check("schema", files, {"paths": ["data_contract.yaml"]})
    ]


def test_a_valid_odcs_contract():
    assert problems(ODCS) == []


def test_a_violation_points_at_its_line():
    ((message, line),) = problems(ODCS.replace("status: active", "status: 12"))
    assert message.startswith("not valid against ODCS v3.0.2: status: ")
    assert line == 5


def test_a_missing_required_key():
    ((message, line),) = problems(ODCS.replace("id: credit-applications\n", ""))
    assert message == "not valid against ODCS v3.0.2: the document: 'id' is required"
    assert line == 1


@pytest.mark.parametrize(
    "contract",
    [
        pytest.param("name: x\n", id="no-standard"),
        pytest.param("apiVersion: v9.9.9\nkind: DataContract\n", id="unknown-version"),
    ],
)
def test_an_unknown_standard_is_one_problem_at_line_1(contract):
    ((message, line),) = problems(contract)
    assert line == 1 and message


def test_a_schema_in_the_repository():
    schema = (
        '{"type": "object", "required": ["owner"], "properties": {"owner": {"type": "string"}}}'
    )
    files = {
        "models/m/model.onnx": W,
        "models/m/config.yaml": "team: x\n",
        "schemas/config.json": schema,
    }
    found = run_check("schema", files, {"paths": ["config.yaml"], "schema": "schemas/config.json"})
    assert [(p.message, p.line) for p in found] == [
        ("not valid against schemas/config.json: the document: 'owner' is required", 1)
    ]

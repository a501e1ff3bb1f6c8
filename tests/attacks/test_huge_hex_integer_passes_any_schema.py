"""A YAML hexadecimal (or octal) integer is read at any length: Python limits only the
decimal conversion of an int (4300 digits), not base 16. A contract carrying one such number
could not be written as JSON, and the validator took the encoder's ValueError for a NaN or an
infinity; finding none, it answered "no issues" without validating at all. Any contract, policy
or rule options passed its schema with one ``0xfff…`` value in it."""

from __future__ import annotations

import json

from roadworthy.formats.validation import Validator

CONTRACT = (
    "apiVersion: v3.0.2\nkind: DataContract\nid: orders\nversion: 1.0.0\nstatus: 7\n"
    "schema:\n  - name: orders\n    properties:\n      - {name: a, logicalType: string}\n"
)
HUGE = "x-padding: 0x" + "f" * 4000 + "\n"


def test_a_huge_hex_integer_does_not_skip_validation():
    schema = {"type": "object", "required": ["id"], "properties": {"n": {"maximum": 3}}}
    found = Validator(schema).issues({"n": int("f" * 4000, 16)})
    assert [i.path for i in found] == [("n",)]  # as a NaN is: the document fails


def test_a_contract_with_a_huge_hex_integer_is_still_checked(make_repo, run_cli):
    repo = make_repo(
        {"models/a/model.onnx": "weights\n", "models/a/data_contract.yaml": CONTRACT + HUGE}
    )
    result = run_cli("check", "--format", "json", cwd=repo.path)
    assert result.exit_code == 1, result.err
    paths = {f["path"] for f in json.loads(result.out)["findings"]}
    assert "models/a/data_contract.yaml" in paths

"""A YAML decimal integer of more than 4300 digits: Python's int() refuses to read it (its
limit on decimal conversions) with a ValueError, which the YAML reader let through. One such
value anywhere in a data contract, card front matter, ledger or the policy ended every check in
an internal error instead of a finding on that file. It is now a YAML error at the value, as
any other value that cannot be read."""

from __future__ import annotations

import json

import pytest

from roadworthy.formats import yamlio

LONG = "9" * 5000
CONTRACT = (
    "apiVersion: v3.0.2\nkind: DataContract\nid: orders\nversion: 1.0.0\nstatus: active\n"
    "schema:\n  - name: orders\n    properties:\n      - {name: a, logicalType: string}\n"
)


@pytest.mark.parametrize(
    ("text", "where"),
    [
        (f"a: 1\nb: {LONG}\n", (2, 4)),
        (f"- 1\n- -{LONG}\n", (2, 3)),
        (f"a: &x {LONG}\nb: *x\n", (1, 4)),
        (f"a: [1, {LONG}]\n", (1, 8)),
    ],
)
@pytest.mark.parametrize("positions", [False, True])
def test_a_long_decimal_integer_is_a_yaml_error(text, where, positions):
    with pytest.raises(yamlio.YamlError) as caught:
        yamlio.load(text, positions=positions, line_offset=3)
    assert (caught.value.line, caught.value.col) == (where[0] + 3, where[1])
    assert "4300" in caught.value.message


def test_a_contract_with_a_long_decimal_integer_is_a_finding(make_repo, run_cli):
    repo = make_repo(
        {
            "models/a/model.onnx": "weights\n",
            "models/a/data_contract.yaml": CONTRACT + f"x-padding: {LONG}\n",
        }
    )
    result = run_cli("check", "--format", "json", cwd=repo.path)
    assert result.exit_code == 1, result.err
    found = json.loads(result.out)["findings"]
    assert any(f["path"] == "models/a/data_contract.yaml" and f["line"] == 10 for f in found)

"""``schema``: a YAML/JSON artifact validates against the shipped contract schemas or a repo's."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

CODE = "ACME101"
W = "placeholder weights\n"
DC = "m/data_contract.yaml"
AUTO = {"paths": ["data_contract.yaml"]}

ODCS = """\
apiVersion: v3.0.2
kind: DataContract
id: leads
version: 1.0.0
status: active
schema:
  - name: leads
    properties:
      - name: lead_id
        logicalType: string
        required: true
      - name: created
        logicalType: date
"""
DCS = """\
dataContractSpecification: 1.1.0
id: leads
info:
  title: Leads
  version: 1.0.0
models:
  leads:
    fields:
      lead_id: {type: string, required: true}
      created: {type: date}
"""


def contract(text: str | bytes, name: str = DC) -> dict[str, str | bytes]:
    return {"m/model.onnx": W, name: text}


@pytest.mark.parametrize(
    ("text", "expected"),
    (
        pytest.param(ODCS, [], id="odcs-valid"),
        pytest.param(ODCS.replace("v3.0.2", "v3.1.0"), [], id="odcs-3.1"),
        pytest.param(ODCS.replace("v3.0.2", "v3.0.0"), [], id="odcs-3.0.0"),
        pytest.param(DCS, [], id="dcs-valid"),
        pytest.param(DCS.replace("1.1.0\nid", "0.9.3\nid"), [], id="dcs-0.9.3"),
        pytest.param(ODCS.replace("status: active\n", ""), [(CODE, DC, 1)], id="odcs-required"),
        pytest.param(
            ODCS.replace("logicalType: date", "logicalType: datetime"),
            [(CODE, DC, 13)],
            id="odcs-enum-at-its-line",
        ),
        pytest.param(
            ODCS.replace("kind: DataContract", "kind: DataContract\ndomian: sales"),
            [(CODE, DC, 3)],
            id="odcs-unknown-key-at-its-line",
        ),
        pytest.param(
            ODCS.replace("        required: true\n", "        required: yes\n"),
            [(CODE, DC, 11)],
            id="yaml-1.2-yes-is-a-string",
        ),
        pytest.param(DCS.replace("id: leads\n", ""), [(CODE, DC, 1)], id="dcs-required"),
        pytest.param(ODCS.replace("apiVersion: v3.0.2\n", ""), [(CODE, DC, 1)], id="no-standard"),
        pytest.param(
            ODCS.replace("v3.0.2", "v9.0.0"), [(CODE, DC, 1)], id="unsupported-major-version"
        ),
        pytest.param(
            ODCS.replace("v3.0.2", "latest"), [(CODE, DC, 1)], id="version-is-not-a-version"
        ),
        pytest.param("- name: leads\n- name: orders\n", [(CODE, DC, 1)], id="not-a-mapping"),
        pytest.param("", [(CODE, DC, 1)], id="empty-file"),
    ),
)
def test_auto(lint, text, expected):
    assert lint(contract(text), "schema", AUTO) == expected


def test_dcs_1_2_0_uses_the_1_2_schema(lint):
    # schemas/contracts/SOURCES.md: "1.2.x and later 1.x -> 1.2.1". A 1.2.0 contract must not
    # be judged by the 1.1.0 schema, whose own enum rejects "dataContractSpecification: 1.2.0".
    text = DCS.replace("1.1.0\nid", "1.2.0\nid")
    assert lint(contract(text), "schema", AUTO) == []


def test_json_contract(lint):
    text = json.dumps({"apiVersion": "v3.0.2", "kind": "DataContract", "id": "x", "version": "1"})
    options = {"paths": ["contract.json"]}
    assert lint(contract(text, "m/contract.json"), "schema", options) == [
        (CODE, "m/contract.json", 1)
    ]


def test_max_errors(lint):
    text = "apiVersion: v3.0.2\nkind: Other\n"  # kind, id, version and status wrong or missing
    found = lint(contract(text), "schema", {**AUTO, "max_errors": 2})
    assert len(found) == 3  # two shown, then one "more errors not shown"
    assert {code for code, _, _ in found} == {CODE}


@pytest.mark.parametrize(("limit", "more"), [(3, "1 more error against"), (2, "2 more errors")])
def test_the_count_of_errors_not_shown_reads_well(make_repo, run_cli, limit, more):
    policy = (
        "version: 1\nextends: [recommended]\nrules:\n"
        f"  RW202: {{options: {{max_errors: {limit}}}}}\n"
    )
    contract_text = "apiVersion: v3.0.2\nkind: Other\n"  # four problems
    files = {"m/model.onnx": "w", "m/data_contract.yaml": contract_text, "roadworthy.yaml": policy}
    out = run_cli("check", "--select", "RW202", cwd=make_repo(files).path).out
    assert more in out


def test_unparseable_contract_is_rw001(lint):
    text = "apiVersion: v3.0.2\nkind: [DataContract\n"
    # The flow sequence is never closed: the error is at the end of the last line, line 2.
    assert lint(contract(text), "schema", AUTO) == [("RW001", DC, 2)]


SCHEMA = json.dumps(
    {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "required": ["owner", "threshold"],
        "properties": {
            "owner": {"type": "string"},
            "threshold": {"type": "number", "minimum": 0, "maximum": 1},
        },
    }
)


@pytest.mark.parametrize(
    ("serving", "expected"),
    (
        pytest.param("owner: '@acme/ml'\nthreshold: 0.7\n", [], id="valid"),
        pytest.param(
            "owner: '@acme/ml'\nthreshold: 1.7\n", [(CODE, "m/serving.yaml", 2)], id="max"
        ),
        pytest.param("owner: '@acme/ml'\n", [(CODE, "m/serving.yaml", 1)], id="required"),
    ),
)
def test_repository_schema(lint, serving, expected):
    files = {"m/model.onnx": W, "m/serving.yaml": serving, "schemas/serving.json": SCHEMA}
    options = {"paths": ["serving.yaml"], "schema": "schemas/serving.json"}
    assert lint(files, "schema", options) == expected


@pytest.mark.parametrize(
    ("schema_files", "expected"),
    (
        pytest.param({}, [(CODE, "m/serving.yaml", 1)], id="schema-missing"),
        pytest.param(
            {"schemas/serving.json": '{"type": "strin"}'},
            [(CODE, "m/serving.yaml", 1)],
            id="not-a-json-schema",
        ),
        pytest.param(
            {"schemas/serving.json": '["a list"]'},
            [(CODE, "m/serving.yaml", 1)],
            id="schema-not-an-object",
        ),
        pytest.param(
            {"schemas/serving.json": '{\n  "type": [\n}\n'},
            [(CODE, "m/serving.yaml", 1), ("RW001", "schemas/serving.json", 3)],
            id="schema-unparseable",
        ),
    ),
)
def test_broken_repository_schema_is_a_finding(lint, schema_files, expected):
    files = {"m/model.onnx": W, "m/serving.yaml": "threshold: 0.7\n", **schema_files}
    options = {"paths": ["serving.yaml"], "schema": "schemas/serving.json"}
    assert lint(files, "schema", options) == expected


@pytest.mark.parametrize("present", (True, False), ids=("schema-present", "schema-missing"))
def test_the_repository_schema_is_looked_for_once_per_run(lint, monkeypatch, present):
    # One schema for every component: whether it exists is asked once, with its loading, not
    # once a component (9,000 lstats of the same file in the 10,000-component benchmark); a
    # missing one is still a finding at each component.
    from roadworthy.workspace.worktree import WorkTree

    asked: list[str] = []
    exists = WorkTree.exists

    def counting(self, path):
        asked.append(path)
        return exists(self, path)

    monkeypatch.setattr(WorkTree, "exists", counting)
    files = {f"m{i}/model.onnx": W for i in range(3)}
    files |= {f"m{i}/serving.yaml": "owner: '@acme/ml'\nthreshold: 1.7\n" for i in range(3)}
    if present:
        files["schemas/serving.json"] = SCHEMA
    options = {"paths": ["serving.yaml"], "schema": "schemas/serving.json"}
    line = 2 if present else 1
    assert lint(files, "schema", options, "--jobs", "1") == [
        (CODE, f"m{i}/serving.yaml", line) for i in range(3)
    ]
    assert asked.count("schemas/serving.json") == 1


@pytest.mark.parametrize(
    "ref",
    (
        pytest.param("#/$defs/missing", id="pointer-to-nowhere"),
        pytest.param("common.json", id="other-file"),
    ),
)
def test_unresolvable_ref_in_repository_schema_is_a_finding_not_a_crash(make_repo, run_cli, ref):
    schema = json.dumps({"type": "object", "properties": {"threshold": {"$ref": ref}}})
    files = {
        "m/model.onnx": W,
        "m/serving.yaml": "threshold: 0.7\n",
        "schemas/serving.json": schema,
        "schemas/common.json": '{"type": "number"}',
        "roadworthy.yaml": json.dumps(
            {
                "version": 1,
                "rules": {
                    CODE: {
                        "name": "under-test",
                        "check": "schema",
                        "dimension": "data",
                        "options": {"paths": ["serving.yaml"], "schema": "schemas/serving.json"},
                    }
                },
            }
        ),
    }
    result = run_cli("check", "--format", "json", cwd=make_repo(files).path)
    assert result.exit_code == 1, result.err
    codes = {(f["code"], f["path"]) for f in json.loads(result.out)["findings"]}
    assert codes == {(CODE, "m/serving.yaml")}


@pytest.mark.parametrize("without_rs", [False, True], ids=["jsonschema-rs", "jsonschema"])
def test_a_schema_regex_cannot_hang_the_run(make_repo, tmp_path, without_rs):
    # SPEC §10: "user regexes cannot hang the run". A catastrophic pattern in a repository
    # schema, run in a child process so that a hang fails this test instead of the suite.
    schema = json.dumps({"type": "object", "properties": {"name": {"pattern": "^(a+)+$"}}})
    files = {
        "m/model.onnx": W,
        "m/serving.yaml": "name: " + "a" * 40 + "!\n",
        "schemas/serving.json": schema,
        "roadworthy.yaml": json.dumps(
            {
                "version": 1,
                "rules": {
                    CODE: {
                        "name": "under-test",
                        "check": "schema",
                        "dimension": "data",
                        "options": {"paths": ["serving.yaml"], "schema": "schemas/serving.json"},
                    }
                },
            }
        ),
    }
    repo = make_repo(files)
    script = textwrap.dedent(
        """
        import sys
        if sys.argv[1] == "True":
            sys.modules["jsonschema_rs"] = None  # no wheel: Python's re backtracks, a deadline
        from roadworthy.cli import main
        sys.exit(main(["check", "--format", "json"]))
        """
    )
    try:
        proc = subprocess.run(
            [sys.executable, "-c", script, str(without_rs)],
            cwd=repo.path,
            capture_output=True,
            # Far above the 2 s per-file deadline plus start-up on a loaded CI runner, far
            # below what 2^40 backtracking steps take: a hang still fails, load does not.
            timeout=30,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("a catastrophic regex in a repository schema hangs roadworthy check")
    assert proc.returncode in (0, 1), proc.stderr


def test_a_file_too_slow_to_validate_is_a_finding_naming_it(make_repo):
    # Where jsonschema-rs has no wheel, jsonschema compares 3,000 objects pairwise for
    # uniqueItems (minutes): the deadline stops that file, names it, and the run goes on.
    items = "".join(f"- {{n: {i}}}\n" for i in range(3000))
    schema = json.dumps({"type": "array", "uniqueItems": True})
    rule = {"name": "under-test", "check": "schema", "dimension": "data"}
    files = {
        "a/model.onnx": W,
        "a/rows.yaml": items,
        "b/model.onnx": W,
        "b/rows.yaml": "{}\n",
        "schemas/rows.json": schema,
        "roadworthy.yaml": json.dumps(
            {
                "version": 1,
                "rules": {
                    CODE: {
                        **rule,
                        "options": {"paths": ["rows.yaml"], "schema": "schemas/rows.json"},
                    }
                },
            }
        ),
    }
    repo = make_repo(files)
    script = textwrap.dedent(
        """
        import sys
        sys.modules["jsonschema_rs"] = None  # no wheel for this platform: the import fails
        from roadworthy.cli import main
        sys.exit(main(["check", "--format", "json"]))
        """
    )
    proc = subprocess.run(
        [sys.executable, "-c", script], cwd=repo.path, capture_output=True, timeout=30
    )
    assert proc.returncode == 1, proc.stderr
    found = {f["path"]: f["message"] for f in json.loads(proc.stdout)["findings"]}
    assert found["a/rows.yaml"] == (
        "a/rows.yaml not validated against schemas/rows.json: validation took over 2 s and was "
        "stopped; a pattern in the schema may backtrack catastrophically"
    )
    assert "cannot be used" in found["b/rows.yaml"]


def test_a_failing_object_is_shown_short_with_its_path(make_repo, run_cli):
    """A validator quotes the failing value whole: here a table definition, a kilobyte."""
    description = "what each order row holds " * 40
    text = (
        "apiVersion: v3.0.2\nkind: DataContract\nid: x\nversion: 1.0.0\nstatus: active\n"
        f"schema:\n  name: orders\n  physicalName: orders_tbl\n  description: {description}\n"
        "  properties:\n    - {name: a, logicalType: string}\n"
    )
    files = {"m/model.onnx": "w", "m/data_contract.yaml": text}
    out = run_cli("check", "--select", "RW202", cwd=make_repo(files).path).out
    first = out.splitlines()[0]
    assert first.startswith("m/data_contract.yaml:6: error RW202 invalid-data-contract: ")
    assert "schema: " in first and "'array'" in first
    assert len(first) < 200

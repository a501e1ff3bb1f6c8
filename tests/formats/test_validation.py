"""Findings are the same whichever library validates: jsonschema-rs, or jsonschema where
jsonschema-rs cannot be imported. Checked on the corpus's real contracts and schemas, on this
repository's own test data, and on broken copies of both (the error paths are where the two
libraries differ most)."""

from __future__ import annotations

import contextlib
import copy
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from roadworthy.checks import CHECKS
from roadworthy.formats import contracts, yamlio
from roadworthy.formats.validation import (
    InvalidSchema,
    Issue,
    ValidationTimeout,
    Validator,
    engine_name,
)
from roadworthy.policy.load import policy_schema

ROOT = Path(__file__).parents[2]
MUTATIONS_PER_DOCUMENT = 6
# jsonschema takes ~0.2 s per copy of the 190 KB AdventureWorks contract: larger documents are
# compared as they are, not broken in every way.
LARGE = 20_000


def outcome(schema: Any, instance: Any, engine: str, check_schema: bool = False) -> Any:
    try:
        return Validator(schema, engine=engine, check_schema=check_schema).issues(instance)
    except InvalidSchema as exc:
        return f"invalid schema: {exc}"


def disagreements(schema: Any, instances: list[tuple[str, Any]], check: bool = False) -> list[str]:
    rs = Validator(schema, engine="rs", check_schema=check)
    py = Validator(schema, engine="py", check_schema=check)
    found = []
    for name, instance in instances:
        ours = [_run(rs, instance), _run(py, instance)]
        if ours[0] != ours[1]:
            found.append(f"{name}:\n  jsonschema-rs: {ours[0]}\n  jsonschema:    {ours[1]}")
    return found


def _run(validator: Validator, instance: Any) -> Any:
    try:
        return validator.issues(instance)
    except InvalidSchema as exc:
        return f"invalid schema: {exc}"


def mutations(doc: Any) -> Iterator[tuple[str, Any]]:
    """The document, then broken copies: a key dropped, a misspelt key, wrong-typed values."""
    yield "as is", doc
    if not isinstance(doc, dict) or len(json.dumps(doc)) > LARGE:
        return
    for key in list(doc)[:2]:
        yield f"without {key}", {k: v for k, v in doc.items() if k != key}
    broken = dict(doc)
    broken[f"{next(iter(doc), 'x')}x"] = 1
    yield "a misspelt key", broken
    leaves = list(_leaves(doc, ()))
    step = max(1, len(leaves) // MUTATIONS_PER_DOCUMENT)
    for path, value in leaves[::step][:MUTATIONS_PER_DOCUMENT]:
        wrong = {str: 7, int: "seven", float: [], bool: "yes", type(None): {"a": 1}}
        yield f"{path} made wrong", _replaced(doc, path, wrong.get(type(value)))


def _leaves(value: Any, path: tuple[Any, ...]) -> Iterator[tuple[tuple[Any, ...], Any]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _leaves(item, (*path, index))
    else:
        yield path, value


def _replaced(doc: Any, path: tuple[Any, ...], value: Any) -> Any:
    out = copy.deepcopy(doc)
    node = out
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    return out


def _yaml(path: Path) -> Any:
    try:
        return yamlio.load(path.read_text(encoding="utf-8")).data
    except (yamlio.YamlError, UnicodeDecodeError):
        return None


def _shipped_contract_schema(doc: Any) -> dict[str, Any] | None:
    try:
        return contracts.shipped_schema(contracts.standard_of(doc).schema_file)
    except contracts.UnknownStandard:
        return None


def test_jsonschema_rs_is_the_validator_here() -> None:
    # The agreement below would compare jsonschema with itself if the import silently failed.
    assert engine_name() == "jsonschema-rs"
    assert engine_name("py") == "jsonschema"


def test_corpus_contracts_agree_with_the_shipped_schemas(corpus: Path) -> None:
    found, checked = [], 0
    for path in sorted((corpus / "data-contracts").iterdir()):
        doc = _yaml(path)
        schema = _shipped_contract_schema(doc)
        if schema is None:
            continue
        cases = [(f"{path.name} {name}", m) for name, m in mutations(doc)]
        checked += len(cases)
        found += disagreements(schema, cases)
    assert checked > 300
    assert not found, "\n".join(found)


@pytest.mark.parametrize(
    ("schema_name", "documents"),
    [
        pytest.param("odcs__schema__odcs-json-schema-v3.0.0.json", "*.odcs.yaml", id="odcs-v3.0.0"),
        pytest.param("dccli__schemas__odcs-3.0.1.schema.json", "*.odcs.yaml", id="odcs-3.0.1"),
        pytest.param("odcs__schema__odcs-json-schema-v2.2.2.json", "odcs__v2*", id="odcs-v2.2.2"),
        pytest.param("dccli__schemas__datacontract-1.2.1.schema.json", "dc*", id="dcs-1.2.1"),
        pytest.param("dcs__versions__1.1.0__datacontract.schema.json", "dcs__*", id="dcs-1.1.0"),
        pytest.param("dcs__versions__0.9.3__datacontract.schema.json", "dcs__*", id="dcs-0.9.3"),
    ],
)
def test_corpus_contracts_agree_with_the_corpus_schemas(
    corpus: Path, schema_name: str, documents: str
) -> None:
    # The corpus's own copies of the standards' schemas, used as a repository's schema would be.
    schema = json.loads((corpus / "schemas" / schema_name).read_text(encoding="utf-8"))
    cases = [
        (f"{path.name} {name}", m)
        for path in sorted((corpus / "data-contracts").glob(documents))
        for name, m in mutations(_yaml(path))
    ]
    assert cases
    assert not disagreements(schema, cases, check=True)


def test_corpus_dvc_files_agree(corpus: Path) -> None:
    schema = json.loads((corpus / "schemas/dvcyaml-schema__schema.json").read_text())
    cases = [
        (f"{path.name} {name}", m)
        for path in sorted((corpus / "dvc").glob("*dvc.yaml"))
        for name, m in mutations(_yaml(path))
    ]
    assert len(cases) > 50
    assert not disagreements(schema, cases, check=True)


def test_every_corpus_schema_is_judged_the_same_as_a_schema(corpus: Path) -> None:
    for path in sorted((corpus / "schemas").glob("*.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        broken = {**schema, "type": 5, "properties": {"a": {"minLength": -1}}}
        for variant in (schema, broken):
            ours = {e: outcome(variant, {}, e, check_schema=True) for e in ("rs", "py")}
            assert ours["rs"] == ours["py"], path.name


def _repository_files() -> Iterator[Path]:
    for top in ("tests/cases", "fixtures", "policies"):
        for path in sorted((ROOT / top).rglob("*")):
            if path.suffix in (".yaml", ".yml", ".json") and path.is_file():
                yield path


def test_this_repositorys_test_data_agrees() -> None:
    """Contracts against the shipped standards, policies against the policy schema, and each
    rule's options against its check's options schema."""
    found, checked = [], 0
    for path in _repository_files():
        doc = _yaml(path)
        name = str(path.relative_to(ROOT))
        schema = _shipped_contract_schema(doc) if isinstance(doc, dict) else None
        if path.name.startswith("roadworthy") or path.parent.name == "policies":
            schema = policy_schema()
            for code, rule in (doc or {}).get("rules", {}).items() if isinstance(doc, dict) else ():
                kind = rule.get("check") if isinstance(rule, dict) else None
                if kind in CHECKS:
                    options = [(f"{name} {code}", rule.get("options", {}))]
                    found += disagreements(CHECKS[kind].OPTIONS_SCHEMA, options)
        if schema is None:
            continue
        cases = [(f"{name} {what}", m) for what, m in mutations(doc)]
        checked += len(cases)
        found += disagreements(schema, cases)
    assert checked > 100
    assert not found, "\n".join(found)


@pytest.mark.parametrize(
    ("schema", "instance"),
    [
        pytest.param({"propertyNames": {"pattern": "^[a-z]+$"}}, {"Ab": 1}, id="propertyNames"),
        pytest.param({"oneOf": [{"type": "integer"}, {"minimum": 0}]}, 3, id="oneOf-both"),
        pytest.param({"properties": {"a": False}}, {"a": 1}, id="false-schema"),
        pytest.param({"prefixItems": [{}], "items": False}, [1, 2, 3], id="items-false"),
        pytest.param(
            {
                "$schema": "http://json-schema.org/draft-07/schema#",
                "items": [{}],
                "additionalItems": False,
            },
            [1, 2],
            id="additionalItems",
        ),
        pytest.param({"dependentRequired": {"a": ["b", "c"]}}, {"a": 1}, id="dependentRequired"),
        pytest.param({"unevaluatedProperties": False, "properties": {"a": {}}}, {"b": 1}, id="ueP"),
        pytest.param({"not": {"type": "integer"}}, 1, id="not"),
        pytest.param({"const": "x"}, "y", id="const"),
        pytest.param({"uniqueItems": True, "maxItems": 1}, [1, 1], id="arrays"),
        pytest.param({"type": "number"}, float("nan"), id="nan"),
        pytest.param({"properties": {"a": {"$ref": "common.json"}}}, {"a": 1}, id="external-ref"),
        pytest.param({"$schema": "https://example.com/s"}, {}, id="unknown-draft"),
        pytest.param({"type": "object", "minProperties": "x"}, {}, id="invalid-schema"),
    ],
)
def test_each_keyword_is_worded_the_same(schema: Any, instance: Any) -> None:
    ours = {e: outcome(schema, instance, e, check_schema=True) for e in ("rs", "py")}
    assert ours["rs"] == ours["py"]
    assert ours["rs"], "every case here is invalid one way or another"


FALLBACK = """
import json, sys
if sys.argv[1] == "without":
    sys.modules["jsonschema_rs"] = None  # as on a platform with no wheel: the import fails
from roadworthy.cli import main
code = main(["check", "--format", "json"])
print(json.dumps({"exit": code, "jsonschema": "jsonschema" in sys.modules}), file=sys.stderr)
"""


def test_without_jsonschema_rs_the_cli_reports_the_same_findings(corpus: Path, make_repo) -> None:
    files = {"roadworthy.yaml": "version: 1\nextends: [recommended]\n"}
    for n, path in enumerate(sorted((corpus / "data-contracts").glob("*lint__invalid*"))):
        files[f"models/m{n}/model.onnx"] = "weights"
        files[f"models/m{n}/data_contract.yaml"] = path.read_text(encoding="utf-8")
    repo = make_repo(files)
    runs = {}
    for mode in ("with", "without"):
        proc = subprocess.run(
            [sys.executable, "-c", FALLBACK, mode], cwd=repo.path, capture_output=True, text=True
        )
        status = json.loads(proc.stderr.splitlines()[-1])
        assert status["exit"] == 1, proc.stderr
        runs[mode] = (proc.stdout, status["jsonschema"])
    assert runs["with"][0] == runs["without"][0]
    assert "RW202" in runs["with"][0]
    # jsonschema is imported only where jsonschema-rs is missing (its import costs ~55 ms).
    assert (runs["with"][1], runs["without"][1]) == (False, True)


def test_start_up_loads_no_validator() -> None:
    # `roadworthy --version` must stay fast: neither library is imported before a validation.
    script = (
        "import sys, contextlib, io\n"
        "from roadworthy.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
        "    main(['--version'])\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('jsonschema', 'jsonschema_rs', 'referencing')))\n"
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert proc.stdout.strip() == "[]", proc.stderr


def test_a_slow_validation_is_stopped_and_the_next_document_still_validated() -> None:
    # jsonschema compares unhashable items pairwise: 3,000 objects take seconds. The deadline
    # stops that document; a shipped schema is not to blame, so the next one is validated.
    validator = Validator({"type": "array", "uniqueItems": True}, seconds=0.2, engine="py")
    slow = [{"n": i} for i in range(3000)]
    with pytest.raises(ValidationTimeout, match=r"took over 0\.2 s"):
        validator.issues(slow)
    assert validator.issues("not an array") == [Issue((), "'not an array' is not of type 'array'")]
    # jsonschema-rs hashes the items: the same document is valid at once.
    assert Validator({"type": "array", "uniqueItems": True}, seconds=0.2).issues(slow) == []


def test_a_jsonschema_rs_validation_over_the_deadline_is_a_timeout_every_time() -> None:
    # jsonschema-rs cannot be interrupted: a valid document is checked without arming the
    # deadline, and one that took longer than it is a timeout all the same, as when the signal
    # ended it on return (the first document, while the schema compiles, takes that way).
    validator = Validator({"type": "array", "uniqueItems": True}, seconds=0.002)
    for _ in range(100):  # compiled by a first small document (the deadline is short)
        with contextlib.suppress(ValidationTimeout):
            if validator.issues([1]) == []:
                break
    many = list(range(200_000))
    for _ in range(2):
        with pytest.raises(ValidationTimeout, match=r"took over 0\.002 s"):
            validator.issues(many)
    assert Validator({"type": "array"}, seconds=5).issues([1]) == []


def test_a_repository_schema_that_stalls_is_not_tried_again() -> None:
    validator = Validator(
        {"type": "array", "uniqueItems": True}, check_schema=True, seconds=0.2, engine="py"
    )
    with pytest.raises(ValidationTimeout, match="backtrack"):
        validator.issues([{"n": i} for i in range(3000)])
    with pytest.raises(InvalidSchema, match=r"a validation with it was stopped after 0\.2 s"):
        validator.issues([])


@pytest.mark.parametrize("engine", ["rs", "py"])
def test_messages_stay_short_whatever_the_instance(engine: str) -> None:
    schema = {"properties": {"a": {"enum": ["x"]}, "b": {"type": "integer"}}}
    found = Validator(schema, engine=engine).issues(
        {"a": "y" * 500, "b": {"deep": list(range(99))}}
    )
    assert [i.path for i in found] == [("a",), ("b",)]
    assert found[1].message == "the object is not of type 'integer'"
    assert all(len(i.message) < 100 for i in found), found


@pytest.mark.parametrize(
    ("machine", "implementation", "required"),
    [
        pytest.param("x86_64", "CPython", True, id="linux-or-macos-x86_64"),
        pytest.param("aarch64", "CPython", True, id="linux-aarch64"),
        pytest.param("arm64", "CPython", True, id="macos-arm64"),
        pytest.param("AMD64", "CPython", True, id="windows"),
        pytest.param("ppc64le", "CPython", False, id="no-wheel-power"),
        pytest.param("riscv64", "CPython", False, id="no-wheel-riscv"),
        pytest.param("x86_64", "PyPy", False, id="pypy"),
    ],
)
def test_jsonschema_rs_is_required_only_where_it_publishes_wheels(
    machine: str, implementation: str, required: bool
) -> None:
    # Elsewhere pip would build it from source (a Rust toolchain); jsonschema is then the
    # validator, and it is required everywhere.
    from packaging.requirements import Requirement

    tomllib = pytest.importorskip("tomllib")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    deps = {r.name: r for r in map(Requirement, project["project"]["dependencies"])}
    where = {"platform_machine": machine, "platform_python_implementation": implementation}
    assert deps["jsonschema-rs"].marker is not None
    assert deps["jsonschema-rs"].marker.evaluate(where) is required
    assert deps["jsonschema"].marker is None

from __future__ import annotations

import copy
import json
import math
import random
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import validators

from roadworthy.formats import fastschema
from roadworthy.formats.fastschema import compile_schema

D4 = "http://json-schema.org/draft-04/schema#"
D6 = "http://json-schema.org/draft-06/schema#"
D7 = "http://json-schema.org/draft-07/schema#"
D2019 = "https://json-schema.org/draft/2019-09/schema"
D2020 = "https://json-schema.org/draft/2020-12/schema"

# Copied from shared/bench/gen_repo.py (DATA_CONTRACT_SCHEMA), the schema the speed budget is for.
FIELD_TYPES = ["string", "int64", "float64", "bool", "timestamp", "bytes"]
DATA_CONTRACT_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "urn:roadworthy:bench:data-contract",
    "title": "Data contract (benchmark schema)",
    "type": "object",
    "required": ["apiVersion", "kind", "id", "owner", "dataset", "schema"],
    "properties": {
        "apiVersion": {"type": "string", "pattern": "^v[0-9]+$"},
        "kind": {"const": "DataContract"},
        "id": {"type": "string", "minLength": 8},
        "owner": {"type": "string", "pattern": "^team-[a-z]+$"},
        "dataset": {
            "type": "object",
            "required": ["name", "version", "location"],
            "properties": {
                "name": {"type": "string"},
                "version": {"type": "integer", "minimum": 1},
                "location": {"type": "string", "pattern": "^(s3|gs|abfs)://"},
            },
        },
        "schema": {
            "type": "object",
            "required": ["fields"],
            "properties": {
                "fields": {
                    "type": "array",
                    "minItems": 1,
                    "items": {
                        "type": "object",
                        "required": ["name", "type", "nullable"],
                        "properties": {
                            "name": {"type": "string", "pattern": "^[a-z_][a-z0-9_]*$"},
                            "type": {"enum": FIELD_TYPES},
                            "nullable": {"type": "boolean"},
                            "description": {"type": "string"},
                        },
                        "additionalProperties": False,
                    },
                }
            },
        },
        "quality": {
            "type": "object",
            "properties": {
                "freshness_hours": {"type": "integer", "minimum": 1},
                "min_rows": {"type": "integer", "minimum": 0},
            },
        },
        "pii": {"type": "boolean"},
    },
}


def jsonschema_errors(schema: Any, instance: Any) -> list[Any] | None:
    """All errors from the real validator, or None if jsonschema itself crashes."""
    try:
        return list(validators.validator_for(schema)(schema).iter_errors(instance))
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException:  # deep recursion can also surface as a Rust panic from rpds
        return None


def jsonschema_valid(schema: Any, instance: Any) -> bool:
    return jsonschema_errors(schema, instance) == []


def plain(x: Any, depth: int = 0) -> bool:
    """JSON data on which the fast check promises exactness, not just soundness: string keys,
    finite numbers of ordinary size, moderate nesting (see fastschema._hazardous)."""
    if depth > 40:
        return False
    if isinstance(x, dict):
        return all(isinstance(k, str) and plain(v, depth + 1) for k, v in x.items())
    if isinstance(x, list):
        return all(plain(v, depth + 1) for v in x)
    if isinstance(x, float):
        return math.isfinite(x)
    if isinstance(x, int) and not isinstance(x, bool):
        return abs(x) < 2**900
    return True


def assert_sound(schema: Any, instance: Any) -> None:
    check = compile_schema(schema)
    assert check is not None
    if check(instance):
        assert jsonschema_errors(schema, instance) == [], (schema, instance)


# --------------------------------------------------------------------------------------------
# Mutator: small seeded edits of valid documents
# --------------------------------------------------------------------------------------------

ODD_VALUES: list[Any] = [
    0,
    1,
    -1,
    1.5,
    1.0,
    2**40,
    True,
    False,
    None,
    "",
    "x",
    [],
    {},
    [1],
    {"k": 1},
]


def containers(doc: Any) -> Iterator[Any]:
    if isinstance(doc, (dict, list)):
        yield doc
        for child in doc.values() if isinstance(doc, dict) else doc:
            yield from containers(child)


def bend(value: Any, rng: random.Random) -> Any:
    """A nearby value of the same or a confusable type."""
    if isinstance(value, bool):
        return rng.choice([int(value), not value, str(value).lower()])
    if isinstance(value, int):
        return rng.choice(
            [value + 1, -value - 1, float(value), value + 0.5, str(value), value == 1]
        )
    if isinstance(value, float):
        return rng.choice([int(value), -value, value * 3, str(value), math.nan])
    if isinstance(value, str):
        return rng.choice(["", value.upper(), " " + value, value + "!", value * 20, "A-" + value])
    return rng.choice(ODD_VALUES)


def mutate_once(doc: Any, rng: random.Random) -> Any:
    node = rng.choice(list(containers(doc)) or [doc])
    if isinstance(node, dict) and node:
        key = rng.choice(list(node))
        op = rng.randrange(8)
        if op == 0:
            del node[key]
        elif op == 1:
            node["zz_unknown"] = rng.choice(ODD_VALUES)
        elif op == 2:
            node[key] = rng.choice(ODD_VALUES)
        elif op == 3:
            node.clear()
        elif op == 4:
            node[rng.choice([1, True, None])] = "non-string key"
        else:
            node[key] = bend(node[key], rng)
    elif isinstance(node, list) and node:
        i = rng.randrange(len(node))
        op = rng.randrange(5)
        if op == 0:
            node.clear()
        elif op == 1:
            node.append(copy.deepcopy(node[i]))
        elif op == 2:
            del node[i]
        elif op == 3:
            node[i] = rng.choice(ODD_VALUES)
        else:
            node[i] = bend(node[i], rng)
    elif not isinstance(node, (dict, list)):
        return bend(node, rng)
    return doc


def mutants(doc: Any, count: int, seed: int) -> Iterator[Any]:
    rng = random.Random(seed)
    for _ in range(count):
        mutant = copy.deepcopy(doc)
        for _ in range(rng.randint(1, 3)):
            mutant = mutate_once(mutant, rng)
        yield mutant


def check_against_jsonschema(schema: Any, instances: list[Any]) -> tuple[int, int]:
    """Soundness on every instance; exactness on the plain ones. Returns (valid, invalid)."""
    check = compile_schema(schema)
    assert check is not None
    counts = [0, 0]
    for instance in instances:
        fast = check(instance)
        errors = jsonschema_errors(schema, instance)
        if fast:
            assert errors == [], f"unsound: {instance!r}"
        elif errors == [] and plain(instance):
            raise AssertionError(f"inexact on plain instance: {instance!r}")
        counts[errors == []] += 1
    return counts[1], counts[0]


# --------------------------------------------------------------------------------------------
# Benchmark data-contract schema
# --------------------------------------------------------------------------------------------


def contract(rng: random.Random, n_fields: int) -> dict[str, Any]:
    fields = []
    for i in range(n_fields):
        field: dict[str, Any] = {
            "name": f"col_{rng.choice(['a', 'b', 'c'])}_{i}",
            "type": rng.choice(FIELD_TYPES),
            "nullable": rng.random() < 0.5,
        }
        if rng.random() < 0.4:
            field["description"] = "Some words."
        fields.append(field)
    doc: dict[str, Any] = {
        "apiVersion": "v1",
        "kind": "DataContract",
        "id": f"dc-{rng.getrandbits(64):016x}",
        "owner": "team-search",
        "dataset": {"name": "clicks", "version": rng.randint(1, 9), "location": "s3://lake/x"},
        "schema": {"fields": fields},
        "quality": {"freshness_hours": 6, "min_rows": 0},
        "pii": False,
    }
    return doc


def test_data_contract_schema_valid_contracts_pass() -> None:
    check = compile_schema(DATA_CONTRACT_SCHEMA)
    assert check is not None
    rng = random.Random(7)
    for n in (1, 5, 15, 40):
        doc = contract(rng, n)
        assert jsonschema_valid(DATA_CONTRACT_SCHEMA, doc)
        assert check(doc) is True


@pytest.mark.parametrize(
    ("edit", "valid"),
    [
        pytest.param(lambda d: d.pop("quality"), True, id="optional-key-missing"),
        pytest.param(lambda d: d.update(extra={"any": 1}), True, id="unknown-top-level-key"),
        pytest.param(lambda d: d["dataset"].update(version=2.0), True, id="integer-as-2.0"),
        pytest.param(lambda d: d.pop("owner"), False, id="required-missing"),
        pytest.param(lambda d: d.update(kind="Other"), False, id="const-mismatch"),
        pytest.param(lambda d: d.update(apiVersion="V1"), False, id="pattern-mismatch"),
        pytest.param(lambda d: d.update(id="short"), False, id="min-length"),
        pytest.param(lambda d: d["dataset"].update(version=0), False, id="minimum"),
        pytest.param(lambda d: d["dataset"].update(version=True), False, id="bool-not-integer"),
        pytest.param(lambda d: d["dataset"].update(version=1.5), False, id="float-not-integer"),
        pytest.param(lambda d: d["schema"].update(fields=[]), False, id="min-items"),
        pytest.param(lambda d: d["schema"]["fields"][0].update(x=1), False, id="field-extra-key"),
        pytest.param(lambda d: d["schema"]["fields"][0].update(type="int"), False, id="enum"),
        pytest.param(lambda d: d["schema"]["fields"][0].update(nullable=0), False, id="bool-0"),
        pytest.param(lambda d: d["schema"]["fields"][0].update(name="9a"), False, id="name"),
        pytest.param(lambda d: d.update(pii=None), False, id="null-not-boolean"),
    ],
)
def test_data_contract_schema_edits(edit: Any, valid: bool) -> None:
    doc = contract(random.Random(3), 4)
    edit(doc)
    assert jsonschema_valid(DATA_CONTRACT_SCHEMA, doc) is valid
    check = compile_schema(DATA_CONTRACT_SCHEMA)
    assert check is not None
    assert check(doc) is valid


def test_data_contract_schema_mutations() -> None:
    rng = random.Random(11)
    docs = [contract(rng, rng.randint(1, 12)) for _ in range(20)]
    instances = [m for i, doc in enumerate(docs) for m in mutants(doc, 60, seed=i)]
    valid, invalid = check_against_jsonschema(DATA_CONTRACT_SCHEMA, instances)
    assert valid > 50 and invalid > 500  # the mutator produces both kinds


# --------------------------------------------------------------------------------------------
# Keyword semantics, per draft: expectations are stated, and confirmed against jsonschema too
# --------------------------------------------------------------------------------------------

NAN = float("nan")

EXACT_CASES = [
    # type
    pytest.param({"type": "integer"}, 1.0, True, id="2020-integer-accepts-1.0"),
    pytest.param({"$schema": D4, "type": "integer"}, 1.0, False, id="d4-integer-rejects-1.0"),
    pytest.param({"$schema": D6, "type": "integer"}, 1.0, True, id="d6-integer-accepts-1.0"),
    pytest.param({"type": "integer"}, 1.5, False, id="integer-rejects-1.5"),
    pytest.param({"type": "integer"}, True, False, id="bool-is-not-integer"),
    pytest.param({"type": "number"}, False, False, id="bool-is-not-number"),
    pytest.param({"type": "number"}, 2**70, True, id="big-int-is-number"),
    pytest.param({"type": ["string", "null"]}, None, True, id="type-list-null"),
    pytest.param({"type": ["string", "null"]}, 0, False, id="type-list-int"),
    pytest.param({"type": []}, "x", False, id="empty-type-list-rejects-all"),
    pytest.param({"type": "object"}, [], False, id="array-is-not-object"),
    pytest.param({"type": "array"}, {}, False, id="object-is-not-array"),
    # enum / const (jsonschema's `equal`)
    pytest.param({"enum": [1, "a", None]}, 1.0, True, id="enum-1.0-equals-1"),
    pytest.param({"enum": [1, "a", None]}, True, False, id="enum-true-is-not-1"),
    pytest.param({"enum": [0]}, False, False, id="enum-false-is-not-0"),
    pytest.param({"enum": [[1, 2], {"k": 1}]}, [1.0, 2], True, id="enum-deep-list"),
    pytest.param({"enum": [[1, 2], {"k": 1}]}, [True, 2], False, id="enum-deep-bool"),
    pytest.param({"enum": [[1, 2], {"k": 1}]}, {"k": 1.0}, True, id="enum-deep-dict"),
    pytest.param({"enum": []}, None, False, id="empty-enum-rejects-all"),
    pytest.param({"const": False}, 0, False, id="const-false-vs-0"),
    pytest.param({"const": 0}, 0.0, True, id="const-0-vs-0.0"),
    pytest.param({"const": None}, None, True, id="const-null"),
    pytest.param({"const": {"a": [1]}}, {"a": [1]}, True, id="const-object"),
    pytest.param({"const": {"a": [1]}}, {"a": [1], "b": 2}, False, id="const-object-extra"),
    pytest.param({"$schema": D4, "const": 1}, 2, True, id="d4-ignores-const"),
    # objects
    pytest.param(
        {
            "properties": {"a": {"type": "integer"}},
            "patternProperties": {"^x-": {"type": "string"}},
            "additionalProperties": False,
        },
        {"a": 1, "x-y": "s"},
        True,
        id="props-patterns-closed-ok",
    ),
    pytest.param(
        {"properties": {"a": {}}, "patternProperties": {"^x-": {}}, "additionalProperties": False},
        {"b": 1},
        False,
        id="closed-rejects-extra",
    ),
    pytest.param(
        {"properties": {"x-a": {"type": "integer"}}, "patternProperties": {"^x-": {"maximum": 0}}},
        {"x-a": 1},
        False,
        id="pattern-applies-to-declared-property-too",
    ),
    pytest.param(
        # jsonschema decides "additional" with "|".join(patterns): "" joins to "", which is
        # falsy, so no key is excused although the pattern "" matches every key.
        {"patternProperties": {"": {"type": "integer"}}, "additionalProperties": False},
        {"a": 1},
        False,
        id="empty-pattern-quirk",
    ),
    pytest.param(
        {"additionalProperties": {"type": "integer"}}, {"a": "x"}, False, id="additional-schema"
    ),
    pytest.param({"additionalProperties": {"type": "integer"}}, {"a": 1}, True, id="additional-ok"),
    pytest.param({"required": ["a", "b"]}, {"a": 1}, False, id="required"),
    pytest.param({"required": ["a"]}, [1], True, id="required-ignores-arrays"),
    pytest.param({"propertyNames": {"pattern": "^[a-z]+$"}}, {"A": 1}, False, id="propertyNames"),
    pytest.param({"minProperties": 2}, {"a": 1}, False, id="minProperties"),
    pytest.param({"maxProperties": 1}, {"a": 1}, True, id="maxProperties"),
    pytest.param({"dependentRequired": {"a": ["b"]}}, {"a": 1}, False, id="dependentRequired"),
    pytest.param(
        {"dependentSchemas": {"a": {"required": ["b"]}}}, {"b": 1}, True, id="dependentSchemas"
    ),
    pytest.param(
        {"$schema": D7, "dependencies": {"a": ["b"], "c": {"required": ["d"]}}},
        {"c": 1},
        False,
        id="d7-dependencies-schema",
    ),
    pytest.param({"dependencies": {"a": ["b"]}}, {"a": 1}, True, id="2020-ignores-dependencies"),
    # arrays
    pytest.param({"items": {"type": "integer"}, "minItems": 2}, [1, "a"], False, id="items"),
    pytest.param({"maxItems": 1}, [1, 2], False, id="maxItems"),
    pytest.param({"uniqueItems": True}, [1, True], True, id="unique-1-vs-true"),
    pytest.param({"uniqueItems": True}, [1, 1.0], False, id="unique-1-vs-1.0"),
    pytest.param({"uniqueItems": True}, [[1], [True]], True, id="unique-nested-bool"),
    pytest.param({"uniqueItems": True}, [{"a": 1}, {"a": 1.0}], False, id="unique-dicts"),
    pytest.param({"uniqueItems": True}, ["a", {"a": 1}, "a"], False, id="unique-mixed"),
    pytest.param({"$schema": D7, "contains": {"type": "string"}}, [1, "a"], True, id="contains"),
    pytest.param({"$schema": D7, "contains": {"type": "string"}}, [], False, id="contains-empty"),
    pytest.param(
        {"$schema": D7, "contains": {"type": "string"}, "minContains": 2},
        ["a"],
        True,
        id="d7-ignores-minContains",
    ),
    pytest.param(
        {"contains": {"type": "string"}, "minContains": 2}, ["a", 1], False, id="minContains"
    ),
    pytest.param(
        {"contains": {"type": "string"}, "maxContains": 1}, ["a", "b"], False, id="maxContains"
    ),
    pytest.param({"contains": {"type": "string"}, "minContains": 0}, [], True, id="minContains-0"),
    pytest.param(
        {"$schema": D7, "items": [{"type": "integer"}], "additionalItems": False},
        [1, 2],
        False,
        id="d7-tuple-items-additionalItems",
    ),
    pytest.param(
        {"$schema": D4, "items": [{"type": "integer"}], "additionalItems": {"type": "string"}},
        [1, "a"],
        True,
        id="d4-tuple-items-additionalItems-schema",
    ),
    pytest.param(
        {"$schema": D2019, "additionalItems": False}, [1], True, id="additionalItems-needs-items"
    ),
    pytest.param(
        {"prefixItems": [{"type": "integer"}], "items": False}, [1, 2], False, id="prefixItems"
    ),
    pytest.param(
        {"prefixItems": [{"type": "integer"}], "items": {"type": "string"}},
        [1, "a"],
        True,
        id="prefixItems-then-items",
    ),
    pytest.param(
        {"prefixItems": [{}], "additionalItems": False}, [1, 2], True, id="2020-no-additionalItems"
    ),
    # strings
    pytest.param({"minLength": 2}, "😀", False, id="minLength-counts-code-points"),
    pytest.param({"maxLength": 1}, "é", True, id="maxLength-code-points"),
    pytest.param({"pattern": "b"}, "abc", True, id="pattern-is-search-not-match"),
    pytest.param({"pattern": "^b"}, "abc", False, id="pattern-anchored"),
    pytest.param({"pattern": "^a"}, 5, True, id="pattern-ignores-non-strings"),
    pytest.param({"format": "email"}, "not an email", True, id="format-is-annotation"),
    # numbers
    pytest.param({"minimum": 1}, 1, True, id="minimum-inclusive"),
    pytest.param({"exclusiveMinimum": 1}, 1, False, id="exclusiveMinimum-numeric"),
    pytest.param({"exclusiveMaximum": 1}, 0.5, True, id="exclusiveMaximum-numeric"),
    pytest.param(
        {"$schema": D4, "minimum": 1, "exclusiveMinimum": True},
        1,
        False,
        id="d4-exclusiveMinimum-boolean",
    ),
    pytest.param(
        {"$schema": D4, "maximum": 1, "exclusiveMaximum": True},
        0.5,
        True,
        id="d4-exclusiveMaximum-boolean",
    ),
    pytest.param(
        {"$schema": D4, "exclusiveMinimum": True}, 0, True, id="d4-exclusiveMinimum-alone-ignored"
    ),
    pytest.param({"minimum": 1}, "0", True, id="minimum-ignores-strings"),
    pytest.param({"minimum": 1}, NAN, True, id="minimum-nan-compares-false"),
    pytest.param({"multipleOf": 2}, 4.0, True, id="multipleOf-int-float"),
    pytest.param({"multipleOf": 2}, 4.5, False, id="multipleOf-int-fraction"),
    pytest.param({"multipleOf": 0.5}, 1.5, True, id="multipleOf-float"),
    pytest.param({"multipleOf": 0.1}, 0.3, False, id="multipleOf-float-rounding-like-jsonschema"),
    pytest.param({"multipleOf": 0.5}, 1e308, True, id="multipleOf-overflow-uses-fraction"),
    pytest.param({"multipleOf": 1e-300}, 1e300, False, id="multipleOf-fraction-is-exact"),
    # combinators
    pytest.param({"allOf": [{"minimum": 1}, {"maximum": 2}]}, 3, False, id="allOf"),
    pytest.param({"anyOf": [{"type": "string"}, {"minimum": 2}]}, 3, True, id="anyOf"),
    pytest.param({"anyOf": []}, 3, False, id="empty-anyOf-rejects-all"),
    pytest.param({"oneOf": [{"minimum": 1}, {"maximum": 5}]}, 3, False, id="oneOf-two-match"),
    pytest.param({"oneOf": [{"minimum": 1}, {"maximum": 0}]}, 3, True, id="oneOf-one-match"),
    pytest.param({"not": {"type": "string"}}, "x", False, id="not"),
    pytest.param(
        {"if": {"minimum": 5}, "then": {"multipleOf": 2}, "else": {"maximum": 0}},
        3,
        False,
        id="if-else",
    ),
    pytest.param({"if": {"minimum": 5}, "then": {"multipleOf": 2}}, 7, False, id="if-then-applies"),
    pytest.param(
        {"$schema": D6, "if": {"minimum": 5}, "then": {"multipleOf": 2}},
        7,
        True,
        id="d6-ignores-if",
    ),
    pytest.param({"then": False}, 1, True, id="then-without-if-ignored"),
    # booleans, $ref
    pytest.param({"properties": {"a": False}}, {"a": 1}, False, id="false-subschema"),
    pytest.param({"not": True}, None, False, id="not-true"),
    pytest.param(
        {"$schema": D7, "definitions": {"a": {}}, "$ref": "#/definitions/a", "type": "string"},
        1,
        True,
        id="d7-ref-siblings-ignored",
    ),
    pytest.param(
        {"$schema": D2019, "$defs": {"a": {}}, "$ref": "#/$defs/a", "type": "string"},
        1,
        False,
        id="2019-ref-siblings-apply",
    ),
    pytest.param(
        {"$defs": {"a/b~c": {"type": "string"}}, "$ref": "#/$defs/a~1b~0c"},
        1,
        False,
        id="ref-tilde-escapes",
    ),
    pytest.param(
        {"$defs": {"a%b": {"type": "string"}}, "$ref": "#/$defs/a%25b"},
        1,
        False,
        id="ref-percent-decoding",
    ),
    pytest.param(
        {"allOf": [{"type": "string"}], "properties": {"x": {"$ref": "#/allOf/0"}}},
        {"x": 1},
        False,
        id="ref-array-index",
    ),
    pytest.param(
        {
            "$defs": {"node": {"type": "object", "properties": {"kids": {"items": {"$ref": "#"}}}}},
            "$ref": "#/$defs/node",
        },
        {"kids": [{"kids": []}, {"kids": [{"kids": [{}]}]}]},
        True,
        id="recursive-ref-ok",
    ),
    pytest.param(
        {
            "$defs": {"node": {"type": "object", "properties": {"kids": {"items": {"$ref": "#"}}}}},
            "$ref": "#/$defs/node",
        },
        {"kids": [{"kids": []}, {"kids": [{"kids": [1]}]}]},
        False,
        id="recursive-ref-deep-error",
    ),
    pytest.param(
        {"$schema": D7, "unevaluatedProperties": False}, {"a": 1}, True, id="d7-unknown-keyword"
    ),
    pytest.param({"x-vendor": {"type": "string"}}, 1, True, id="unknown-keyword-ignored"),
]


@pytest.mark.parametrize(("schema", "instance", "expected"), EXACT_CASES)
def test_exact_semantics(schema: dict[str, Any], instance: Any, expected: bool) -> None:
    assert jsonschema_valid(schema, instance) is expected  # the expectation itself is right
    check = compile_schema(schema)
    assert check is not None
    assert check(instance) is expected


@pytest.mark.parametrize(
    ("schema", "expected"),
    [pytest.param(True, True, id="true"), pytest.param(False, False, id="false")],
)
def test_boolean_root_schema(schema: bool, expected: bool) -> None:
    check = compile_schema(schema)
    assert check is not None
    assert [check(x) for x in (None, 1, "x", [], {})] == [expected] * 5


UNSUPPORTED = [
    pytest.param({"unevaluatedProperties": False}, id="unevaluatedProperties"),
    pytest.param({"$schema": D2019, "unevaluatedItems": False}, id="unevaluatedItems"),
    pytest.param({"$dynamicRef": "#meta"}, id="dynamicRef"),
    pytest.param({"$dynamicAnchor": "meta", "type": "object"}, id="dynamicAnchor"),
    pytest.param({"$schema": D2019, "$recursiveRef": "#"}, id="recursiveRef"),
    pytest.param({"$schema": D2019, "$recursiveAnchor": True}, id="recursiveAnchor"),
    pytest.param({"$ref": "https://example.com/s.json"}, id="remote-ref"),
    pytest.param({"$ref": "other.json#/x"}, id="relative-file-ref"),
    pytest.param({"$defs": {"a": {"$anchor": "a"}}, "$ref": "#a"}, id="anchor-ref"),
    pytest.param({"$ref": "#/$defs/missing"}, id="unresolvable-ref"),
    pytest.param({"$ref": 5}, id="non-string-ref"),
    pytest.param({"properties": {"a": {"$id": "http://x/a", "type": "string"}}}, id="nested-id"),
    pytest.param({"$schema": D4, "properties": {"a": {"id": "a.json"}}}, id="d4-nested-id"),
    pytest.param({"$schema": "http://json-schema.org/draft-03/schema#"}, id="draft3"),
    pytest.param({"$schema": "https://json-schema.org/draft-07/schema#"}, id="https-draft7"),
    pytest.param({"$schema": "http://example.com/my-meta"}, id="unknown-dialect"),
    pytest.param({"$schema": 7}, id="non-string-dialect"),
    pytest.param({"properties": {"a": {"$schema": D4}}}, id="subschema-switches-draft"),
    pytest.param({"pattern": "\\p{L}"}, id="pattern-not-python-re"),
    pytest.param({"patternProperties": {"(?<n>x)": {}}}, id="pattern-property-not-python-re"),
    pytest.param({"type": "any"}, id="unknown-type"),
    pytest.param({"$schema": D4, "properties": {"a": True}}, id="d4-boolean-subschema"),
    pytest.param({"items": [{}]}, id="2020-array-items"),
    pytest.param({"$schema": D7, "items": True, "additionalItems": False}, id="d7-items-true"),
    pytest.param({"$schema": D7, "required": True}, id="draft3-style-required"),
    pytest.param({"$ref": "#"}, id="ref-loop-without-descent"),
    pytest.param({"multipleOf": 0}, id="multipleOf-zero"),
    pytest.param({"multipleOf": 2**1001}, id="multipleOf-too-big-for-float-instances"),
]


@pytest.mark.parametrize("schema", UNSUPPORTED)
def test_unsupported_schemas_return_none(schema: dict[str, Any]) -> None:
    assert compile_schema(schema) is None


# Where jsonschema crashes (or might, depending on its evaluation order), the check must not
# claim validity.
CRASHES_FIRST = {"properties": {"a": {"multipleOf": 0.5}}, "type": "string"}
CRASHY = [
    pytest.param({"multipleOf": 0.5}, NAN, True, id="multipleOf-nan"),
    pytest.param({"multipleOf": 0.5}, math.inf, True, id="multipleOf-inf"),
    pytest.param({"multipleOf": 0.5}, 10**400, True, id="multipleOf-huge-int"),
    pytest.param({"patternProperties": {"^a": {}}}, {1: "x"}, True, id="pattern-int-key"),
    pytest.param(
        {"patternProperties": {"^a": {}}, "additionalProperties": True},
        {True: "x"},
        True,
        id="additional-bool-key",
    ),
    pytest.param(
        {"anyOf": [{"type": "string", "properties": {"a": {"multipleOf": 0.5}}}, {}]},
        {"a": NAN},
        True,
        id="anyOf-failed-branch-crashes",
    ),
    pytest.param(
        {"not": {"type": "string", "patternProperties": {"x": {}}}},
        {2: 1},
        False,  # jsonschema's `not` stops at the first error; here that is `type`
        id="not-over-crashy-subschema",
    ),
    # jsonschema meets `properties` (and crashes) before `type`, which the fast check tests first.
    pytest.param({"not": CRASHES_FIRST}, {"a": NAN}, True, id="not-crashes-first"),
    pytest.param({"if": CRASHES_FIRST, "else": {}}, {"a": NAN}, True, id="if-crashes-first"),
    pytest.param({"oneOf": [CRASHES_FIRST, {}]}, {"a": NAN}, True, id="oneOf-crashes-first"),
    pytest.param(
        {"$schema": D7, "contains": CRASHES_FIRST}, [{"a": NAN}, "x"], True, id="contains-d7"
    ),
    pytest.param({"contains": CRASHES_FIRST}, [{"a": NAN}, "x"], True, id="contains-2020"),
]


@pytest.mark.parametrize(("schema", "instance", "jsonschema_crashes"), CRASHY)
def test_jsonschema_crashes_are_never_valid(
    schema: dict[str, Any], instance: Any, jsonschema_crashes: bool
) -> None:
    assert (jsonschema_errors(schema, instance) is None) is jsonschema_crashes
    check = compile_schema(schema)
    assert check is not None
    assert check(instance) is False


def nested_list(depth: int) -> Any:
    x: Any = 1
    for _ in range(depth):
        x = [x]
    return x


def nested_object(depth: int) -> Any:
    x: Any = 1
    for _ in range(depth):
        x = {"a": x}
    return x


@pytest.mark.parametrize(
    ("schema", "nest"),
    [
        pytest.param(
            {"type": ["array", "integer"], "items": {"$ref": "#"}}, nested_list, id="items"
        ),
        pytest.param(
            {"type": ["object", "integer"], "properties": {"a": {"allOf": [{"$ref": "#"}]}}},
            nested_object,
            id="properties-allOf",
        ),
    ],
)
def test_deep_recursion_is_not_claimed_valid(schema: dict[str, Any], nest: Any) -> None:
    # jsonschema needs more stack per level than the fast check (about twice as much for
    # properties-allOf); somewhere in this sweep it overflows while the check alone would not.
    check = compile_schema(schema)
    assert check is not None
    assert check(nest(20)) is True
    crashed = False
    for depth in range(25, 500, 25):
        errors = jsonschema_errors(schema, nest(depth))
        crashed = crashed or errors is None
        if check(nest(depth)):
            assert errors == [], depth
    assert crashed


def test_vocabularies_mirror_jsonschema() -> None:
    drafts = {
        "draft4": validators.Draft4Validator,
        "draft6": validators.Draft6Validator,
        "draft7": validators.Draft7Validator,
        "draft2019-09": validators.Draft201909Validator,
        "draft2020-12": validators.Draft202012Validator,
    }
    ours = {d.name: d.vocabulary for d in fastschema._DIALECTS.values() if d is not None}
    assert ours == {name: set(cls.VALIDATORS) for name, cls in drafts.items()}


def test_module_does_not_import_jsonschema() -> None:
    code = "import sys, roadworthy.formats.fastschema; print(sorted(m for m in sys.modules if m in "
    code += "('jsonschema', 'referencing')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# --------------------------------------------------------------------------------------------
# Random schemas over every supported keyword, against random instances
# --------------------------------------------------------------------------------------------

KEYS = ["a", "b", "x-1", "ab"]
SCALARS: list[Any] = [0, 1, -1, 2, 1.0, 2.5, -0.5, True, False, None, "", "a", "ab", "A", "x-1"]
TYPES = ["array", "boolean", "integer", "null", "number", "object", "string"]


def random_schema(rng: random.Random, draft: str, depth: int = 0) -> Any:
    if depth > 3 or rng.random() < 0.15:
        return rng.random() < 0.7 if draft != D4 and rng.random() < 0.3 else {}
    schema: dict[str, Any] = {}
    for _ in range(rng.randint(1, 3)):
        schema.update(rng.choice(KEYWORD_MAKERS)(rng, draft, depth + 1))
    return schema


def _subs(rng: random.Random, draft: str, depth: int, n: int) -> list[Any]:
    return [random_schema(rng, draft, depth) for _ in range(rng.randint(0, n))]


def _bool_or(rng: random.Random, draft: str, depth: int) -> Any:
    return rng.random() < 0.5 if rng.random() < 0.5 else random_schema(rng, draft, depth)


Maker = Any
KEYWORD_MAKERS: list[Maker] = [
    lambda r, d, n: {"type": r.choice(TYPES) if r.random() < 0.6 else r.sample(TYPES, 2)},
    lambda r, d, n: {"enum": r.sample([*SCALARS, [1, 2], {"a": 1}], r.randint(0, 4))},
    lambda r, d, n: {"const": r.choice([*SCALARS, [1.0, 2], {"a": 1}])},
    lambda r, d, n: {"properties": {k: random_schema(r, d, n) for k in r.sample(KEYS, 2)}},
    lambda r, d, n: {
        "patternProperties": {p: random_schema(r, d, n) for p in ["^a", ""][: r.randint(0, 2)]}
    },
    lambda r, d, n: {"additionalProperties": _bool_or(r, d, n)},
    lambda r, d, n: {"required": r.sample(KEYS, r.randint(0, 2))},
    lambda r, d, n: {"propertyNames": random_schema(r, d, n)},
    lambda r, d, n: {r.choice(["minProperties", "maxProperties"]): r.randint(0, 3)},
    lambda r, d, n: {
        "items": random_schema(r, d, n) if d == D2020 or r.random() < 0.6 else _subs(r, d, n, 2)
    },
    lambda r, d, n: {"additionalItems": _bool_or(r, d, n)},
    lambda r, d, n: {"prefixItems": _subs(r, d, n, 2)},
    lambda r, d, n: {
        r.choice(["minItems", "maxItems"]): r.randint(0, 3),
        "uniqueItems": r.random() < 0.7,
    },
    lambda r, d, n: {
        "contains": random_schema(r, d, n),
        "minContains": r.randint(0, 2),
        "maxContains": 2,
    },
    lambda r, d, n: {
        r.choice(["minLength", "maxLength"]): r.randint(0, 2),
        "pattern": r.choice(["^a", "b", "^$"]),
    },
    lambda r, d, n: {
        r.choice(["minimum", "maximum"]): r.choice([0, 1, 1.5]),
        "exclusiveMinimum": r.choice([True, False] if d == D4 else [0, 1]),
    },
    lambda r, d, n: {
        "exclusiveMaximum": r.choice([True, False] if d == D4 else [1, 2]),
        "multipleOf": r.choice([2, 0.5, 0.1]),
    },
    lambda r, d, n: {r.choice(["allOf", "anyOf", "oneOf"]): _subs(r, d, n, 3)},
    lambda r, d, n: {"not": random_schema(r, d, n)},
    lambda r, d, n: {
        "if": random_schema(r, d, n),
        "then": random_schema(r, d, n),
        "else": _bool_or(r, d, n),
    },
    lambda r, d, n: {"dependencies": {"a": r.sample(KEYS, 1), "b": random_schema(r, d, n)}},
    lambda r, d, n: {
        "dependentRequired": {"a": ["b"]},
        "dependentSchemas": {"b": random_schema(r, d, n)},
    },
    lambda r, d, n: {"$ref": r.choice(["#/$defs/a", "#/$defs/tree", "#/definitions/c"])},
]


def random_instance(rng: random.Random, depth: int = 0) -> Any:
    roll = rng.random()
    if depth > 3 or roll < 0.45:
        return rng.choice(SCALARS)
    if roll < 0.7:
        return [random_instance(rng, depth + 1) for _ in range(rng.randint(0, 3))]
    return {k: random_instance(rng, depth + 1) for k in rng.sample(KEYS, rng.randint(0, 4))}


@pytest.mark.parametrize("draft", [D4, D6, D7, D2019, D2020])
def test_random_schemas_against_jsonschema(draft: str) -> None:
    rng = random.Random(draft)
    compiled = 0
    for _ in range(120):
        schema = random_schema(rng, draft)
        schema = schema if isinstance(schema, dict) else {"allOf": [schema]}
        schema["$schema"] = draft
        schema["$defs"] = {
            "a": random_schema(rng, draft, 1),
            "tree": {"type": "object", "properties": {"a": {"$ref": "#"}}},
        }
        schema["definitions"] = {"c": random_schema(rng, draft, 1)}
        if compile_schema(schema) is None:
            continue  # rare: a $ref loop that never descends into the instance
        compiled += 1
        check_against_jsonschema(schema, [random_instance(rng) for _ in range(25)])
    assert compiled >= 115


def test_unique_items_against_jsonschema() -> None:
    rng = random.Random(5)
    nan = math.nan  # one shared NaN object: jsonschema's `equal` tests identity first
    pool: list[Any] = [0, 1, 1.0, True, False, None, "a", nan, float("nan"), [1], [1.0], [True]]
    pool += [
        {"a": 1},
        {"a": 1.0},
        {"a": True},
        {1: "x"},
        {True: "x"},
        [],
        {},
        [nan],
        [[1], {"a": [1]}],
    ]
    schema = {"uniqueItems": True}
    check = compile_schema(schema)
    assert check is not None
    for _ in range(3000):
        instance = [rng.choice(pool) for _ in range(rng.randint(0, 5))]
        assert check(instance) is jsonschema_valid(schema, instance), instance


# --------------------------------------------------------------------------------------------
# Real schemas and documents from the shared corpus
# --------------------------------------------------------------------------------------------

# Stated by reading the schemas (a None entry names what makes it unsupported; the test checks
# that the schema really contains it).
CORPUS_SCHEMAS: dict[str, str | None] = {
    "dccli__schemas__datacontract-1.2.1.schema.json": None,
    "dccli__schemas__odcs-3.0.1.schema.json": '"unevaluatedProperties"',  # draft 2019-09
    "dcs__datacontract.schema.json": None,
    "dcs__definition.schema.json": None,
    "dcs__versions__0.9.3__datacontract.schema.json": None,
    "dcs__versions__1.1.0__datacontract.schema.json": None,
    "dvcyaml-schema__schema.json": None,
    "mct__schema__v0.0.1__model_card.schema.json": None,
    "mct__schema__v0.0.2__model_card.schema.json": None,
    "odcs__schema__odcs-json-schema-v2.2.2.json": None,
    "odcs__schema__odcs-json-schema-v3.0.0.json": '"unevaluatedProperties"',
    "odcs__schema__odcs-json-schema-v3.0.2-strict.json": '"unevaluatedProperties"',
    "odcs__schema__odcs-json-schema-v3.0.2.json": '"unevaluatedProperties"',
    "odcs__schema__odcs-json-schema-v3.1.0.json": '"unevaluatedProperties"',
    "schemastore__github-action.json": None,
    # refers into another file:
    "schemastore__pre-commit-config.json": '"$ref": "pre-commit-hooks.json#/definitions/',
    "schemastore__pre-commit-hooks.json": None,
    "schemastore__sarif-2.1.0.json": None,
    "schemastore__sarif-external-property-file-2.1.0.json": '"$ref": "https://',  # remote
}

# Which corpus documents to run each schema on (besides every other loadable document).
OWN_DOCUMENTS = {
    "dccli__schemas__datacontract-1.2.1.schema.json": "data-contracts/*",
    "dcs__datacontract.schema.json": "data-contracts/*",
    "dcs__versions__0.9.3__datacontract.schema.json": "data-contracts/*",
    "dcs__versions__1.1.0__datacontract.schema.json": "data-contracts/*",
    "odcs__schema__odcs-json-schema-v2.2.2.json": "data-contracts/odcs__v2*",
    "dvcyaml-schema__schema.json": "dvc/*",
    "mct__schema__v0.0.1__model_card.schema.json": "model-cards/mct__*.json",
    "mct__schema__v0.0.2__model_card.schema.json": "model-cards/mct__*.json",
    "schemastore__github-action.json": "*/*action*",
    "schemastore__pre-commit-hooks.json": "*/*pre-commit-hooks*",
    "schemastore__sarif-2.1.0.json": "schema-tests/*minimal.sarif*",
}


def load_document(path: Path) -> Any:
    text = path.read_text(encoding="utf-8")
    return json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)


@pytest.fixture(scope="session")
def corpus_documents(corpus: Path) -> dict[str, Any]:
    """Every small corpus document that loads, keyed by its path relative to the corpus."""
    documents = {}
    for path in sorted(corpus.glob("*/*")):
        if path.parent.name == "schemas" or path.stat().st_size > 100_000:
            continue
        try:
            documents[path.relative_to(corpus).as_posix()] = load_document(path)
        except (ValueError, yaml.YAMLError):
            continue
    return documents


def test_corpus_schema_table_is_complete(corpus: Path) -> None:
    assert sorted(p.name for p in (corpus / "schemas").glob("*.json")) == sorted(CORPUS_SCHEMAS)


@pytest.mark.parametrize("name", sorted(CORPUS_SCHEMAS))
def test_corpus_schema_support(corpus: Path, name: str) -> None:
    path = corpus / "schemas" / name
    reason = CORPUS_SCHEMAS[name]
    compiled = compile_schema(json.loads(path.read_text(encoding="utf-8")))
    if reason is None:
        assert compiled is not None
    else:
        assert compiled is None
        assert reason in path.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(n for n, why in CORPUS_SCHEMAS.items() if why is None))
def test_corpus_schema_against_corpus_documents(
    corpus: Path, corpus_documents: dict[str, Any], name: str
) -> None:
    schema = json.loads((corpus / "schemas" / name).read_text(encoding="utf-8"))
    own = [
        doc
        for key, doc in corpus_documents.items()
        if Path(key).match(OWN_DOCUMENTS.get(name, "-"))
    ]
    instances = list(corpus_documents.values())
    instances += [m for i, doc in enumerate(own) for m in mutants(doc, 40, seed=i)]
    valid, invalid = check_against_jsonschema(schema, instances)
    assert invalid > 0
    if name in OWN_DOCUMENTS:
        assert valid > 0


def test_corpus_sarif_big_log(corpus: Path) -> None:
    schema = json.loads((corpus / "schemas" / "schemastore__sarif-2.1.0.json").read_text())
    log = load_document(
        corpus / "schema-tests" / "schemastore__test__sarif__BinSkim.AllRules.sarif.json"
    )
    check = compile_schema(schema)
    assert check is not None
    assert check(log) is jsonschema_valid(schema, log) is True

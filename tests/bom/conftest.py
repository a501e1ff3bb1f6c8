"""Helpers of the BOM tests: the demo repository and CycloneDX's own schema."""

from __future__ import annotations

import functools
import hashlib
import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from testing.gitrepo import GitRepo

DEMO = Path(__file__).resolve().parents[2] / "fixtures" / "demo"


@pytest.fixture()
def demo(tmp_path: Path) -> GitRepo:
    shutil.copytree(DEMO, tmp_path / "demo")
    repo = GitRepo.init(tmp_path / "demo")
    repo.git("add", "-A")
    repo.commit("demo repository")
    return repo


def schema_errors(text: str) -> list[str]:
    """Every error of the document against the CycloneDX 1.6 JSON Schema the library bundles
    (the strict variant: no property the specification does not define)."""
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator

    errors = JsonStrictValidator(SchemaVersion.V1_6).validate_str(text, all_errors=True)
    return [str(e) for e in errors or ()]


def walk(components: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for component in components:
        yield component
        yield from walk(component.get("components", []))


def by_name(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {c["name"]: c for c in walk(document.get("components", []))}


def props(component: dict[str, Any]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for p in component.get("properties", []):
        found.setdefault(p["name"], []).append(p["value"])
    return found


@pytest.fixture()
def bom(run_cli: Callable[..., Any]) -> Callable[..., dict[str, Any]]:
    def run(repo: Path, *args: str) -> dict[str, Any]:
        result = run_cli("bom", *args, cwd=repo)
        assert result.exit_code == 0, result.err
        assert schema_errors(result.out) == []
        document: dict[str, Any] = json.loads(result.out)
        return document

    return run


def spdx_errors(text: str) -> list[str]:
    """What spdx-python-model (the SPDX project's bindings generated from the 3.0.1 model's
    SHACL shapes) finds wrong with the document: reading it checks every value's type, pattern
    and vocabulary; writing it again checks each property's cardinality; every reference must
    name an element of the document; and what it writes back must be what was read."""
    from spdx_python_model.bindings import v3_0_1 as spdx

    objects = spdx.SHACLObjectSet()
    try:
        spdx.JSONLDDeserializer().deserialize_data(json.loads(text), objects)
        again = spdx.JSONLDSerializer().serialize_data(objects, force_at_graph=True)
    except (TypeError, ValueError, KeyError) as exc:
        return [f"{type(exc).__name__}: {exc}"]
    errors = [f"dangling reference {ref}" for ref in sorted(objects.missing_ids)]
    if again != json.loads(text):
        errors.append("the bindings write back a different document")
    return errors


SPDX_SCHEMA = Path(__file__).resolve().parents[1] / "data" / "spdx" / "spdx-json-schema.json"
SPDX_SCHEMA_SHA256 = "d711c811b1ff6face561cbd8cfd07cb5d581845030d4c24cf8cc7107cc8d112a"


@functools.cache
def _spdx_validator() -> Any:
    import jsonschema_rs

    data = SPDX_SCHEMA.read_bytes()
    assert hashlib.sha256(data).hexdigest() == SPDX_SCHEMA_SHA256  # as tests/data/spdx records
    return jsonschema_rs.Draft202012Validator(json.loads(data))


def spdx_schema_errors(text: str) -> list[str]:
    """Every error of the document against SPDX 3.0.1's JSON Schema (tests/data/spdx): no class,
    property or vocabulary value 3.0.1 does not define."""
    document = json.loads(text)
    return [
        f"{list(e.instance_path)}: {e.message}" for e in _spdx_validator().iter_errors(document)
    ]


def graph(text: str) -> dict[str, dict[str, Any]]:
    """The document's elements by ``spdxId`` (and its creation info by ``@id``)."""
    document: dict[str, Any] = json.loads(text)
    assert document["@context"] == "https://spdx.org/rdf/3.0.1/spdx-context.jsonld"
    return {e.get("spdxId") or e["@id"]: e for e in document["@graph"]}


def cdx_props(element: dict[str, Any]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for extension in element.get("extension", []):
        for entry in extension["extension_cdxProperty"]:
            found.setdefault(entry["extension_cdxPropName"], []).append(
                entry["extension_cdxPropValue"]
            )
    return found

"""Data-contract standards: which shipped JSON Schema validates a contract.

A contract names its standard itself: ``apiVersion: v3.0.2`` (Open Data Contract Standard) or
``dataContractSpecification: 1.1.0`` (Data Contract Specification). The shipped schema of the same
major version with the highest version not above the file's is used (see
``schemas/contracts/SOURCES.md``).
"""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

from roadworthy import lazyre
from roadworthy.formats import packaged
from roadworthy.records import NamedTuple

_VERSION = lazyre.compile(r"v?(\d+)\.(\d+)(?:\.(\d+))?")
SHIPPED: dict[str, dict[tuple[int, int, int], str]] = {
    "ODCS": {
        (2, 2, 2): "odcs-v2.2.2.json",
        (3, 0, 0): "odcs-v3.0.0.json",
        (3, 0, 1): "odcs-v3.0.1.json",
        (3, 0, 2): "odcs-v3.0.2.json",
        (3, 1, 0): "odcs-v3.1.0.json",
    },
    "DCS": {
        (0, 9, 3): "dcs-0.9.3.json",
        (1, 1, 0): "dcs-1.1.0.json",
        (1, 2, 1): "dcs-1.2.1.json",
    },
}
_KEYS = {"ODCS": "apiVersion", "DCS": "dataContractSpecification"}


class Standard(NamedTuple):
    name: str  # "ODCS" or "DCS"
    declared: str  # the version as the file writes it
    schema_file: str

    @property
    def label(self) -> str:
        return f"{self.name} {self.declared}"


class UnknownStandard(Exception):
    pass


def standard_of(data: Any) -> Standard:
    if not isinstance(data, dict):
        raise UnknownStandard("a data contract must be a mapping of keys")
    for name in ("DCS", "ODCS"):
        key = _KEYS[name]
        if key in data:
            return _pick(name, key, data[key])
    raise UnknownStandard(
        "no apiVersion (Open Data Contract Standard) or dataContractSpecification "
        "(Data Contract Specification): cannot tell which standard to validate against"
    )


def _pick(name: str, key: str, declared: Any) -> Standard:
    m = _VERSION.fullmatch(str(declared).strip())
    shipped = SHIPPED[name]
    if m is None:
        raise UnknownStandard(f"{key} {declared!r} is not a version")
    wanted = (int(m[1]), int(m[2]), int(m[3] or 0))
    # Only a schema whose own version field accepts the file's version can validate it; among
    # those, the newest not above the file's version, else the oldest above it.
    accepting = sorted(
        v for v in shipped if v[0] == wanted[0] and _accepts(shipped[v], key, declared)
    )
    if not accepting:
        known = ", ".join(sorted(_known_versions(name, key)))
        raise UnknownStandard(
            f"{name} {key} {declared} is not a version the shipped schemas know ({known})"
        )
    not_above = [v for v in accepting if v <= wanted]
    chosen = not_above[-1] if not_above else accepting[0]
    return Standard(name, str(declared), shipped[chosen])


def _version_field(file_name: str, key: str) -> dict[str, Any]:
    field: dict[str, Any] = shipped_schema(file_name).get("properties", {}).get(key, {})
    return field


def _accepts(file_name: str, key: str, declared: Any) -> bool:
    field = _version_field(file_name, key)
    if "enum" in field:
        return declared in field["enum"]
    if "pattern" in field:
        return isinstance(declared, str) and re.search(field["pattern"], declared) is not None
    return True


def _known_versions(name: str, key: str) -> set[str]:
    known: set[str] = set()
    for file_name in SHIPPED[name].values():
        known.update(_version_field(file_name, key).get("enum", []))
    return known or {".".join(map(str, v)) for v in SHIPPED[name]}


@cache
def shipped_schema(file_name: str) -> dict[str, Any]:
    text = packaged.read_text("schemas", "contracts", file_name)
    data: dict[str, Any] = json.loads(text)
    return data

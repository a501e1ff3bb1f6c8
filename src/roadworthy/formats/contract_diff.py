"""Breaking changes between two versions of a data contract (ODCS v3, ODCS v2, DCS).

Breaking, for the consumers a contract protects: a schema object (table, model) removed; a
property removed; its type changed (logical or physical); a property made required, or added as
required. Everything else (descriptions, quality rules, new optional properties) is not.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from roadworthy.records import NamedTuple


class Field(NamedTuple):
    types: tuple[tuple[str, str], ...]  # (keyword, value), e.g. ("logicalType", "string")
    required: bool


Shape = dict[str, Field | None]  # path → a property, or None for a schema object


def shape(contract: Any) -> Shape:
    if not isinstance(contract, dict):
        return {}
    if "dataContractSpecification" in contract:
        return dict(_dcs(contract.get("models")))
    if isinstance(contract.get("schema"), list):
        return dict(_odcs3(contract["schema"]))
    if isinstance(contract.get("dataset"), list):
        return dict(_odcs2(contract["dataset"]))
    return {}


def version(contract: Any) -> Any:
    if not isinstance(contract, dict):
        return None
    if "dataContractSpecification" in contract:
        info = contract.get("info")
        return info.get("version") if isinstance(info, dict) else None
    return contract.get("version")


def breaking(before: Any, after: Any) -> list[str]:
    old, new = shape(before), shape(after)
    out: list[str] = []
    for path, field in sorted(old.items()):
        if path not in new:
            out.append(f"{'schema object' if field is None else 'property'} {path} removed")
            continue
        current = new[path]
        if field is None or current is None:
            continue
        for keyword, value in field.types:
            now = dict(current.types).get(keyword)
            if now is not None and now != value:
                out.append(f"{path}: {keyword} changed from {value} to {now}")
        if current.required and not field.required:
            out.append(f"{path} made required")
    out += [
        f"{path} added as required"
        for path, f in sorted(new.items())
        if path not in old and f is not None and f.required
    ]
    return out


def _odcs3(objects: list[Any]) -> Iterator[tuple[str, Field | None]]:
    for obj in objects:
        if isinstance(obj, dict) and isinstance(obj.get("name"), str):
            yield obj["name"], None
            yield from _odcs3_properties(obj.get("properties"), obj["name"])


def _odcs3_properties(props: Any, prefix: str) -> Iterator[tuple[str, Field | None]]:
    for prop in props if isinstance(props, list) else []:
        if not isinstance(prop, dict) or not isinstance(prop.get("name"), str):
            continue
        path = f"{prefix}.{prop['name']}"
        types = tuple((k, str(prop[k])) for k in ("logicalType", "physicalType") if k in prop)
        yield path, Field(types, prop.get("required") is True)
        yield from _odcs3_properties(prop.get("properties"), path)
        items = prop.get("items")
        if isinstance(items, dict):
            yield from _odcs3_properties(items.get("properties"), f"{path}[]")


def _odcs2(datasets: list[Any]) -> Iterator[tuple[str, Field | None]]:
    for table in datasets:
        if not isinstance(table, dict) or not isinstance(table.get("table"), str):
            continue
        yield table["table"], None
        for column in table.get("columns") or []:
            if isinstance(column, dict) and isinstance(column.get("column"), str):
                types = tuple(
                    (k, str(column[k])) for k in ("logicalType", "physicalType") if k in column
                )
                required = column.get("isNullable") is False
                yield f"{table['table']}.{column['column']}", Field(types, required)


def _dcs(models: Any) -> Iterator[tuple[str, Field | None]]:
    for name, model in models.items() if isinstance(models, dict) else []:
        yield str(name), None
        if isinstance(model, dict):
            yield from _dcs_fields(model.get("fields"), str(name))


def _dcs_fields(fields: Any, prefix: str) -> Iterator[tuple[str, Field | None]]:
    for name, spec in fields.items() if isinstance(fields, dict) else []:
        if not isinstance(spec, dict):
            continue
        path = f"{prefix}.{name}"
        types = tuple(("type", str(spec[k])) for k in ("type",) if k in spec)
        yield path, Field(types, spec.get("required") is True)
        yield from _dcs_fields(spec.get("fields"), path)
        items = spec.get("items")
        if isinstance(items, dict):
            yield from _dcs_fields(items.get("fields"), f"{path}[]")

"""Validation by jsonschema-rs (compiled, ~100x faster than jsonschema on real contracts).

Its errors become `Failure` values; `schema_failures` words them. Imported only when a schema
is first compiled: the extension module is not free to load and ``--version`` must stay fast.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import jsonschema_rs

from roadworthy.formats.schema_failures import Failure, InvalidSchema, UnresolvableRef

# fancy-regex's own bound on backtracking (lookaround and backreferences only; every other
# pattern runs on the linear-time regex engine). Past it a pattern is reported, never hangs.
_BACKTRACK_LIMIT = 1_000_000

_CLASSES: dict[str, Any] = {
    "draft4": jsonschema_rs.Draft4Validator,
    "draft6": jsonschema_rs.Draft6Validator,
    "draft7": jsonschema_rs.Draft7Validator,
    "draft2019-09": jsonschema_rs.Draft201909Validator,
    "draft2020-12": jsonschema_rs.Draft202012Validator,
}

_META_URIS = {
    "draft4": "http://json-schema.org/draft-04/schema",
    "draft6": "http://json-schema.org/draft-06/schema",
    "draft7": "http://json-schema.org/draft-07/schema",
    "draft2019-09": "https://json-schema.org/draft/2019-09/schema",
    "draft2020-12": "https://json-schema.org/draft/2020-12/schema",
}

# Keywords whose false subschema jsonschema reports at the array, not at each extra item.
_ITEM_LISTS = frozenset({"items", "additionalItems"})
_NAMED_PLACES = frozenset({"properties", "patternProperties", "$defs", "definitions"})
_CHILD_PLACES = frozenset({("properties",), ("patternProperties",), ("prefixItems",)})


class Engine:
    def __init__(self, schema: Mapping[str, Any], draft: str) -> None:
        self._root = schema
        options = jsonschema_rs.FancyRegexOptions(backtrack_limit=_BACKTRACK_LIMIT)
        try:
            # offline: a $ref is never fetched over the network; it resolves inside the file.
            # validate_formats: off, as in jsonschema without a format checker (jsonschema-rs
            # would check them for drafts 4 to 7).
            self._validator = _CLASSES[draft](
                schema, offline=True, validate_formats=False, pattern_options=options
            )
        except jsonschema_rs.ValidationError as exc:
            raise _construction_error(exc) from None

    def is_valid(self, instance: Any) -> bool:
        return bool(self._validator.is_valid(instance))

    def failures(self, instance: Any) -> Iterator[Failure]:
        for error in self._validator.iter_errors(instance):
            yield _failure(error, self._root)


def meta_failures(schema: Mapping[str, Any], draft: str) -> list[Failure]:
    """The schema checked against its draft's metaschema (which jsonschema-rs ships)."""
    uri = _META_URIS[draft]
    meta = _CLASSES[draft]({"$schema": uri, "$ref": uri}, offline=True, validate_formats=False)
    return [_failure(e, {}) for e in meta.iter_errors(dict(schema))]


def _construction_error(exc: Any) -> InvalidSchema:
    name = exc.kind.name
    if name == "$ref" or "is not present in a registry" in exc.message:
        return UnresolvableRef()
    if name == "format" and isinstance(exc.instance, str):
        return InvalidSchema(f"pattern {exc.instance!r} is not a valid regular expression")
    return InvalidSchema(f"it is not a valid JSON Schema ({exc.message})")


def _failure(error: Any, root: Mapping[str, Any]) -> Failure:
    kind = error.kind
    keyword = kind.name
    schema_path = tuple(error.schema_path)
    path = tuple(error.instance_path)
    node = _lookup(root, schema_path[:-1])
    value = _lookup(root, schema_path) if schema_path else None
    if value is None:  # not in `root` (a metaschema's own keywords): what the error carries
        carried = list(kind.as_dict().values())
        value = carried[0] if len(carried) == 1 else None
    if keyword == "required" and schema_path and schema_path[-1] != "required":
        keyword = str(schema_path[-1])  # dependentRequired / dependencies: one missing name
    if keyword == "falseSchema" and _is_extra_item(schema_path, path):
        # One failure for the array, as jsonschema reports it (its instance is the item here).
        return Failure(path[:-1], "additionalItems", [], False, {})
    if keyword == "falseSchema" and path and schema_path[-2:-1] in _CHILD_PLACES:
        path = path[:-1]  # jsonschema reports a false subschema at the parent's path
    if keyword in ("anyOf", "oneOf"):
        branches = tuple(tuple(_failure(e, root) for e in branch) for branch in kind.context)
        return Failure(path, keyword, error.instance, value, _mapping(node), branches=branches)
    if keyword in ("additionalProperties", "unevaluatedProperties"):
        unexpected = tuple(str(k) for k in kind.unexpected)
        return Failure(path, keyword, error.instance, value, _mapping(node), unexpected)
    if keyword == "propertyNames":
        inner = _failure(kind.error, root)
        return Failure(path, keyword, error.instance, value, _mapping(node), key_failure=inner)
    return Failure(path, keyword, error.instance, value, _mapping(node))


def _is_extra_item(schema_path: tuple[Any, ...], path: tuple[Any, ...]) -> bool:
    return (
        bool(schema_path)
        and schema_path[-1] in _ITEM_LISTS
        and schema_path[-2:-1] not in {(p,) for p in _NAMED_PLACES}
        and bool(path)
        and isinstance(path[-1], int)
    )


def _lookup(root: Any, path: tuple[Any, ...]) -> Any:
    """The schema value at `path` (jsonschema-rs gives locations in the root schema)."""
    node = root
    for part in path:
        try:
            node = node[part]
        except (LookupError, TypeError):
            return None
    return node


def _mapping(node: Any) -> Mapping[str, Any]:
    return node if isinstance(node, Mapping) else {}

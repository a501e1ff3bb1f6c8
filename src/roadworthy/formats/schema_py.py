"""Validation by jsonschema, the pure-Python fallback where jsonschema-rs has no wheel.

Its errors become the same `Failure` values as jsonschema-rs's, so findings read the same.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from jsonschema import validators
from referencing.exceptions import Unresolvable

from roadworthy.formats.schema_failures import Failure, InvalidSchema, UnresolvableRef

_CLASSES: dict[str, Any] = {
    "draft4": validators.Draft4Validator,
    "draft6": validators.Draft6Validator,
    "draft7": validators.Draft7Validator,
    "draft2019-09": validators.Draft201909Validator,
    "draft2020-12": validators.Draft202012Validator,
}

# Where "propertyNames" in a schema path is a property's name, not the keyword.
_NAMED_PLACES = frozenset({"properties", "patternProperties", "$defs", "definitions"})


class Engine:
    def __init__(self, schema: Mapping[str, Any], draft: str) -> None:
        self._validator = _CLASSES[draft](schema)

    def is_valid(self, instance: Any) -> bool:
        return bool(self._guarded(lambda: self._validator.is_valid(instance)))

    def failures(self, instance: Any) -> Iterator[Failure]:
        errors = self._guarded(lambda: list(self._validator.iter_errors(instance)))
        for error in errors:
            yield _failure(error)

    def _guarded(self, run: Any) -> Any:
        try:
            return run()
        except Unresolvable:
            raise UnresolvableRef() from None
        except re.error as exc:
            raise InvalidSchema(
                f"pattern {exc.pattern!r} is not a valid regular expression"
            ) from None


def meta_failures(schema: Mapping[str, Any], draft: str) -> list[Failure]:
    cls = _CLASSES[draft]
    return [_failure(e) for e in cls(cls.META_SCHEMA).iter_errors(dict(schema))]


def _failure(error: Any) -> Failure:
    keyword = error.validator if error.validator is not None else "falseSchema"
    path = tuple(error.absolute_path)
    value, node, instance = error.validator_value, _mapping(error.schema), error.instance
    if _under_property_names(tuple(error.absolute_schema_path)):
        inner = Failure(path, keyword, instance, value, node)
        return Failure(path, "propertyNames", None, None, {}, key_failure=inner)
    if keyword == "items" and value is False:  # 2020-12: extra items past prefixItems
        keyword = "additionalItems"
    if keyword in ("anyOf", "oneOf"):
        branches: list[list[Failure]] = [[] for _ in value]
        for inner_error in error.context or ():
            branches[inner_error.relative_schema_path[0]].append(_failure(inner_error))
        return Failure(path, keyword, instance, value, node, branches=_tuples(branches))
    if keyword in ("additionalProperties", "unevaluatedProperties"):
        return Failure(path, keyword, instance, value, node, _unexpected(error))
    return Failure(path, keyword, instance, value, node)


def _under_property_names(schema_path: tuple[Any, ...]) -> bool:
    return any(
        part == "propertyNames" and (i == 0 or schema_path[i - 1] not in _NAMED_PLACES)
        for i, part in enumerate(schema_path[:-1])
    )


def _unexpected(error: Any) -> tuple[str, ...]:
    # jsonschema lists the unexpected keys only in its message, each as repr(key).
    message = str(error.message)
    return tuple(k for k in error.instance if isinstance(k, str) and repr(k) in message)


def _tuples(branches: list[list[Failure]]) -> tuple[tuple[Failure, ...], ...]:
    return tuple(tuple(b) for b in branches)


def _mapping(node: Any) -> Mapping[str, Any]:
    return node if isinstance(node, Mapping) else {}

"""What a failed JSON Schema keyword says, worded the same whichever library found it.

Both validators (jsonschema-rs and the pure-Python jsonschema fallback) turn their errors into
`Failure` values: where in the instance, which keyword, the instance and the keyword's value.
Only this module words them, so findings cannot depend on which library is installed.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from roadworthy.records import NamedTuple

if TYPE_CHECKING:
    from roadworthy.formats.yamlio import JsonPath

_SHOWN_CHARS = 60  # an instance is quoted in a message; a long string is cut


class InvalidSchema(Exception):
    """A user-supplied schema that is not a valid JSON Schema (found when it is first needed)."""


class UnresolvableRef(InvalidSchema):
    """A $ref outside the schema file: roadworthy never fetches one."""


class Issue(NamedTuple):
    path: JsonPath  # where in the instance
    message: str


class Failure(NamedTuple):
    path: JsonPath
    keyword: str
    instance: Any
    value: Any  # the keyword's value in the schema
    node: Mapping[str, Any]  # the schema object that holds the keyword ({} when unknown)
    unexpected: tuple[str, ...] = ()  # additionalProperties / unevaluatedProperties
    # anyOf / oneOf: each alternative's failures (all empty: oneOf matched several)
    branches: tuple[tuple[Failure, ...], ...] = ()
    key_failure: Failure | None = None  # propertyNames: what is wrong with the key


def issues_of(failure: Failure) -> Iterator[Issue]:
    if failure.keyword in ("anyOf", "oneOf"):
        yield from _alternatives(failure)
    elif failure.keyword in ("additionalProperties", "unevaluatedProperties"):
        yield from _unknown_keys(failure)
    elif failure.keyword == "propertyNames" and failure.key_failure is not None:
        inner = failure.key_failure
        for issue in issues_of(inner):
            yield Issue((*failure.path, str(inner.instance)), f"key {issue.message}")
    elif failure.keyword in ("required", "dependentRequired", "dependencies"):
        for name in _missing(failure):
            yield Issue(failure.path, f"{name!r} is required")
    else:
        yield Issue(failure.path, describe(failure))


def _alternatives(failure: Failure) -> Iterator[Issue]:
    """One alternative explains the failure best: the one whose type fits and that fails least.
    (jsonschema's best_match differs in detail; this rule is ours, so both libraries agree.)"""
    failed = [b for b in failure.branches if b]
    if not failed:
        yield Issue(failure.path, f"{_shown(failure.instance)} matches more than one alternative")
        return

    def rank(indexed: tuple[int, tuple[Failure, ...]]) -> tuple[bool, int, int]:
        index, branch = indexed
        wrong_type = any(f.keyword == "type" and f.path == failure.path for f in branch)
        return (wrong_type, len(branch), index)

    best = min(enumerate(failed), key=rank)[1]
    for inner in best:
        yield from issues_of(inner)


def _unknown_keys(failure: Failure) -> Iterator[Issue]:
    known = [k for k in failure.node.get("properties", {}) if isinstance(k, str)]
    for key in failure.unexpected:
        import difflib  # only for a misspelt key: keep it off the start-up path

        hint = difflib.get_close_matches(key, known, n=1)
        suffix = f" (did you mean {hint[0]!r}?)" if hint else ""
        allowed = f"; expected one of: {', '.join(known)}" if known and not hint else ""
        yield Issue((*failure.path, key), f"unknown key {key!r}{suffix}{allowed}")


def _missing(failure: Failure) -> list[str]:
    instance, value = failure.instance, failure.value
    if not isinstance(instance, dict):
        return []
    if failure.keyword == "required":
        needed = value if isinstance(value, list) else []
    else:  # a present key that needs others (dependencies: only its array form)
        needed = [
            name
            for trigger, names in (value.items() if isinstance(value, dict) else ())
            if trigger in instance and isinstance(names, list)
            for name in names
        ]
    return [n for n in needed if isinstance(n, str) and n not in instance]


def describe(failure: Failure) -> str:
    """``<instance> <what is wrong>``: short, with the instance quoted as Python shows it."""
    keyword, value, shown = failure.keyword, failure.value, _shown(failure.instance)
    if keyword in ("enum", "const"):
        options = value if keyword == "enum" and isinstance(value, list) else [value]
        listed = ", ".join(json.dumps(o, default=str) for o in options)
        value = failure.instance
        quoted = shown if isinstance(value, (dict, list)) else json.dumps(value, default=str)
        if len(quoted) > _SHOWN_CHARS:
            quoted = quoted[: _SHOWN_CHARS - 4] + '..."'
        return f"{quoted} is not one of: {listed}"
    if keyword == "type":
        names = value if isinstance(value, list) else [value]
        return f"{shown} is not of type {', '.join(repr(n) for n in names)}"
    described = failure.node.get("description") if keyword == "pattern" else None
    if isinstance(described, str) and described:
        # What the pattern stands for, in words: a regular expression means little to a reader.
        return f"{shown} is not {described}"
    template = _TEMPLATES.get(keyword)
    if template is not None:
        return template.format(shown=shown, value=_plain(value))
    return f"{shown} is not valid under {keyword!r}"


_TEMPLATES = {
    "minimum": "{shown} is less than the minimum of {value}",
    "maximum": "{shown} is greater than the maximum of {value}",
    "exclusiveMinimum": "{shown} is less than or equal to the minimum of {value}",
    "exclusiveMaximum": "{shown} is greater than or equal to the maximum of {value}",
    "multipleOf": "{shown} is not a multiple of {value}",
    "minLength": "{shown} is shorter than {value} characters",
    "maxLength": "{shown} is longer than {value} characters",
    "minItems": "{shown} has fewer than {value} items",
    "maxItems": "{shown} has more than {value} items",
    "minProperties": "{shown} has fewer than {value} keys",
    "maxProperties": "{shown} has more than {value} keys",
    "uniqueItems": "{shown} has repeated items",
    "pattern": "{shown} does not match {value}",
    "contains": "{shown} has no item that matches the schema",
    "minContains": "{shown} has too few items that match the schema",
    "maxContains": "{shown} has too many items that match the schema",
    "not": "{shown} matches a schema it must not match",
    "falseSchema": "{shown} is not allowed here",
    "additionalItems": "{shown} has more items than allowed",
    "unevaluatedItems": "{shown} has more items than allowed",
}


def _plain(value: Any) -> str:
    if isinstance(value, str):
        return repr(value)
    return json.dumps(value, default=str) if isinstance(value, (list, dict)) else str(value)


def _shown(instance: Any) -> str:
    if isinstance(instance, dict):
        return "the object"
    if isinstance(instance, list):
        return "the array"
    text = repr(instance)
    if len(text) > _SHOWN_CHARS:
        text = text[: _SHOWN_CHARS - 4] + "...'"
    return text


def without_noise(issues: Sequence[Issue]) -> list[Issue]:
    """An unknown key explains its object's failure; a "'x' is required" from the alternatives
    of a oneOf at the same place only misleads (options: {path: ...} is not missing 'artifact')."""
    unknown_at = {i.path[:-1] for i in issues if i.message.startswith("unknown key")}
    return [i for i in issues if i.path not in unknown_at or i.message.startswith("unknown key")]


def path_key(path: JsonPath) -> tuple[tuple[int, str], ...]:
    return tuple((0, f"{p:09d}") if isinstance(p, int) else (1, p) for p in path)


def sorted_issues(found: Sequence[Issue]) -> list[Issue]:
    unique = list(dict.fromkeys(found))
    return sorted(without_noise(unique), key=lambda i: (path_key(i.path), i.message))

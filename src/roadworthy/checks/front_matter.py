"""``front-matter``: a Markdown artifact's YAML front matter has the required keys and shapes.

Shapes: ``any``, ``string``, ``date`` (YYYY-MM-DD), ``version`` (PEP 440 or semantic
versioning), ``list``, ``mapping``, ``number``, ``boolean``, ``owners`` (handles, or RACI roles
mapped to handles).

Options: ``artifact`` or ``paths``; ``keys`` (key → shape).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from roadworthy.checks.base import TARGET_OPTIONS, Component, Context, Problem
from roadworthy.formats import versions
from roadworthy.metadata import parse_owners

KIND = "front-matter"
NEEDS_DIFF = False


def _is_date(value: Any) -> bool:
    return isinstance(value, str) and versions.parse_date(value) is not None


SHAPES: dict[str, tuple[str, Callable[[Any], bool]]] = {
    "any": ("any value", lambda v: True),
    "string": ("a string", lambda v: isinstance(v, str) and bool(v.strip())),
    "date": ("a date (YYYY-MM-DD)", _is_date),
    "version": ("a PEP 440 or semver version", lambda v: versions.parse(v) is not None),
    "list": ("a list", lambda v: isinstance(v, list) and bool(v)),
    "mapping": ("a mapping", lambda v: isinstance(v, dict) and bool(v)),
    "number": ("a number", lambda v: isinstance(v, (int, float)) and not isinstance(v, bool)),
    "boolean": ("true or false", lambda v: isinstance(v, bool)),
    "owners": ("owner handles", lambda v: bool(v) and parse_owners(v)[1] is None),
}
OPTIONS_SCHEMA: Mapping[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["keys"],
    "properties": {
        **TARGET_OPTIONS,
        "keys": {
            "type": "object",
            "minProperties": 1,
            "additionalProperties": {"enum": list(SHAPES)},
        },
    },
    "oneOf": [{"required": ["artifact"]}, {"required": ["paths"]}],
}


def check(component: Component, ctx: Context, options: Mapping[str, Any]) -> Iterator[Problem]:
    path = ctx.locate(component, options)
    if path is None:
        return
    keys: Mapping[str, str] = options["keys"]
    data = ctx.reader.front_matter(path)
    if data is None:
        listed = ", ".join(keys)
        yield Problem(
            f"{ctx.label(options)} has no YAML front matter (needs {listed})",
            path=path,
            line=1,
            fix=f"start {path} with a '---' block holding {listed}",
        )
        return
    for key, shape in keys.items():
        yield from _check_key(ctx, path, data, key, shape)


def _check_key(
    ctx: Context, path: str, data: Mapping[str, Any], key: str, shape: str
) -> Iterator[Problem]:
    description, valid = SHAPES[shape]
    if data.get(key) is None:
        yield Problem(
            f"front matter has no {key!r}",
            path=path,
            line=1,
            fix=f"add '{key}: ...' ({description}) to the front matter of {path}",
        )
        return
    value = data[key]
    if valid(value):
        return
    line = ctx.reader.front_matter_line(path, key)
    hint = ""
    if (
        shape in ("version", "date")
        and isinstance(value, (int, float))
        and not isinstance(value, bool)
    ):
        hint = f"; quote it ('{key}: \"...\"') so YAML keeps it as written"
    yield Problem(
        f"front matter {key!r} is {value!r}, not {description}{hint}",
        path=path,
        line=line,
        fix=f"set {key} to {description} in {path}",
    )

"""``freshness``: a review date is recent enough, and not in the future.

The date is the component's metadata key (``last_reviewed`` by default: from the policy's
declare entry, the model card's front matter or ``component.yaml``), or, with ``artifact`` /
``paths``, that key in the named file's front matter (Markdown) or top level (YAML). Older than
``max_age_days`` (default 365) is the rule's finding; a date in the future is always an error,
because it is wrong data rather than an old review. A missing or malformed date is left to the
metadata rule (``front-matter``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any

from roadworthy.checks.base import TARGET_OPTIONS, Component, Context, Problem
from roadworthy.findings import Severity
from roadworthy.formats import versions

KIND = "freshness"
NEEDS_DIFF = False
OPTIONS_SCHEMA: Mapping[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        **TARGET_OPTIONS,
        "key": {"type": "string", "minLength": 1},
        "max_age_days": {"type": "integer", "minimum": 1},
    },
    "not": {"required": ["artifact", "paths"]},
}


def check(component: Component, ctx: Context, options: Mapping[str, Any]) -> Iterator[Problem]:
    key = options.get("key", "last_reviewed")
    source = _source(component, ctx, options, key)
    if source is None:
        return
    path, raw = source
    reviewed = versions.parse_date(raw)
    if reviewed is None:
        return
    line = _line(ctx, path, key, component)
    if reviewed > ctx.today:
        yield Problem(
            f"{key} {reviewed.isoformat()} is in the future",
            path=path,
            line=line,
            fix=f"set {key} to the date the review actually happened",
            severity=Severity.ERROR,
        )
        return
    max_age = int(options.get("max_age_days", 365))
    age = (ctx.today - reviewed).days
    if age > max_age:
        due = reviewed + dt.timedelta(days=max_age)
        yield Problem(
            f"{key} {reviewed.isoformat()} is {age} days old "
            f"(limit {max_age}; due {due.isoformat()})",
            path=path,
            line=line,
            fix=f"review the component and update {key}",
        )


def _source(
    component: Component, ctx: Context, options: Mapping[str, Any], key: str
) -> tuple[str | None, Any] | None:
    if "artifact" not in options and "paths" not in options:
        raw = getattr(component.meta, key, None) if key in ("last_reviewed", "version") else None
        if raw is None:
            return None
        origin = component.meta.sources.get(key)
        return origin, raw
    path = ctx.locate(component, options)
    if path is None:
        return None
    data = (
        ctx.reader.front_matter(path)
        if path.endswith((".md", ".markdown"))
        else ctx.reader.yaml(path).data
    )
    if not isinstance(data, dict) or data.get(key) is None:
        return None
    return path, data[key]


def _line(
    ctx: Context, path: str | None, key: str, component: Component | None = None
) -> int | None:
    if path is None:
        return None
    declared = component.found.declared if component is not None else None
    if path == ctx.policy.location.path and declared is not None:
        return declared.location.line
    if path.endswith((".md", ".markdown")):
        return ctx.reader.front_matter_line(path, key)
    return ctx.reader.line_of(path, (key,))

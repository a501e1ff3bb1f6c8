"""``file-exists``: a component carries at least one of the listed files.

Options: ``artifact`` (a named artifact of the policy) or ``paths`` (globs relative to the
component; the first is suggested in the fix).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from roadworthy.checks.base import TARGET_OPTIONS, Component, Context, Problem
from roadworthy.templates import TEMPLATES

KIND = "file-exists"
NEEDS_DIFF = False
OPTIONS_SCHEMA: Mapping[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": TARGET_OPTIONS,
    "oneOf": [{"required": ["artifact"]}, {"required": ["paths"]}],
}


def check(component: Component, ctx: Context, options: Mapping[str, Any]) -> Iterator[Problem]:
    if ctx.locate(component, options) is not None:
        return
    first = ctx.candidates(options)[0].pattern
    template = (
        " (`roadworthy init` writes a template)" if options.get("artifact") in TEMPLATES else ""
    )
    yield Problem(
        f"no {ctx.describe(options)} in {component.found.display_path}",
        fix=f"add {component.found.join(first)}{template}",
    )

"""``co-change`` (diff mode): when certain material changes happen, certain artifacts change too.

E.g. new weights must come with an updated model card (and, if the policy says so, an updated
evaluation report), so the documentation describes the model that ships.

Options: ``pairs``: a list of ``{when: [material names], require: [artifact names]}``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from roadworthy.change import location
from roadworthy.checks.base import Component, Context, Problem

KIND = "co-change"
NEEDS_DIFF = True
OPTIONS_SCHEMA: Mapping[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["pairs"],
    "properties": {
        "pairs": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["when", "require"],
                "properties": {
                    "when": {"type": "array", "minItems": 1, "items": {"type": "string"}},
                    "require": {"type": "array", "minItems": 1, "items": {"type": "string"}},
                },
            },
        }
    },
}


def check(component: Component, ctx: Context, options: Mapping[str, Any]) -> Iterator[Problem]:
    view = ctx.change
    if view is None or view.is_removed(component) or view.before(component) is None:
        return
    material = view.material(component)
    changed = view.changed_paths()
    for pair in options["pairs"]:
        triggers = [m for m in material if m.kind in pair["when"]]
        if not triggers:
            continue
        for name in pair["require"]:
            candidates = ctx.policy.artifacts.get(name, ())
            path = ctx.reader.locate(component.path, component.found.files, candidates)
            label = name.replace("_", " ")
            if path is None:
                continue  # absent: the presence rules report it
            if path not in changed:
                # At the trigger's changed line: the unchanged file is outside the diff, where
                # code scanning would not show the alert on the pull request.
                found = location.material_line(view.changes, (t.path for t in triggers))
                where, at = found if found else (path, location.FILE)
                yield Problem(
                    f"{triggers[0].detail}, but the {label} ({path}) did not change",
                    path=where,
                    line=at.line,
                    fix=f"update {path} to describe the new {triggers[0].kind}",
                    span=at.span,
                )

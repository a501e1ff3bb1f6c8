"""``deleted-artifact`` (diff mode): the change deletes an artifact a presence rule requires.

For every ``file-exists`` rule that applies to the component, a file that satisfied it at the base
and is deleted (or moved out of the component) by the change, with nothing else satisfying it at
the head, is a finding: the change removes documentation the component is required to carry.

Options: none.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from roadworthy.change import location
from roadworthy.checks.base import Component, Context, Problem
from roadworthy.metadata import in_scope

KIND = "deleted-artifact"
NEEDS_DIFF = True
OPTIONS_SCHEMA: Mapping[str, Any] = {"type": "object", "additionalProperties": False}


def check(component: Component, ctx: Context, options: Mapping[str, Any]) -> Iterator[Problem]:
    view = ctx.change
    if view is None or view.is_removed(component):
        return
    before = view.before(component)
    if before is None:
        return
    gone = {c.before for c in view.touched(component.path) if c.status in "DR" and c.before}
    if not gone:
        return
    for rule in ctx.policy.rules:
        # At either side: demoting the stage in the same change does not make a deletion fine.
        applies = in_scope(rule.scope, component) or in_scope(rule.scope, before)
        if rule.check != "file-exists" or not rule.enabled or not applies:
            continue
        candidates = ctx.candidates(rule.options)
        was = view.base.locate(before.path, before.found.files, candidates)
        if (
            was in gone
            and ctx.reader.locate(component.path, component.found.files, candidates) is None
        ):
            # A deleted file has no line to show; a line the change touched in the component
            # (its anchor first) is in the diff, where code scanning shows the alert.
            anchor = component.found.anchor
            touched = sorted(c.after for c in view.touched(component.path) if c.after)
            found = location.first_changed(view.changes, [anchor.path, *touched])
            where, at = found if found else (anchor.path, location.Where(anchor.line or 1))
            yield Problem(
                f"{was} is deleted by this change, and {rule.code} {rule.name} requires it",
                path=where,
                line=at.line,
                fix=f"restore {was}; to drop it for good, waive {rule.code} and this rule for "
                f"{component.name} (owner, reason, expiry) in a separate, reviewed change",
                span=at.span,
            )

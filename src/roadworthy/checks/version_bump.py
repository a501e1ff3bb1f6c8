"""``version-bump`` (diff mode): a material change raises the component's version.

The version is the component's metadata ``version`` (declare entry, card front matter or
``component.yaml``), compared as PEP 440 or semantic versions through ``packaging``; a version
that cannot be parsed or compared is a finding too. New and removed components are exempt, and
``change_control.require_version_bump: false`` turns the rule off.

Options: none.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from roadworthy.change import location
from roadworthy.checks.base import Component, Context, Problem
from roadworthy.findings import NO_SPAN
from roadworthy.formats import versions

KIND = "version-bump"
NEEDS_DIFF = True
OPTIONS_SCHEMA: Mapping[str, Any] = {"type": "object", "additionalProperties": False}


def check(component: Component, ctx: Context, options: Mapping[str, Any]) -> Iterator[Problem]:
    view = ctx.change
    if view is None or view.is_removed(component) or not view.config.require_version_bump:
        return
    before = view.before(component)
    material = view.material(component)
    if before is None or not material:
        return
    old_raw, new_raw = before.meta.version, component.meta.version
    where = component.meta.sources.get("version")
    path = None if where in (None, ctx.policy.location.path) else where
    line = _line(ctx, component, where)
    fix = f"raise version in {where or 'the model card front matter'}"
    if where and line:
        fix += f" (line {line})"
    # The version line did not change, so an alert there is outside the pull request's diff,
    # where code scanning does not show it: point at the material change instead.
    found = location.material_line(view.changes, (m.path for m in material))
    span = NO_SPAN
    if found is not None:
        path, (line, span) = found[0], found[1]
    old, new = versions.parse(old_raw), versions.parse(new_raw)
    if new is None:
        yield Problem(_unusable(new_raw), path=path, line=line, fix=fix, span=span)
        return
    if old is None:
        return  # the base had no usable version; the metadata rule reports the head's
    order = new.compare(old)
    if order is None:
        yield Problem(
            f"cannot compare version {old.text} with {new.text} (one is semver only, "
            "the other PEP 440 only)",
            path=path,
            line=line,
            fix=fix,
            span=span,
        )
    elif order <= 0:
        what = material[0].detail + (
            f" (and {len(material) - 1} more)" if len(material) > 1 else ""
        )
        yield Problem(
            f"material change without a version bump: version stays {new.text} "
            f"(was {old.text}); {what}",
            path=path,
            line=line,
            fix=fix,
            span=span,
        )


def _unusable(raw: Any) -> str:
    if raw is None:
        return "material change, but the component declares no version to raise"
    if isinstance(raw, float):
        return (
            f"material change, but version {raw!r} is a YAML number, not a version; quote "
            "it so YAML keeps it as written"
        )
    return f"material change, but version {raw!r} is not a PEP 440 or semver version"


def _line(ctx: Context, component: Component, source: str | None) -> int | None:
    """The line of the version key in the file it comes from."""
    if source is None or source == ctx.policy.location.path:
        return None
    if source == component.card:
        return ctx.reader.front_matter_line(source, "version")
    return ctx.reader.line_of(source, ("version",))

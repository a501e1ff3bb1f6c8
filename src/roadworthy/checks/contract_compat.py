"""``contract-compat`` (diff mode): a breaking data-contract change comes with a major version bump.

Breaking: a schema object or property removed, a type changed, a property made required (or
added as required). The contract's own version (ODCS ``version``, DCS ``info.version``) must then
rise in its major number, so consumers pinned to the old major see the break coming.

Options: none (the contract is the policy's ``data_contract`` artifact).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from roadworthy.change import location
from roadworthy.checks.base import Component, Context, Problem
from roadworthy.formats import versions
from roadworthy.workspace.worktree import ArtifactError

KIND = "contract-compat"
NEEDS_DIFF = True
OPTIONS_SCHEMA: Mapping[str, Any] = {"type": "object", "additionalProperties": False}


def check(component: Component, ctx: Context, options: Mapping[str, Any]) -> Iterator[Problem]:
    view = ctx.change
    if view is None or view.is_removed(component):
        return
    before = view.before(component)
    if before is None:
        return
    try:
        found = view.contract_breaking(before, component)
        pair = view.contract_versions(before, component)
    except ArtifactError:
        return
    if found is None or not found[1] or pair is None:
        return
    path, changes = found
    old_raw, new_raw, _ = pair
    old, new = versions.parse(old_raw), versions.parse(new_raw)
    if old is not None and new is not None and new.major > old.major:
        return
    shown = "; ".join(changes[:5]) + (f"; and {len(changes) - 5} more" if len(changes) > 5 else "")
    before_text = "none" if old_raw is None else str(old_raw)
    after_text = "none" if new_raw is None else str(new_raw)
    key = (
        ("info", "version")
        if "dataContractSpecification" in view.head.yaml(path).data
        else ("version",)
    )
    # At the contract's first changed line: the version line may be unchanged (that is the
    # finding), and code scanning shows a pull request's alert only inside its diff.
    at = location.changed_line(view.changes, path)
    yield Problem(
        f"breaking change without a major version bump (version {before_text} → {after_text}): "
        f"{shown}",
        path=path,
        line=at.line,
        fix=f"raise the major version of {path} (line {view.head.line_of(path, key)}), or make "
        "the change compatible",
        span=at.span,
    )

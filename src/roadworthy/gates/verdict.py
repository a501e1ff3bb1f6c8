"""A component's gate as reports show it: ready (with a sign-off) or blocked for its stage,
each criterion with its value, and in diff mode the stage change (a demotion is always
allowed, and said)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from roadworthy.findings import BLOCKED, READY, READY_SIGNED, RED, CriterionResult, Gate
from roadworthy.gates.assess import remembered
from roadworthy.metadata import Component
from roadworthy.policy.model import STAGES

if TYPE_CHECKING:
    from roadworthy.checks.base import Context


def gate(
    component: Component, ctx: Context, readiness: Mapping[str, str], *, signed: bool = False
) -> Gate | None:
    if not ctx.policy.stages and ctx.policy.readiness.max_yellow is None:
        return None
    assessment = remembered(component, ctx)
    criteria = tuple(
        CriterionResult(o.criterion, o.value, o.met, o.evidence)
        for o in (assessment.outcomes if assessment is not None else ())
    )
    verdict = BLOCKED if RED in readiness.values() else READY_SIGNED if signed else READY
    return Gate(verdict, component.meta.stage, criteria, _transition(component, ctx))


def _transition(component: Component, ctx: Context) -> str | None:
    if ctx.change is None:
        return None
    before = ctx.change.before(component)
    if before is None:
        return None
    old, new = STAGES.index(before.meta.stage), STAGES.index(component.meta.stage)
    if new > old:
        return f"promoted from {before.meta.stage}"
    if new < old:
        return f"demoted from {before.meta.stage} (a demotion is always allowed)"
    return None

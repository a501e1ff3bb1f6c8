"""A component's gate as reports show it: ready (with a sign-off) or blocked for its stage,
each criterion with its value, and in diff mode the stage change (a demotion is always
allowed, and said)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from roadworthy.findings import BLOCKED, READY, READY_SIGNED, RED, CriterionResult, Gate
from roadworthy.gates.assess import assess, remembered
from roadworthy.metadata import Component
from roadworthy.policy.model import STAGES

if TYPE_CHECKING:
    from roadworthy.checks.base import Context


def gate(
    component: Component,
    ctx: Context,
    readiness: Mapping[str, str],
    *,
    signed: bool = False,
    required: tuple[tuple[CriterionResult, bool], ...] = (),
) -> Gate | None:
    """``required``: the stage's ``requires`` as judged, each with whether a rule reported it
    (its finding then decides, as for the criteria)."""
    if not ctx.policy.stages and ctx.policy.readiness.max_yellow is None:
        return None
    assessment = remembered(component, ctx)
    judged_by_rule = assessment is not None
    if assessment is None and ctx.policy.criteria(component.meta.stage, component.meta.risk):
        # No rule of kind `evaluation` ran for it (a policy without RW207, say): the gate
        # judges the criteria itself rather than call an unjudged component ready.
        assessment = assess(component, ctx)
    outcomes = assessment.outcomes if assessment is not None else ()
    criteria = tuple(CriterionResult(o.criterion, o.value, o.met, o.evidence) for o in outcomes)
    criteria += tuple(result for result, _ in required)
    # Where a rule judged them, its findings decide (a waived one no longer blocks).
    unmet = not judged_by_rule and not all(o.met for o in outcomes)
    unmet = unmet or any(not result.met and not reported for result, reported in required)
    blocked = RED in readiness.values() or unmet
    verdict = BLOCKED if blocked else READY_SIGNED if signed else READY
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

"""``promotion`` (diff mode): a component whose stage a change raises meets the target stage's
criteria with evidence of its current weights, on top of the approval a promotion needs
(``approval``). A demotion is always allowed; the report says so in the component's gate.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from roadworthy.checks.base import Component, Context, Problem
from roadworthy.checks.evaluation import outcome_problem
from roadworthy.gates.assess import assess
from roadworthy.gates.judge import unmet
from roadworthy.policy.model import STAGES

KIND = "promotion"
NEEDS_DIFF = True
OPTIONS_SCHEMA: Mapping[str, Any] = {"type": "object", "additionalProperties": False}


def check(component: Component, ctx: Context, options: Mapping[str, Any]) -> Iterator[Problem]:
    assert ctx.change is not None
    before = ctx.change.before(component)
    if before is None:
        return
    old, new = before.meta.stage, component.meta.stage
    if STAGES.index(new) <= STAGES.index(old):
        return
    assessment = assess(component, ctx, new)
    promotion = f"promotion from {old} to {new}"
    for outcome in unmet(assessment.outcomes):
        message = f"{promotion}: {outcome.message} ({new} needs {outcome.criterion})"
        yield outcome_problem(outcome, ctx, message)

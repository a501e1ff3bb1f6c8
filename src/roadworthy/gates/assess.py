"""One component's stage criteria against its evidence, computed once per run and shared by
the rules that report on it and the verdict in the report."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from roadworthy.gates.evidence import Collected, collect
from roadworthy.gates.judge import Outcome, judge
from roadworthy.metadata import Component
from roadworthy.policy.model import Candidate, Criteria
from roadworthy.records import NamedTuple

if TYPE_CHECKING:
    from roadworthy.checks.base import Context

DEFAULT_REPORT = "evaluation_report"


class Assessment(NamedTuple):
    stage: str
    criteria: Criteria | None  # None: the policy sets none for this stage and risk
    collected: Collected
    outcomes: tuple[Outcome, ...]


def assess(component: Component, ctx: Context, stage: str | None = None) -> Assessment:
    """``component`` against the criteria of ``stage`` (default: its own stage)."""
    stage = stage or component.meta.stage
    key = ("gate", component.path, stage)
    result: Assessment = ctx.memo(key, lambda: _assess(component, ctx, stage))
    return result


def remembered(component: Component, ctx: Context) -> Assessment | None:
    """The assessment of the component's own stage, if a rule made one in this run."""
    result: Assessment | None = ctx.recalled(("gate", component.path, component.meta.stage))
    return result


def _assess(component: Component, ctx: Context, stage: str) -> Assessment:
    criteria = ctx.policy.criteria(stage, component.meta.risk)
    candidates: Sequence[Candidate] = ctx.policy.artifacts.get(DEFAULT_REPORT, ())
    collected = collect(component, ctx.reader, ctx.policy, candidates, ctx.change)
    outcomes = judge(criteria, collected, ctx.today) if criteria is not None else ()
    return Assessment(stage, criteria, collected, outcomes)

"""``evaluation``: a component's evaluation evidence, and its stage's criteria met by it.

Evidence is the component's evaluation report (the policy's ``evaluation_report`` artifact,
valid against ``roadworthy schema evaluation``) and the ``model-index`` of its model card; only
evidence of the current weights counts (see `roadworthy.gates.evidence`). ``judge: criteria``
(the default) reports each criterion of the policy's ``stages`` the component's stage and risk
set that the evidence does not meet: which metric, the value, the threshold. ``judge:
evidence`` reports evaluation reports that are not valid, and, where the stage has criteria,
evidence of other weights than the current ones (stale evidence).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from roadworthy.checks.base import Component, Context, Problem
from roadworthy.gates.assess import Assessment, assess
from roadworthy.gates.evidence import MODEL_INDEX
from roadworthy.gates.judge import Outcome, unmet
from roadworthy.gates.scale import off_scale

KIND = "evaluation"
NEEDS_DIFF = False
OPTIONS_SCHEMA: Mapping[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {"judge": {"enum": ["criteria", "evidence"]}},
}


def check(component: Component, ctx: Context, options: Mapping[str, Any]) -> Iterator[Problem]:
    if options.get("judge", "criteria") == "evidence":
        yield from _evidence(component, ctx)
        return
    # A promoted component is judged here too: its own stage is the one it claims, and the
    # promotion rule may be ignored, disabled, waived or out of scope.
    assessment = assess(component, ctx)
    stage = f"stage {assessment.stage}"
    for outcome in unmet(assessment.outcomes):
        yield outcome_problem(
            outcome, ctx, f"{outcome.message} ({stage} needs {outcome.criterion})"
        )


def outcome_problem(outcome: Outcome, ctx: Context, message: str) -> Problem:
    line = None
    if outcome.evidence is not None:
        line = _line(ctx, outcome.evidence, outcome)
    fix = (
        "evaluate the current weights and record the result in the evaluation report "
        "(`roadworthy init` writes a template), or lower the component's stage"
    )
    return Problem(message, path=outcome.evidence, line=line, fix=fix)


def _line(ctx: Context, path: str, outcome: Outcome) -> int | None:
    if path.endswith((".md", ".markdown")):
        return ctx.reader.front_matter_line(path, "model-index")
    return ctx.reader.line_of(path, outcome.key) if outcome.key else 1


def _evidence(component: Component, ctx: Context) -> Iterator[Problem]:
    assessment: Assessment = assess(component, ctx)
    yield from assessment.collected.invalid
    if assessment.criteria is None:
        return
    yield from _off_scale(assessment, ctx)
    for evidence in assessment.collected.evidence:
        if evidence.stale is None:
            continue
        what = "the card's model-index" if evidence.kind == MODEL_INDEX else "the evaluation"
        key = "model-index" if evidence.kind == MODEL_INDEX else "weights"
        line = (
            ctx.reader.front_matter_line(evidence.path, key)
            if evidence.kind == MODEL_INDEX
            else ctx.reader.line_of(evidence.path, (key,))
        )
        yield Problem(
            f"{what} in {evidence.path} is stale evidence: {evidence.stale}",
            path=evidence.path,
            line=line,
            fix="evaluate the current weights and record their digest and results",
        )


def _off_scale(assessment: Assessment, ctx: Context) -> Iterator[Problem]:
    """Values of current evidence that cannot be values of their metric (a ratio in percent):
    the criteria refuse them as a pass, this says why."""
    assert assessment.criteria is not None
    thresholds = dict(assessment.criteria.metrics)
    for evidence in assessment.collected.current:
        for metric in evidence.metrics:
            why = off_scale(metric.name, metric.value, thresholds.get(metric.name))
            if why is None:
                continue
            line = (
                ctx.reader.front_matter_line(evidence.path, "model-index")
                if evidence.kind == MODEL_INDEX
                else ctx.reader.line_of(evidence.path, ("metrics", metric.name))
            )
            yield Problem(
                f"{metric.name} {metric.value:g} in {evidence.path} is invalid evidence: {why}",
                path=evidence.path,
                line=line,
                fix=f"record {metric.name} on its own scale, as a fraction of 1",
            )

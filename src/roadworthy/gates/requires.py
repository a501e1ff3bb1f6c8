"""A stage's ``requires``: the rules that must have no unwaived finding on a component at that
stage (``requires: [RW103, RW104]``: no stage autonomous without a rollback plan and a
runbook). Judged once the run's other findings are in, so a waiver of the required rule's
finding lifts the block, and reported by the rule that judges the stage's other criteria:
the evaluation rule (RW207) for a component's own stage, the promotion rule (RW410) for the
stage a change promotes it to.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from roadworthy.findings import CriterionResult, Finding, Problem
from roadworthy.formats.yamlio import YamlError
from roadworthy.metadata import Component
from roadworthy.policy.model import STAGES, Policy, Rule
from roadworthy.records import NamedTuple
from roadworthy.workspace.worktree import ArtifactError

if TYPE_CHECKING:
    from roadworthy.checks.base import Context

_FIX = "fix the findings of {code} (or waive them), or lower the component's stage"


class Required(NamedTuple):
    code: str
    name: str
    blocking: tuple[Finding, ...]  # its unwaived findings on the component, sorted

    @property
    def met(self) -> bool:
        return not self.blocking

    def result(self) -> CriterionResult:
        n = len(self.blocking)
        value = f"{n} unwaived finding" + ("" if n == 1 else "s")
        evidence = self.blocking[0].path if self.blocking else None
        return CriterionResult(f"requires {self.code}", value, self.met, evidence)


def judge(component: Component, policy: Policy, own: Sequence[Finding]) -> tuple[Required, ...]:
    """Each rule the component's stage requires, with ``own`` (its findings, waivers marked)."""
    out = []
    for code in policy.requires(component.meta.stage, component.meta.risk):
        rule = policy.rule(code)
        blocking = sorted(f for f in own if f.code == code and f.active)
        out.append(Required(code, rule.name if rule else code, tuple(blocking)))
    return tuple(out)


def promoted_from(component: Component, ctx: Context) -> str | None:
    """The stage a change raised the component from (None: no change, or not raised)."""
    before = ctx.change.before(component) if ctx.change is not None else None
    if before is None:
        return None
    if STAGES.index(component.meta.stage) > STAGES.index(before.meta.stage):
        return before.meta.stage
    return None


def reporters(component: Component, ctx: Context, applied: Sequence[str]) -> list[Rule]:
    """The rules that report an unmet ``requires``, of those that applied to the component: the
    evaluation rule judging criteria (the component's own stage, whether or not the promotion
    rule runs), and the promotion rule when a change promoted it."""
    promoted = promoted_from(component, ctx) is not None
    judging: Rule | None = None
    promoting: Rule | None = None
    for code in applied:
        rule = ctx.policy.rule(code)
        if rule is None:
            continue
        if promoted and rule.check == "promotion" and promoting is None:
            promoting = rule
        judges = rule.check == "evaluation" and rule.options.get("judge", "criteria") == "criteria"
        if judges and judging is None:
            judging = rule
    return [r for r in (judging, promoting) if r is not None]


def problem(component: Component, ctx: Context, required: Required, rule: Rule) -> Problem:
    stage = component.meta.stage
    first = required.blocking[0]
    more = len(required.blocking) - 1
    # No line in the message: a warning's message is part of a sign-off's digest and of a
    # baseline's record, and an edit above the finding must not change either.
    found = f"{required.code} {required.name} has an unwaived finding in {first.path}"
    if more:
        found += f" and {more} more"
    old = promoted_from(component, ctx) if rule.check == "promotion" else None
    if old is not None:
        message = f"promotion from {old} to {stage}: {found} ({stage} requires {required.code})"
    else:
        message = f"{found} (stage {stage} requires {required.code})"
    path, line = _stage_line(component, ctx)
    return Problem(message, path=path, line=line, fix=_FIX.format(code=required.code))


def _stage_line(component: Component, ctx: Context) -> tuple[str | None, int | None]:
    """Where the component claims its stage: the card's ``stage`` (else its anchor)."""
    source = component.meta.sources.get("stage")
    if source is None or source != component.card:
        return None, None
    try:
        return source, ctx.reader.front_matter_line(source, "stage")
    except (ArtifactError, YamlError):  # an unreadable card is RW001's; the anchor will do
        return None, None

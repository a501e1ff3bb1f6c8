"""The policy's ``stages``: each deployment stage's entry criteria, per risk where it says so.

A risk's criteria are merged over the stage's own: ``metrics`` key by key, the other keys
(``requires`` too) replaced. ``requires`` names rules of the policy that must have no unwaived
finding on the component; a code the policy has no rule for, a disabled rule (it would never
block) or a rule that judges readiness itself (it is judged after them) is a policy error.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

from roadworthy.errors import LocatedError, Location
from roadworthy.formats.evaluation import Threshold, parse_threshold
from roadworthy.formats.validation import format_path
from roadworthy.formats.yamlio import JsonPath
from roadworthy.policy.model import Criteria, Rule, StageGate

Origin = Callable[[JsonPath], Location]

# Rules reported once every other rule's findings are in: a stage cannot wait for them.
READINESS_CHECKS = frozenset({"promotion"})
READINESS_RULES = frozenset({"RW411"})


def stages(
    raw: Mapping[str, Any],
    risks: tuple[str, ...],
    rules: tuple[Rule, ...],
    origin: Origin,
    errors: list[LocatedError],
) -> Mapping[str, StageGate]:
    out: dict[str, StageGate] = {}
    by_code = {r.code: r for r in rules}
    for stage, entry in sorted(raw.items()):
        where: JsonPath = ("stages", stage)
        errors += _requires_problems(entry, where, by_code, origin)
        per_risk: dict[str, Criteria] = {}
        for risk, over in sorted(entry.get("for_risk", {}).items()):
            at: JsonPath = (*where, "for_risk", risk)
            errors += _requires_problems(over, at, by_code, origin)
            if risk not in risks:
                message = (
                    f"stages.{stage}.for_risk: unknown risk {risk!r} (risks: {', '.join(risks)})"
                )
                errors.append(LocatedError(origin(at), message))
                continue
            per_risk[risk] = _criteria(_merged(entry, over), origin(at))
        out[stage] = StageGate(_criteria(entry, origin(where)), MappingProxyType(per_risk))
    return MappingProxyType(out)


def _merged(base: Mapping[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    below, above = base.get("evaluation", {}), over.get("evaluation", {})
    evaluation = {**below, **above}
    metrics = {**below.get("metrics", {}), **above.get("metrics", {})}
    if metrics:
        evaluation["metrics"] = metrics
    return {"evaluation": evaluation, "requires": over.get("requires", base.get("requires", []))}


def _requires_problems(
    entry: Mapping[str, Any], where: JsonPath, rules: Mapping[str, Rule], origin: Origin
) -> list[LocatedError]:
    out = []
    for i, code in enumerate(entry.get("requires", [])):
        at: JsonPath = (*where, "requires", i)
        rule = rules.get(code)
        if rule is None:
            why = f"unknown rule {code!r}"
        elif not rule.enabled:
            why = f"{code} is disabled in this policy, so it would never block the stage"
        elif _judges_readiness(rule):
            why = f"{code} judges readiness itself, after the rules a stage can require"
        else:
            continue
        out.append(LocatedError(origin(at), f"{format_path(at)}: {why}"))
    return out


def _judges_readiness(rule: Rule) -> bool:
    if rule.code in READINESS_RULES or rule.check in READINESS_CHECKS:
        return True
    return rule.check == "evaluation" and rule.options.get("judge", "criteria") == "criteria"


def _criteria(entry: Mapping[str, Any], where: Location) -> Criteria:
    evaluation = entry.get("evaluation", {})
    metrics: list[tuple[str, Threshold]] = []
    for name, text in sorted(evaluation.get("metrics", {}).items()):
        threshold = parse_threshold(text)
        if threshold is not None:  # the schema's pattern refused anything else already
            metrics.append((name, threshold))
    return Criteria(
        metrics=tuple(metrics),
        min_samples=evaluation.get("min_samples"),
        window_days=evaluation.get("window_days"),
        location=where,
        requires=tuple(sorted(set(entry.get("requires", [])))),
    )

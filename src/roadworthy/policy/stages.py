"""The policy's ``stages``: each deployment stage's entry criteria, per risk where it says so.

A risk's criteria are merged over the stage's own: ``metrics`` key by key, the other keys
replaced.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

from roadworthy.errors import LocatedError, Location
from roadworthy.formats.evaluation import Threshold, parse_threshold
from roadworthy.formats.yamlio import JsonPath
from roadworthy.policy.model import Criteria, StageGate

Origin = Callable[[JsonPath], Location]


def stages(
    raw: Mapping[str, Any], risks: tuple[str, ...], origin: Origin, errors: list[LocatedError]
) -> Mapping[str, StageGate]:
    out: dict[str, StageGate] = {}
    for stage, entry in sorted(raw.items()):
        where: JsonPath = ("stages", stage)
        per_risk: dict[str, Criteria] = {}
        for risk, over in sorted(entry.get("for_risk", {}).items()):
            at: JsonPath = (*where, "for_risk", risk)
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
    return {"evaluation": evaluation}


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
    )

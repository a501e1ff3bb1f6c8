"""Stage criteria judged against the evidence of the current weights: one outcome per
criterion, met or not, with the value and where it came from."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from roadworthy.formats.evaluation import Metric, Threshold
from roadworthy.formats.yamlio import JsonPath
from roadworthy.gates import scale
from roadworthy.gates.evidence import REPORT, Collected, Evidence
from roadworthy.policy.model import Criteria
from roadworthy.records import NamedTuple


class Outcome(NamedTuple):
    criterion: str  # "auc >= 0.85", "samples >= 1000", "window >= 30 days"
    value: str | None  # as found; None when no current evidence gives it
    met: bool
    evidence: str | None  # the file the value came from
    key: JsonPath  # where in that file (its line in findings)
    message: str  # what is wrong ("" when met)


def judge(criteria: Criteria, collected: Collected, today: dt.date) -> tuple[Outcome, ...]:
    used: list[tuple[Evidence, Metric]] = []
    out: list[Outcome] = []
    for name, threshold in criteria.metrics:
        outcome, found = _metric(name, threshold, collected)
        out.append(outcome)
        if found is not None:
            used.append(found)
    if criteria.min_samples is not None:
        out.append(_samples(criteria.min_samples, used, collected))
    if criteria.window_days is not None:
        out.append(_window(criteria.window_days, collected, today))
    return tuple(out)


def _metric(
    name: str, threshold: Threshold, collected: Collected
) -> tuple[Outcome, tuple[Evidence, Metric] | None]:
    """The worst of the metric's values decides (a card may list several results, one per
    dataset): a value off the ratio scale first, then the one furthest on the failing side."""
    criterion = f"{name} {threshold}"
    found = [(e, m) for e in collected.current for m in e.metrics if m.name == name]
    if not found:
        report = _first_report(collected)
        where: JsonPath = ("metrics",) if report is not None else ()
        message = f"no {name} {_in_current(collected)}"
        return Outcome(criterion, None, False, report, where, message), None

    def rank(pair: tuple[Evidence, Metric]) -> tuple[bool, bool, float]:
        value = pair[1].value
        scaled = scale.off_scale(name, value, threshold) is None
        return (scaled, scaled and threshold.met(value), _badness(threshold, value))

    evidence, metric = min(found, key=rank)
    value, key = _number(metric.value), _metric_key(evidence, name)
    on = f" on {metric.dataset}" if len(found) > 1 and metric.dataset else ""
    off = scale.off_scale(name, metric.value, threshold)
    if off is None and threshold.met(metric.value):
        return Outcome(criterion, value, True, evidence.path, key, ""), (evidence, metric)
    message = f"{name} is {value} in {evidence.path}{on}"
    if off is not None:
        message += ", not a ratio in [0, 1] as the metric is: invalid evidence"
    return Outcome(criterion, value, False, evidence.path, key, message), (evidence, metric)


def _badness(threshold: Threshold, value: float) -> float:
    """Lower is worse: the lowest value against a lower bound, the highest against an upper
    one, the furthest from it against ``==``."""
    if threshold.op in (">=", ">"):
        return value
    if threshold.op in ("<=", "<"):
        return -value
    return -abs(value - threshold.bound)


def _in_current(collected: Collected) -> str:
    stale = [e.path for e in collected.evidence if e.stale is not None]
    if stale:
        return f"in an evaluation of the current weights; {', '.join(stale)} is stale"
    invalid = sorted({p.path for p in collected.invalid if p.path is not None})
    if invalid:
        return f"in an evaluation of the current weights; {', '.join(invalid)} is not valid"
    if collected.evidence:
        return "in " + ", ".join(e.path for e in collected.evidence)
    return "in an evaluation of the current weights: no evaluation report or model-index"


def _metric_key(evidence: Evidence, name: str) -> JsonPath:
    return ("metrics", name) if evidence.kind == REPORT else ("model-index",)


def _samples(minimum: int, used: list[tuple[Evidence, Metric]], collected: Collected) -> Outcome:
    criterion = f"samples >= {minimum}"
    counted = [(m.samples if m.samples is not None else e.samples, e, m) for e, m in used]
    known = [(n, e, m) for n, e, m in counted if n is not None]
    if not known:
        where = used[0][0].path if used else None
        message = (
            f"no sample count in {where}" if where else f"no sample count {_in_current(collected)}"
        )
        return Outcome(criterion, None, False, where, (), message)
    fewest, evidence, metric = min(known, key=lambda t: t[0])
    key: JsonPath = ("samples",) if evidence.kind == REPORT else ()
    if fewest >= minimum:
        return Outcome(criterion, str(fewest), True, evidence.path, key, "")
    message = f"{metric.name} in {evidence.path} was computed on {fewest} samples"
    return Outcome(criterion, str(fewest), False, evidence.path, key, message)


def _window(days: int, collected: Collected, today: dt.date) -> Outcome:
    criterion = f"window >= {days} days"
    windowed = [e for e in collected.current if e.window is not None]
    if not windowed:
        message = f"no evaluation window {_in_current(collected)}"
        return Outcome(criterion, None, False, _first_report(collected), (), message)
    evidence = windowed[0]
    assert evidence.window is not None
    start, end = evidence.window
    # As of the run's date: days still to come have not been observed yet.
    observed = max(0, (min(end, today) - start).days + 1)
    value = f"{observed} days"
    if observed >= days:
        return Outcome(criterion, value, True, evidence.path, ("window",), "")
    span = f"{start.isoformat()} to {end.isoformat()}"
    if end > today:
        span += f", as of {today.isoformat()}"
    message = f"the evaluation window in {evidence.path} is {observed} days ({span})"
    return Outcome(criterion, value, False, evidence.path, ("window",), message)


def _first_report(collected: Collected) -> str | None:
    return next((e.path for e in collected.current if e.kind == REPORT), None)


def _number(value: float) -> str:
    return f"{value:g}"


def unmet(outcomes: tuple[Outcome, ...]) -> Iterator[Outcome]:
    return (o for o in outcomes if not o.met)

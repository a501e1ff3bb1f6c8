"""Evaluation evidence as roadworthy reads it: an evaluation report (its shipped JSON Schema is
``schemas/evaluation.schema.json``), a Hugging Face ``model-index`` in a model card's front
matter, and the thresholds a policy compares their metrics with.

The ``model-index`` shape is Hugging Face's (huggingface/hub-docs, ``modelcard.md``): a list of
models, each with ``results``, each result with a ``dataset`` and ``metrics`` entries of ``type``
and ``value``. Metrics are matched by ``type``. A value that is not a number cannot be compared
and is left out.
"""

from __future__ import annotations

import datetime as dt
import math
import operator
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from roadworthy import lazyre
from roadworthy.formats.versions import parse_date
from roadworthy.records import NamedTuple

_THRESHOLD = lazyre.compile(r"\s*(>=|<=|>|<|==)\s*(-?[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?)\s*")
THRESHOLD_PATTERN = r"^\s*(>=|<=|>|<|==)\s*-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?\s*$"
_OPERATORS: Mapping[str, Callable[[float, float], bool]] = {
    ">=": operator.ge,
    "<=": operator.le,
    ">": operator.gt,
    "<": operator.lt,
    "==": operator.eq,
}


class Threshold(NamedTuple):
    op: str
    bound: float
    text: str  # the bound as the policy wrote it, so messages quote the policy

    def met(self, value: float) -> bool:
        return _OPERATORS[self.op](value, self.bound)

    def __str__(self) -> str:
        return f"{self.op} {self.text}"


def parse_threshold(text: str) -> Threshold | None:
    match = _THRESHOLD.fullmatch(text)
    if match is None:
        return None
    op, bound = match.groups()
    return Threshold(op, float(bound), bound)


class Metric(NamedTuple):
    name: str
    value: float
    samples: int | None  # examples the value was computed on, when stated
    dataset: str | None


class WeightsRef(NamedTuple):
    digest: str  # "sha256:<hex>" or "md5:<hex>"
    path: str | None  # relative to the component folder


class Report(NamedTuple):
    """An evaluation report that is valid against the shipped schema."""

    weights: tuple[WeightsRef, ...]
    metrics: tuple[Metric, ...]
    samples: int | None
    window: tuple[dt.date, dt.date] | None
    dataset: str | None


def read_report(data: Mapping[str, Any]) -> Report:
    """The report ``data`` holds; ``data`` must already be valid against the schema."""
    raw = data["weights"]
    weights = tuple(
        WeightsRef(w["digest"], w.get("path")) for w in (raw if isinstance(raw, list) else [raw])
    )
    dataset = _dataset_name(data.get("dataset"))
    samples = data.get("samples")
    metrics = tuple(_report_metrics(data["metrics"], samples, dataset))
    window = data.get("window")
    span = None
    if window is not None:
        start, end = parse_date(window["start"]), parse_date(window["end"])
        if start is not None and end is not None:
            span = (start, end)
    return Report(weights, metrics, samples, span, dataset)


def window_problem(data: Mapping[str, Any]) -> str | None:
    """What is wrong with a schema-valid report's window: a day that does not exist, or an
    end before the start (the schema checks only the shape)."""
    window = data.get("window")
    if window is None:
        return None
    start, end = parse_date(window["start"]), parse_date(window["end"])
    for key, date in (("start", start), ("end", end)):
        if date is None:
            return f"window.{key} {window[key]!r} is not a date"
    if start is not None and end is not None and end < start:
        return f"window ends ({window['end']}) before it starts ({window['start']})"
    return None


def _report_metrics(
    metrics: Mapping[str, Any], samples: int | None, dataset: str | None
) -> Iterator[Metric]:
    for name, value in sorted(metrics.items()):
        if isinstance(value, dict):
            yield Metric(name, float(value["value"]), value.get("samples", samples), dataset)
        else:
            yield Metric(name, float(value), samples, dataset)


def model_index_metrics(front_matter: Mapping[str, Any]) -> tuple[Metric, ...]:
    """Every numeric metric of a card's ``model-index``, in the order the card lists them."""
    out: list[Metric] = []
    for model in _list(front_matter.get("model-index")):
        for result in _list(model.get("results")):
            dataset = _dataset_name(result.get("dataset"))
            for metric in _list(result.get("metrics")):
                name, value = metric.get("type"), metric.get("value")
                if isinstance(name, str) and isinstance(value, (int, float)) and _is_number(value):
                    out.append(Metric(name, float(value), None, dataset))
    return tuple(out)


def has_model_index(front_matter: Mapping[str, Any] | None) -> bool:
    return isinstance(front_matter, Mapping) and "model-index" in front_matter


def _list(value: Any) -> list[Mapping[str, Any]]:
    return [v for v in value if isinstance(v, Mapping)] if isinstance(value, list) else []


def _is_number(value: Any) -> bool:
    return (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and math.isfinite(float(value))
    )


def _dataset_name(dataset: Any) -> str | None:
    if isinstance(dataset, str):
        return dataset
    if isinstance(dataset, Mapping):
        name = dataset.get("name") or dataset.get("type")
        split = dataset.get("split")
        if isinstance(name, str):
            return f"{name} ({split})" if isinstance(split, str) else name
    return None

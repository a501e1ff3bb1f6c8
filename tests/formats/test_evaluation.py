from __future__ import annotations

import datetime as dt

import pytest

from roadworthy.formats import evaluation
from roadworthy.formats.dvc import tracked_md5


@pytest.mark.parametrize(
    ("text", "value", "met"),
    (
        pytest.param(">= 0.80", 0.80, True, id="at-ge"),
        pytest.param(">= 0.80", 0.7999, False, id="below-ge"),
        pytest.param("> 0.80", 0.80, False, id="at-gt"),
        pytest.param("<= 0.05", 0.05, True, id="at-le"),
        pytest.param("< 0.05", 0.06, False, id="above-lt"),
        pytest.param("== 1", 1.0, True, id="eq"),
        pytest.param(">=1e-3", 0.002, True, id="exponent-no-space"),
        pytest.param(">= 0.8", float("nan"), False, id="nan-never-meets"),
    ),
)
def test_threshold(text: str, value: float, met: bool) -> None:
    threshold = evaluation.parse_threshold(text)
    assert threshold is not None
    assert threshold.met(value) is met


@pytest.mark.parametrize("text", ["0.8", ">= high", "=> 0.8", ">= 0.8 or so", ""])
def test_threshold_refused(text: str) -> None:
    assert evaluation.parse_threshold(text) is None


def test_threshold_quotes_the_policy() -> None:
    assert str(evaluation.parse_threshold(">=0.80")) == ">= 0.80"


def test_model_index_metrics_numbers_only() -> None:
    front = {
        "model-index": [
            {
                "name": "m",
                "results": [
                    {
                        "dataset": {"name": "imdb", "split": "test"},
                        "metrics": [
                            {"type": "accuracy", "value": 0.93},
                            {"type": "f1", "value": "0.91"},  # a string: not compared
                            {"type": "exact", "value": True},  # a boolean: not a number
                            {"value": 0.5},  # no type: nothing to match
                        ],
                    }
                ],
            },
            "not a model",
        ]
    }
    metrics = evaluation.model_index_metrics(front)
    assert metrics == (evaluation.Metric("accuracy", 0.93, None, "imdb (test)"),)


def test_read_report_sharded_weights_and_metric_samples() -> None:
    data = {
        "weights": [
            {"path": "model-00001.safetensors", "digest": "sha256:" + "a" * 64},
            {"digest": "md5:" + "b" * 32},
        ],
        "dataset": "holdout",
        "samples": 5000,
        "window": {"start": "2026-10-01", "end": "2026-10-30"},
        "metrics": {"recall": {"value": 0.8, "samples": 300}, "auc": 0.9},
    }
    report = evaluation.read_report(data)
    assert [w.path for w in report.weights] == ["model-00001.safetensors", None]
    assert [(m.name, m.samples) for m in report.metrics] == [("auc", 5000), ("recall", 300)]
    assert report.window == (dt.date(2026, 10, 1), dt.date(2026, 10, 30))


@pytest.mark.parametrize(
    ("window", "problem"),
    (
        pytest.param({"start": "2026-10-01", "end": "2026-10-30"}, None, id="fine"),
        pytest.param(
            {"start": "2026-02-30", "end": "2026-03-30"},
            "window.start '2026-02-30' is not a date",
            id="no-such-day",
        ),
        pytest.param(
            {"start": "2026-10-30", "end": "2026-10-01"},
            "window ends (2026-10-01) before it starts (2026-10-30)",
            id="reversed",
        ),
    ),
)
def test_window_problem(window: dict[str, str], problem: str | None) -> None:
    assert evaluation.window_problem({"window": window}) == problem


def test_dvc_tracked_md5() -> None:
    text = "outs:\n- md5: " + "c" * 32 + "\n  size: 10\n  path: model.onnx\n- path: data\n"
    assert tracked_md5(text) == {"model.onnx": "md5:" + "c" * 32}

"""Whether a metric's value is on the scale its threshold is written on. A ratio (an auc, an
accuracy, a recall) lies in [0, 1]; many cards write it in percent (``auc: 70``), and compared
with ``>= 0.85`` as the number 70 it would pass. A value outside [0, 1] of a metric that is a
ratio (by its name, or because the policy bounds it inside [0, 1]) is no evidence at all.
"""

from __future__ import annotations

from roadworthy.formats.evaluation import Threshold

# Metrics that are ratios by definition, as their names are usually written (lower case,
# ``-`` and spaces read as ``_``).
RATIOS = frozenset(
    {
        "accuracy",
        "auc",
        "aucpr",
        "average_precision",
        "balanced_accuracy",
        "f1",
        "f1_score",
        "fnr",
        "fpr",
        "iou",
        "jaccard",
        "pr_auc",
        "precision",
        "recall",
        "roc_auc",
        "sensitivity",
        "specificity",
        "tnr",
        "tpr",
    }
)


def is_ratio(name: str, threshold: Threshold | None) -> bool:
    return _key(name) in RATIOS or (threshold is not None and 0 <= threshold.bound <= 1)


def _key(name: str) -> str:
    return name.strip().lower().replace("-", "_").replace(" ", "_")


def off_scale(name: str, value: float, threshold: Threshold | None) -> str | None:
    """Why ``value`` cannot be a value of metric ``name``; None when it can."""
    if 0 <= value <= 1 or not is_ratio(name, threshold):
        return None
    why = (
        f"the policy bounds it at {threshold.text}"
        if threshold is not None and _key(name) not in RATIOS
        else "it is one by definition"
    )
    hint = f" (a percentage? write {value / 100:g})" if 1 < value <= 100 else ""
    return f"{name} is a ratio in [0, 1] ({why}), and {value:g} is not one{hint}"

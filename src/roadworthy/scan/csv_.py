"""``scan.csv``: one row per repository × component, for spreadsheets and BI tools.

Findings that belong to no component (an undeclared model folder, a CODEOWNERS syntax error)
get a row with an empty component, as do repositories without components and repositories that
could not be checked (``status`` error, with the message). ``gate``, ``blocked`` and
``blocked_by`` say whether and why a component is blocked from its stage, as the scan's stage
view counts it: a pivot of ``stage`` by ``blocked`` is that view. Text from repositories is
untrusted: a cell that a spreadsheet would run as a formula is prefixed with ``'``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from roadworthy.findings import DIMENSIONS
from roadworthy.scan.stages import blocked_by

COLUMNS = (
    "target",
    "status",
    "head",
    "component",
    "path",
    "risk",
    "stage",
    "gate",
    "blocked",
    "blocked_by",
    *DIMENSIONS,
    "errors",
    "warnings",
    "error",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def render(doc: Mapping[str, Any]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for repo in doc["repositories"]:
        for row in _rows(repo):
            writer.writerow([safe(cell) for cell in row])
    return out.getvalue()


def _rows(repo: Mapping[str, Any]) -> Iterator[list[Any]]:
    head = [repo["target"], repo["status"], repo["head"] or ""]
    if repo["status"] == "error":
        yield [*head, *([""] * 7), *([""] * len(DIMENSIONS)), "", "", repo["error"]]
        return
    active = [f for f in repo["findings"] if f["waived_by"] is None]
    for c in repo["components"]:
        own = [f for f in active if f["component"] == c["name"]]
        colours = [c["readiness"][d] for d in DIMENSIONS]
        what = [c["name"], c["path"], c["risk"], c["stage"], *_gate(c, repo["findings"])]
        yield [*head, *what, *colours, *_counts(own), ""]
    loose = [f for f in active if f["component"] is None]
    if loose or not repo["components"]:
        colours = [_colours(loose)[d] for d in DIMENSIONS]
        yield [*head, *([""] * 7), *colours, *_counts(loose), ""]


def _gate(component: Mapping[str, Any], findings: Sequence[Mapping[str, Any]]) -> list[str]:
    """The gate's verdict (empty without one), and whether and by what the component is
    blocked from its stage, as the scan's stage view counts it."""
    gate = component.get("gate")
    why = blocked_by(component, findings)
    reasons = " ".join(why) if why is not None else ""
    return [gate["verdict"] if gate else "", "true" if why is not None else "false", reasons]


def _counts(findings: Sequence[Mapping[str, Any]]) -> list[int]:
    errors = sum(1 for f in findings if f["severity"] == "error")
    return [errors, len(findings) - errors]


def _colours(findings: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    colour = {"error": "red", "warning": "yellow"}
    worst: dict[str, str] = dict.fromkeys(DIMENSIONS, "green")
    for f in findings:
        if worst.get(f["dimension"]) != "red":
            worst[f["dimension"]] = colour[f["severity"]]
    return worst


def safe(cell: Any) -> Any:
    if isinstance(cell, str) and cell.startswith(_FORMULA_START):
        return "'" + cell
    return cell

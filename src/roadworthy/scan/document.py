"""The scan document (``scan.json``, schema: ``roadworthy/schemas/scan.schema.json``).

One entry per repository, sorted by target, with fixed key order and no timestamps: the same
repositories give the same bytes, and merged shards give the bytes of one full scan.

A repository's ``status`` is the answer `roadworthy check` would give it: ``findings`` when an
active finding is at or above its ``fail_on`` (``--fail-on``, else its policy's, else
``error``), ``error`` when it could not be cloned, read or checked, ``no-models`` when it has no
model component and nothing to report (checked, but nothing to be ready: never shown green),
``ok`` otherwise. ``stages`` is the repository's row of the repositories × stage view
(`roadworthy.scan.stages`): per stage, its components, how many are blocked and by what.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from roadworthy import __version__
from roadworthy.findings import GREEN, RED, YELLOW, Report, Severity, readiness
from roadworthy.reporters import json_
from roadworthy.scan import stages

SCHEMA_VERSION = 1
STATUSES = ("ok", "findings", "no-models", "error")
Entry = dict[str, Any]


def entry(
    target: str,
    head: str | None,
    report: Report,
    fail_on: str,
    coverage: Mapping[str, Mapping[str, int]] | None = None,
) -> Entry:
    """``coverage``: per framework preset, its clauses by status (`evidence.build.Evidence`)."""
    base = json_.document(report)
    out: Entry = {
        "target": target,
        "status": _status(report, fail_on),
        "error": None,
        "head": head,
        "fail_on": fail_on,
        "policy": base["policy"],
        "readiness": readiness(report.active_findings),
        "summary": base["summary"],
        "stages": None,
        "coverage": {k: dict(v) for k, v in sorted((coverage or {}).items())},
        "components": base["components"],
        "findings": base["findings"],
    }
    out["stages"] = stages.view(out)
    return out


def error_entry(target: str, message: str, head: str | None = None) -> Entry:
    return {
        "target": target,
        "status": "error",
        "error": message,
        "head": head,
        "fail_on": None,
        "policy": None,
        "readiness": None,
        "summary": None,
        "stages": None,
        "coverage": {},
        "components": [],
        "findings": [],
    }


def _status(report: Report, fail_on: str) -> str:
    active = report.active_findings
    if not report.components and not active:
        return "no-models"
    if fail_on == "never" or not active:
        return "ok"
    if fail_on == "warning" or any(f.severity is Severity.ERROR for f in active):
        return "findings"
    return "ok"


def document(
    entries: Iterable[Entry], *, shard: str | None = None, complete: bool = True
) -> dict[str, Any]:
    """``complete`` is false when the scan was interrupted: only what finished is in it."""
    repositories = sorted(entries, key=lambda e: str(e["target"]))
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "roadworthy", "version": __version__},
        "shard": shard,
        "complete": complete,
        "totals": totals(repositories),
        "repositories": repositories,
    }


def totals(repositories: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    by_status = {s: sum(1 for r in repositories if r["status"] == s) for s in STATUSES}
    verdicts = [verdict(c["readiness"]) for r in repositories for c in r["components"]]
    summaries = [r["summary"] for r in repositories if r["summary"] is not None]
    return {
        "repositories": {"total": len(repositories), **by_status},
        "components": {
            "total": len(verdicts),
            **{colour: verdicts.count(colour) for colour in (RED, YELLOW, GREEN)},
        },
        "findings": {
            key: sum(int(s[key]) for s in summaries)
            for key in ("findings", "errors", "warnings", "waived")
        },
        "stages": stages.total(repositories),
        "coverage": coverage_totals(repositories),
    }


def coverage_totals(repositories: Sequence[Mapping[str, Any]]) -> dict[str, dict[str, int]]:
    """Per framework preset: how many repositories were assessed for it, and their clauses by
    status, summed."""
    out: dict[str, dict[str, int]] = {}
    for repo in repositories:
        for preset, counts in repo["coverage"].items():
            total = out.setdefault(preset, {"repositories": 0, **dict.fromkeys(counts, 0)})
            total["repositories"] += 1
            for status, n in counts.items():
                total[status] += int(n)
    return dict(sorted(out.items()))


def verdict(colours: Mapping[str, str]) -> str:
    """The worst colour over the dimensions."""
    values = set(colours.values())
    return RED if RED in values else YELLOW if YELLOW in values else GREEN


def exit_status(repositories: Sequence[Mapping[str, Any]]) -> int:
    """0 when every repository is ``ok`` (or has no model); 1 when any has findings or could
    not be checked."""
    return 0 if all(r["status"] in ("ok", "no-models") for r in repositories) else 1

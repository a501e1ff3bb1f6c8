"""`roadworthy merge`: shard reports → one document, as if one machine had scanned them all.

Reports must be valid scan documents of this schema version, made by the same roadworthy
version, with no repository in two of them; anything else is a usage error (exit 2).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from roadworthy.errors import UsageError
from roadworthy.scan.document import SCHEMA_VERSION, Entry, document
from roadworthy.scan.report_schema import problems


def load(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise UsageError(f"{path}: cannot be read ({exc.strerror})") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UsageError(f"{path}: not a scan report (invalid JSON: {exc})") from None
    version = data.get("schema_version") if isinstance(data, dict) else None
    if version != SCHEMA_VERSION:
        raise UsageError(
            f"{path}: scan report schema_version {version!r}; this roadworthy reads and "
            f"writes {SCHEMA_VERSION}. Merge reports made by the same roadworthy version"
        )
    issues = problems(data)
    if issues:
        raise UsageError(f"{path}: not a valid scan report: {issues[0]}")
    result: dict[str, Any] = data
    return result


Report = tuple[Path, dict[str, Any]]


def merge(paths: Sequence[Path]) -> tuple[dict[str, Any], list[str]]:
    """The merged document, and the shards of their split that were not given (``K/N``)."""
    reports = [(path, load(path)) for path in paths]
    _same_tool(reports)
    _same_split(reports)
    seen: dict[str, Path] = {}
    entries: list[Entry] = []
    for path, report in reports:
        for repo in report["repositories"]:
            target = repo["target"]
            if target in seen:
                raise UsageError(
                    f"{path}: repository {target!r} is also in {seen[target]}; "
                    "shards must not overlap"
                )
            seen[target] = path
            entries.append(repo)
    complete = all(report["complete"] for _, report in reports)
    return document(entries, complete=complete), _missing_shards(reports)


def _missing_shards(reports: Sequence[Report]) -> list[str]:
    shards = [report["shard"] for _, report in reports]
    if not shards or None in shards:
        return []
    count = int(shards[0].split("/")[1])
    present = {int(s.split("/")[0]) for s in shards}
    return [f"{k}/{count}" for k in range(1, count + 1) if k not in present]


def _same_split(reports: Sequence[Report]) -> None:
    splits = {r["shard"].split("/")[1]: p for p, r in reports if r["shard"]}
    if len(splits) > 1:
        shown = ", ".join(f"{p} (of {n})" for n, p in sorted(splits.items()))
        raise UsageError(f"shards of different splits: {shown}; merge shards of one split")


def _same_tool(reports: Sequence[Report]) -> None:
    from roadworthy import __version__

    for path, report in reports:
        version = report["tool"]["version"]
        if version != __version__:
            raise UsageError(
                f"{path}: made by roadworthy {version}, this is {__version__}; "
                "scan and merge with one version"
            )

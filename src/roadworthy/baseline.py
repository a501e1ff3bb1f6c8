"""A baseline: the findings a repository had when it adopted roadworthy, recorded so that only
new ones fail.

``check --write-baseline FILE`` records every active finding; ``--baseline FILE`` or the
policy's ``baseline:`` key applies one. A finding is the same finding when its rule, component,
path and message match, with numbers in the message ignored (a card that grows staler is still
the stale card). Each record excuses one finding, so a second copy of a recorded problem is new.
Excused findings stay in the report, marked ``waived_by: baseline`` (JSON, SARIF suppressions),
and leave the text output and the exit code.

The file is JSON, one finding a line, sorted: a reviewer reads what was accepted, and the diff
of a shrinking baseline shows what was fixed. It is a governance file (see
`change.governance.policy_files`): changing it excuses findings.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from roadworthy.errors import Location, UsageError
from roadworthy.findings import BASELINE, Finding, Report, readiness, without_day_counts

VERSION = 1

Key = tuple[str, str, str, str]


def key(finding: Finding) -> Key:
    """What makes a finding the same finding tomorrow: not its line, not a count of days."""
    message = without_day_counts(finding.message)
    return (finding.code, finding.component or "", finding.path, message)


def render(report: Report) -> str:
    """The baseline file recording every active finding of ``report``."""
    rows = sorted(
        (
            {"code": f.code, "component": f.component, "path": f.path, "message": f.message}
            for f in report.active_findings
        ),
        key=lambda row: (row["path"], row["code"], row["component"] or "", row["message"]),
    )
    lines = [json.dumps(row, ensure_ascii=False) for row in rows]
    body = ",\n    ".join(lines)
    findings = f"[\n    {body}\n  ]" if lines else "[]"
    return f'{{\n  "version": {VERSION},\n  "findings": {findings}\n}}\n'


def parse(text: str, label: str) -> Counter[Key]:
    """The recorded findings of a baseline file; a file that is not one is a usage error at
    its line, never a traceback."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _error(label, exc.lineno, f"not JSON: {exc.msg}") from None
    if not isinstance(data, dict) or data.get("version") != VERSION:
        raise _error(label, 1, f'not a roadworthy baseline (expected "version": {VERSION})')
    rows = data.get("findings")
    if not isinstance(rows, list):
        raise _error(label, 1, "'findings' must be a list")
    recorded: Counter[Key] = Counter()
    for i, row in enumerate(rows):
        recorded[_row_key(row, label, i)] += 1
    return recorded


def _row_key(row: Any, label: str, index: int) -> Key:
    fields = ("code", "path", "message")
    if not isinstance(row, dict) or not all(isinstance(row.get(f), str) for f in fields):
        raise _error(label, 1, f"findings[{index}] needs 'code', 'path' and 'message' strings")
    component = row.get("component")
    message = without_day_counts(row["message"])
    return (row["code"], component if isinstance(component, str) else "", row["path"], message)


def _error(label: str, line: int, message: str) -> UsageError:
    return UsageError(f"{Location(label, line)}: baseline: {message}")


CHANGE_CONTROL = "RW4"  # the change-control and governance family (RW401-RW411)


def apply(report: Report, recorded: Counter[Key]) -> tuple[Report, int]:
    """``report`` with each finding the baseline records marked, and component readiness
    computed again from what is left; and how many records no finding used (fixed, if the
    report covers the whole repository)."""
    left = Counter(recorded)
    findings: list[Finding] = []
    for finding in report.findings:
        k = key(finding)
        # Change control judges a change, not a state to adopt: a baseline never excuses it
        # (else a pull request could record its own RW401 and RW407 in the file it edits).
        if finding.code.startswith(CHANGE_CONTROL):
            findings.append(finding)
            continue
        if finding.active and left[k] > 0:
            left[k] -= 1
            finding = finding._replace(waived_by=BASELINE)
        findings.append(finding)
    by_component: dict[str | None, list[Finding]] = {}
    for finding in findings:
        by_component.setdefault(finding.component, []).append(finding)
    marked = report._replace(
        findings=tuple(findings),
        components=tuple(
            c._replace(readiness=readiness(by_component.get(c.name, []))) for c in report.components
        ),
    )
    return marked, sum(left.values())

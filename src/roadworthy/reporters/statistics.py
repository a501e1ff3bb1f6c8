"""``check --statistics``: how many findings each rule has, most first (ruff's ``--statistics``).

A first run on a repository often has hundreds of findings from a handful of rules; the counts
say which rule to fix, configure or waive first."""

from __future__ import annotations

from collections import Counter

from roadworthy.findings import Report


def render(report: Report) -> str:
    counts = Counter((f.code, f.name, f.severity.label) for f in report.active_findings)
    if not counts:
        return ""
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    number = max(len(str(n)) for n in counts.values())
    code = max(len(c) for c, _, _ in counts)
    name = max(len(n) for _, n, _ in counts)
    lines = [
        f"{n:>{number}}  {c:<{code}}  {rule:<{name}}  {severity}" for (c, rule, severity), n in rows
    ]
    return "\n".join(line.rstrip() for line in lines) + "\n"

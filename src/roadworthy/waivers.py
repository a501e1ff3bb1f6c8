"""Waivers: time-boxed, owned exceptions for rule × component.

An active waiver marks the findings it matches with ``waived_by`` (they stay in JSON and SARIF,
and no longer count). An expired waiver stops applying and is ``RW003 expired-waiver`` (an
error); one expiring within 14 days is ``RW003`` as a warning; an active waiver that matches
nothing is ``RW002 unused-waiver``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping

from roadworthy.findings import Finding, Severity
from roadworthy.formats.globs import GlobSet
from roadworthy.policy.model import Policy, Rule, Waiver

EXPIRY_WARNING_DAYS = 14


def apply(
    findings: list[Finding],
    policy: Policy,
    today: dt.date,
    builtin: Mapping[str, Rule],
    *,
    evaluated: Collection[str] | None = None,
) -> tuple[list[Finding], list[Finding]]:
    """Findings with ``waived_by`` set where a waiver applies, and the waivers' own findings.

    ``evaluated`` names the components a partial run (PATHs, diff mode) checked: a waiver for
    other components is neither unused nor worth an expiry reminder there.
    """
    active = [w for w in policy.waivers if w.expires >= today]
    used: set[str] = set()
    paths_of = {w.id: GlobSet(w.paths) for w in active}
    marked = []
    for finding in findings:
        waiver = next((w for w in active if _matches(w, finding, paths_of[w.id])), None)
        if waiver is not None:
            used.add(waiver.id)
            finding = finding._replace(waived_by=waiver.id)
        marked.append(finding)
    relevant = [
        w for w in policy.waivers if evaluated is None or w.id in used or _concerns(w, evaluated)
    ]
    own = [_expiry(w, today, builtin["RW003"]) for w in relevant]
    if evaluated is None:
        own += [_unused(w, builtin["RW002"]) for w in active if w.id not in used]
    return marked, [f for f in own if f is not None]


def excused(policy: Policy, code: str, component: str, path: str, today: dt.date) -> bool:
    """Whether an active waiver covers rule ``code`` for ``component`` at ``path``, as it would
    a finding there: ``init`` does not write what a waiver excuses."""
    for waiver in policy.waivers:
        if waiver.expires < today or code not in waiver.rules:
            continue
        if waiver.component is not None and waiver.component != component:
            continue
        paths = GlobSet(waiver.paths)
        if not waiver.paths or paths.match(path) or paths.match_dir(_folder(path)):
            return True
    return False


def _concerns(waiver: Waiver, evaluated: Collection[str]) -> bool:
    return waiver.component is not None and waiver.component in evaluated


# One finding for a component's whole change, placed at its first material path: a waiver
# scoped by paths would excuse every other material file of the change with it.
WHOLE_CHANGE = frozenset({"RW401"})


def _matches(waiver: Waiver, finding: Finding, paths: GlobSet) -> bool:
    if finding.code not in waiver.rules:
        return False
    if waiver.paths and finding.code in WHOLE_CHANGE:
        return False
    if waiver.component is not None and finding.component != waiver.component:
        return False
    return not waiver.paths or paths.match(finding.path) or paths.match_dir(_folder(finding.path))


def _folder(path: str) -> str:
    return path.rsplit("/", 1)[0] if "/" in path else ""


def _expiry(waiver: Waiver, today: dt.date, rule: Rule) -> Finding | None:
    if not rule.enabled:
        return None
    days = (waiver.expires - today).days
    name = f"waiver {waiver.id} ({', '.join(waiver.rules)})"
    if days < 0:
        message = f"{name} expired on {waiver.expires} and no longer applies"
        severity = rule.severity
    elif days <= EXPIRY_WARNING_DAYS:
        unit = "day" if days == 1 else "days"
        message = f"{name} expires in {days} {unit}, on {waiver.expires}"
        severity = Severity.WARNING
    else:
        return None
    return _finding(
        waiver,
        rule,
        message,
        severity,
        f"fix what {waiver.id} excuses, or renew it (owner {waiver.owner})",
    )


def _unused(waiver: Waiver, rule: Rule) -> Finding | None:
    if not rule.enabled:
        return None
    message = f"waiver {waiver.id} ({', '.join(waiver.rules)}) matches no finding"
    return _finding(waiver, rule, message, rule.severity, f"remove waiver {waiver.id}")


def _finding(waiver: Waiver, rule: Rule, message: str, severity: Severity, fix: str) -> Finding:
    return Finding(
        path=waiver.location.path,
        line=waiver.location.line or 1,
        code=rule.code,
        name=rule.name,
        severity=severity,
        message=message,
        fix=fix,
        component=waiver.component,
        dimension=rule.dimension,
    )

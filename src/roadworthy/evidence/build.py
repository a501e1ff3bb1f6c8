"""The evidence for one framework: per component and clause, a status and what shows it.

Statuses, strongest claim first: ``satisfied`` (rules citing the clause applied to the
component and none found anything; each rule's own status is kept beside it), ``failing`` (one
of them has an active finding, or stopped on a file it could not read), ``waived`` (its
findings are all waived), ``attested`` (no rule applied, but an unexpired attestation covers the
clause), ``not-assessed`` (nothing looked).
"Looked and found nothing" is never confused with "did not look": a clause whose rules did not
apply is not-assessed, not satisfied, and so is one a citing rule of which the repository's
policy disabled (the rule is listed as ``disabled``).
"""

from __future__ import annotations

import datetime as dt
import posixpath
from collections.abc import Callable, Mapping, Sequence

from roadworthy.evidence.approvals import Standing
from roadworthy.evidence.attestations import Attestation
from roadworthy.findings import Finding, Report
from roadworthy.formats import refs
from roadworthy.policy.model import Candidate, Policy
from roadworthy.records import NamedTuple

STATUSES = ("satisfied", "failing", "waived", "attested", "not-assessed")


class Artifact(NamedTuple):
    name: str  # the policy's artifact name (model_card, ...)
    path: str
    blob: str | None  # git blob id of the bytes the check read; None outside git
    # Whether the commit holds those bytes; False: the work tree's file differs from it (an
    # edit not committed), so the commit alone does not show what was judged. None: no commit.
    committed: bool | None


class RuleResult(NamedTuple):
    code: str
    name: str
    status: str  # satisfied, failing, waived, unreadable, disabled, not-applied


class ClauseResult(NamedTuple):
    clause: str
    status: str
    rules: tuple[RuleResult, ...]
    findings: tuple[Finding, ...]
    attestations: tuple[Attestation, ...]
    expired: tuple[Attestation, ...] = ()


class ComponentEvidence(NamedTuple):
    name: str
    path: str
    risk: str
    stage: str
    artifacts: tuple[Artifact, ...]
    approval: Standing | None  # None: outside git, or the ledger is unreadable
    clauses: tuple[ClauseResult, ...]


class Evidence(NamedTuple):
    framework: refs.Framework
    preset: str | None
    as_of: str
    commit: str | None
    report: Report
    components: tuple[ComponentEvidence, ...]
    repository: tuple[ClauseResult, ...]  # attestation-only clauses
    problems: tuple[str, ...]  # unreadable attestation files, as file:line: message

    def coverage(self) -> dict[str, int]:
        counts = dict.fromkeys(STATUSES, 0)
        for component in self.components:
            for clause in component.clauses:
                counts[clause.status] += 1
        for clause in self.repository:
            counts[clause.status] += 1
        return counts


class Inputs(NamedTuple):
    report: Report
    policy: Policy
    framework: refs.Framework
    preset: str | None
    today: dt.date
    commit: str | None
    files: Mapping[str, Sequence[str]]  # component path → its files
    # path → the blob id of the bytes the check read, and whether the commit holds them
    blob: Callable[[str], tuple[str | None, bool | None]]
    approvals: Mapping[str, Standing]  # component path → its approval now
    attestations: Sequence[Attestation]
    problems: Sequence[str]
    # `ArtifactReader.locate`: a component's file for an artifact, as the checks find it
    locate: Callable[[str, Sequence[str], Sequence[Candidate]], str | None]


def build(inputs: Inputs) -> Evidence:
    key = inputs.framework.key
    citing: dict[str, list[str]] = {}
    # Every rule citing the clause, a disabled one too: the framework's evidence for a clause,
    # switched off by the repository's own policy, must show (and keeps it from "satisfied").
    names = {r.code: r.name for r in inputs.policy.rules}
    disabled = {r.code for r in inputs.policy.rules if not r.enabled}
    for rule in inputs.policy.rules:
        for text in rule.refs:
            ref = refs.parse(text)
            if ref is not None and ref.framework.key == key:
                citing.setdefault(ref.clause, []).append(rule.code)
    clauses = sorted(citing, key=refs.clause_order)
    by_component: dict[str | None, list[Finding]] = {}
    for f in inputs.report.findings:
        by_component.setdefault(f.component, []).append(f)
    valid = [a for a in inputs.attestations if a.valid_on(inputs.today)]
    expired = [a for a in inputs.attestations if not a.valid_on(inputs.today)]
    components = []
    for c in inputs.report.components:
        files = inputs.files.get(c.path, ())
        own = [a for a in valid if _covers(a, c.path)]
        own_expired = [a for a in expired if _covers(a, c.path)]
        results = tuple(
            _clause(
                f"{key}:{clause}",
                [(code, names.get(code, "")) for code in citing[clause]],
                set(c.rules or ()),
                set(c.stopped),
                disabled,
                by_component.get(c.name, []),
                own,
                own_expired,
            )
            for clause in clauses
        )
        components.append(
            ComponentEvidence(
                c.name,
                c.path,
                c.risk,
                c.stage,
                _artifacts(inputs, c.path, files),
                inputs.approvals.get(c.path),
                results,
            )
        )
    # The repository's attestation-only clauses take only the root's attestations: one in a
    # component folder speaks for that component, not for the repository.
    root_valid = [a for a in valid if _covers(a, "")]
    root_expired = [a for a in expired if _covers(a, "")]
    repository = tuple(
        _attested_only(f"{key}:{clause}", root_valid, root_expired)
        for clause in inputs.framework.attestation_only
    )
    return Evidence(
        inputs.framework,
        inputs.preset,
        inputs.today.isoformat(),
        inputs.commit,
        inputs.report,
        tuple(components),
        repository,
        tuple(inputs.problems),
    )


def _covers(attestation: Attestation, component_path: str) -> bool:
    """A root attestation covers every component; one in a component folder, that one."""
    folder = posixpath.dirname(attestation.path)
    return folder == "" or folder == component_path or component_path.startswith(f"{folder}/")


def _clause(
    clause: str,
    rules: list[tuple[str, str]],
    applied: set[str],
    stopped: set[str],
    disabled: set[str],
    findings: list[Finding],
    attestations: list[Attestation],
    expired: list[Attestation],
) -> ClauseResult:
    results = []
    related: list[Finding] = []
    for code, name in rules:
        hits = [f for f in findings if f.code == code]
        related += hits
        if code in disabled:
            status = "disabled"
        elif code in stopped and not any(f.active for f in hits):
            status = "unreadable"  # its file is RW001's finding; what it would find is unknown
        elif code not in applied and not hits:
            status = "not-applied"
        elif any(f.active for f in hits):
            status = "failing"
        elif hits:
            status = "waived"
        else:
            status = "satisfied"
        results.append(RuleResult(code, name, status))
    statuses = {r.status for r in results}
    covering = tuple(a for a in attestations if a.clause == clause)
    if statuses & {"failing", "unreadable"}:
        status = "failing"
    elif "waived" in statuses:
        status = "waived"
    elif "satisfied" in statuses and "disabled" not in statuses:
        status = "satisfied"
    else:
        status = "attested" if covering else "not-assessed"
    lapsed = tuple(a for a in expired if a.clause == clause)
    return ClauseResult(clause, status, tuple(results), tuple(related), covering, lapsed)


def _attested_only(
    clause: str, valid: list[Attestation], expired: list[Attestation]
) -> ClauseResult:
    covering = tuple(a for a in valid if a.clause == clause)
    lapsed = tuple(a for a in expired if a.clause == clause)
    status = "attested" if covering else "not-assessed"
    return ClauseResult(clause, status, (), (), covering, lapsed)


def _artifacts(inputs: Inputs, component: str, files: Sequence[str]) -> tuple[Artifact, ...]:
    out = []
    for name, candidates in sorted(inputs.policy.artifacts.items()):
        found = inputs.locate(component, files, candidates)
        if found is not None:
            out.append(Artifact(name, found, *inputs.blob(found)))
    return tuple(out)

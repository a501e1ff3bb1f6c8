"""Sign-off for accepted risk: a component with more yellow dimensions than the policy's
``readiness.max_yellow`` needs a sign-off (``roadworthy approve COMPONENT --signoff``) bound to
the digest of its current warnings. The digest covers each warning's code, path and message,
not its line (nor a count of days, which grows by itself): an unrelated edit that moves a line
keeps the sign-off, a new warning kills it.

Sign-off approvers come from the policy (``readiness.signoff.approvers``); an owner of the
component signing off its own risk does not count (self-sign-off). As for approvals, owners and
signers are compared as people: a handle of hers or a team ``people`` puts her in is still her.
Above ``verify: entry`` the commit adding the sign-off is proven as approvals are, against the
allowed signers of the base revision (diff mode) or of the commit judged (a full check), never
a file the change brings.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from roadworthy.artifacts import ArtifactReader
from roadworthy.change import ledger, provenance
from roadworthy.change.view import ledger_path, read_ledger
from roadworthy.findings import YELLOW, Finding, Problem, Severity, readiness, without_day_counts
from roadworthy.metadata import Component
from roadworthy.policy.model import Policy
from roadworthy.records import NamedTuple
from roadworthy.workspace import git
from roadworthy.workspace.worktree import ArtifactError

if TYPE_CHECKING:
    from roadworthy.change.view import ChangeView


def full_check_findings(findings: Iterable[Finding], policy: Policy) -> list[Finding]:
    """The findings a whole-repository check also gives: a sign-off is recorded from one, and
    a diff run's change-control warnings must not change what it accepted."""
    from roadworthy.checks import CHECKS

    out = []
    for f in findings:
        rule = policy.rule(f.code)
        kind = CHECKS.get(rule.check) if rule is not None else None
        if kind is None or not kind.NEEDS_DIFF:
            out.append(f)
    return out


def warnings_digest(findings: Iterable[Finding]) -> str:
    """sha256 over the sorted (code, path, message) of the active warnings."""
    rows = sorted({_row(f) for f in findings if _is_warning(f)})
    return "sha256:" + hashlib.sha256("\n".join(rows).encode("utf-8")).hexdigest()


def _row(f: Finding) -> str:
    return "\t".join((f.code, f.path, without_day_counts(f.message)))


def yellow_dimensions(findings: Iterable[Finding]) -> list[str]:
    return sorted(d for d, c in readiness(findings).items() if c == YELLOW)


def _is_warning(f: Finding) -> bool:
    return f.active and f.severity is Severity.WARNING


class Judgement(NamedTuple):
    signed: bool  # a valid sign-off covers the component's warnings
    problem: Problem | None  # RW411, when more yellows than allowed and no valid sign-off


def judge(
    component: Component,
    own: Sequence[Finding],
    policy: Policy,
    reader: ArtifactReader,
    change: ChangeView | None = None,
) -> Judgement:
    limit = policy.readiness.max_yellow
    own = full_check_findings(own, policy)
    yellows = yellow_dimensions(own)
    if limit is None or len(yellows) <= limit:
        return Judgement(False, None)
    path = ledger_path(component, policy.change_control)
    digest = warnings_digest(own)
    why = _refusal(component, policy, _entries(reader, path), digest, reader, path, change)
    if why is None:
        return Judgement(True, None)
    count = sum(1 for f in own if _is_warning(f))
    message = (
        f"{len(yellows)} yellow dimensions ({', '.join(yellows)}; {count} warnings), more than "
        f"the {limit} the policy allows without a sign-off: {why}"
    )
    fix = (
        f"fix the warnings, or have a sign-off approver run `roadworthy approve "
        f"{component.name} --signoff --by HANDLE` and commit {path}"
    )
    return Judgement(False, Problem(message, fix=fix))


def _entries(reader: ArtifactReader, path: str) -> list[ledger.Entry]:
    if not reader.tree.exists(path):
        return []
    try:
        return [e for e in read_ledger(reader, path).entries if e.scope == ledger.SIGNOFF]
    except ArtifactError:
        return []  # the reader remembered it: reported as RW001


def _refusal(
    component: Component,
    policy: Policy,
    entries: list[ledger.Entry],
    digest: str,
    reader: ArtifactReader,
    path: str,
    change: ChangeView | None,
) -> str | None:
    """Why no entry is a valid sign-off of ``digest``; None when one is."""
    matching = [e for e in entries if e.digest == digest]
    if not matching:
        if entries:
            return (
                f"the latest sign-off, {entries[-1].describe()}, accepted other warnings "
                f"({entries[-1].digest[:19]}…, now {digest[:19]}…)"
            )
        return "no sign-off accepts its warnings"
    owned_by = _owners(component, reader, change)
    allowed = {a.lower() for a in policy.readiness.approvers}
    checker = change.checker() if change is not None else _checker(reader, policy)
    last = ""
    for entry in reversed(matching):
        signers = {a.lower() for a in entry.approved_by}
        # Unproven, a team's handle may be any of its members: an owner among them is refused.
        who: set[str] = signers
        if checker is not None:
            verify = policy.change_control.verify
            proof = provenance.prove(checker, path, entry, policy.people, verify)
            if isinstance(proof, str):
                last = proof
                continue
            signers, who = set(proof.handles), {proof.person}
        self_signed = provenance.same_people(who, owned_by, policy.people)
        strangers = sorted(signers - allowed)
        if not self_signed and not strangers:
            return None
        if self_signed:
            last = (
                f"{entry.describe()} is a self-sign-off: {', '.join(self_signed)} is an owner "
                f"({', '.join(sorted(owned_by))})"
            )
        else:
            last = f"{entry.describe()} is by {', '.join(strangers)}, not a sign-off approver"
    return last


def _owners(
    component: Component, reader: ArtifactReader, change: ChangeView | None = None
) -> set[str]:
    """The component's owners: its card's and its CODEOWNERS rule's (both can be RW301's); in
    diff mode the base's too, so a change cannot drop its signer from the owners first."""
    found = {o.handle.lower() for o in component.meta.owners} | _codeowners(component, reader)
    if change is not None:
        before = change.before(component)
        if before is not None:
            found |= {o.handle.lower() for o in before.meta.owners}
        found |= _codeowners(component, change.base)
    return found


def _codeowners(component: Component, reader: ArtifactReader) -> set[str]:
    codeowners = reader.codeowners()
    match = codeowners.owners_of(component.path, is_dir=True) if codeowners else None
    return {h.lower() for h in match.owners} if match else set()


def _checker(reader: ArtifactReader, policy: Policy) -> provenance.Checker | None:
    """At ``verify: author`` or ``signature``, who committed a sign-off is checked as for
    approvals: from committed history (a commit, or the work tree's HEAD); the index has none.
    The allowed signers are the committed file's, not the work tree's."""
    from roadworthy.workspace.worktree import WorkTree

    config = policy.change_control
    if config.verify == "entry":
        return None
    tree = reader.tree
    rev = getattr(tree, "rev", None)
    if isinstance(tree, WorkTree):
        if not tree.is_git or not git.has_head(tree.root):
            return None
        rev = "HEAD"
    if rev is None or rev == git.EMPTY_TREE:
        return None
    signers = git.committed_text(tree.root, rev, config.allowed_signers)
    return provenance.Checker(tree.root, rev, signers)

"""``roadworthy approve COMPONENT --signoff``: accept a component's current warnings.

The component is checked as ``roadworthy check`` would check the repository (the work tree),
and the entry appended to its ledger is bound to the digest of its warnings (see
`roadworthy.gates.signoff`). Only the policy's sign-off approvers may sign off, never an owner
of the component; a component without warnings has nothing to accept.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from roadworthy import pipeline
from roadworthy.artifacts import ArtifactReader
from roadworthy.change import ledger
from roadworthy.change.view import ledger_path
from roadworthy.discovery import discover
from roadworthy.errors import UsageError
from roadworthy.findings import Severity
from roadworthy.gates.signoff import full_check_findings, warnings_digest
from roadworthy.metadata import HANDLE, Component, resolve
from roadworthy.policy.model import Policy
from roadworthy.records import NamedTuple
from roadworthy.workspace.worktree import WorkTree


class SignOff(NamedTuple):
    ledger: str
    number: int
    digest: str
    warnings: int


def sign_off(
    target: str, *, by: Sequence[str], ticket: str | None, note: str | None, cwd: Path
) -> SignOff:
    repo = pipeline.locate([], cwd)
    if not repo.is_git:
        raise UsageError(f"{repo.root} is not a git repository; sign-offs are kept in its ledgers")
    policy = pipeline.load_repository_policy(repo, None, cwd)
    _refuse_approvers(by, policy)
    component = _component(target, repo, policy, cwd)
    owners = sorted({o.handle for o in component.meta.owners} & set(by))
    if owners:
        raise UsageError(
            f"self-sign-off refused: {', '.join(owners)} owns {component.name}; a sign-off "
            "comes from a sign-off approver who does not own the component"
        )
    report = pipeline.check(repo, policy)
    own = full_check_findings((f for f in report.findings if f.component == component.name), policy)
    count = sum(1 for f in own if f.active and f.severity is Severity.WARNING)
    if count == 0:
        raise UsageError(f"{component.name} has no warnings to accept")
    digest = warnings_digest(own)
    entry: dict[str, Any] = {"approved_by": list(dict.fromkeys(by))}
    if ticket:
        entry["ticket"] = ticket
    if note:
        entry["note"] = note
    entry |= {"digest": digest, "at": pipeline.today().isoformat(), "scope": ledger.SIGNOFF}
    where = ledger_path(component, policy.change_control)
    return SignOff(where, ledger.append(repo.root, where, entry), digest, count)


def _refuse_approvers(by: Sequence[str], policy: Policy) -> None:
    bad = [h for h in by if not HANDLE.fullmatch(h)]
    if bad:
        raise UsageError(f"--by {bad[0]!r} is not a handle (@user, @org/team or an e-mail address)")
    allowed = policy.readiness.approvers
    if not allowed:
        raise UsageError("the policy names no sign-off approvers (readiness.signoff.approvers)")
    strangers = [h for h in by if h not in allowed]
    if strangers:
        raise UsageError(
            f"{strangers[0]} is not a sign-off approver "
            f"(readiness.signoff.approvers: {', '.join(allowed)})"
        )


def _component(target: str, repo: pipeline.Repository, policy: Policy, cwd: Path) -> Component:
    tree = WorkTree(repo.root, is_git=repo.is_git, max_file_size=policy.max_file_size)
    found = discover(tree, policy.discovery, repo.name).components
    relative = (cwd / target).resolve()
    for candidate in found:
        if target == candidate.name or relative == (repo.root / candidate.path).resolve():
            return resolve(candidate, ArtifactReader(tree), policy)
    names = ", ".join(sorted(c.name for c in found)) or "none"
    raise UsageError(f"no component {target!r} (components: {names})")

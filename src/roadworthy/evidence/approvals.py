"""Which ledger entries count for a component's approval as the repository stands, judged by
change control's own rules (`change.verdict`): the digest of the material files now, the
component's owners, the approvers needed for its risk, the trust level of the policy.

The repository is read as the commit the report names has it: an entry staged or only on disk
is no approval of record (an artifact edited and not committed shows as `not committed`
beside it). Two things differ from a change under review, because there is no change: the owners
are those the commit's CODEOWNERS and metadata name (there is no base revision to prefer), and
"the change's authors" are whoever last committed each material file (the bytes an approval
covers).
"""

from __future__ import annotations

from pathlib import Path

from roadworthy.artifacts import ArtifactReader
from roadworthy.change import ledger, provenance
from roadworthy.change import verdict as approval
from roadworthy.change.view import content_digest, ledger_path, material_files, read_ledger
from roadworthy.discovery import discover
from roadworthy.metadata import Component, resolve
from roadworthy.policy.model import Policy
from roadworthy.records import NamedTuple
from roadworthy.workspace import git
from roadworthy.workspace.commit import CommitTree
from roadworthy.workspace.worktree import ArtifactError, content_id


class Standing(NamedTuple):
    """A component's approval now: what `verdict.judge` says, and each entry's part in it."""

    ledger: str
    digest: str  # of the material files now
    approved: bool
    trust: str | None  # entry, author or signature when approved
    reasons: tuple[str, ...]  # why not approved
    entries: tuple[approval.Standing, ...]  # every entry of the ledger, in its order


def judge_all(
    root: Path, name: str, only: tuple[str, ...] | None, policy: Policy, head: str | None
) -> dict[str, Standing]:
    """Each component's approval (by component path), the components discovered as the check
    discovers them."""
    if head is None:
        return {}  # nothing committed: no approval is on record
    # What does not depend on the component is read once: the signers file, the shallow list.
    checker = _checker(root, head, policy)
    cut = checker.boundaries if checker is not None else git.shallow_boundaries(root)
    history = _History(root, head, checker, cut)
    objects = git.ObjectReader(root)
    try:
        tree = CommitTree(root, head, objects, policy.max_file_size)
        reader = ArtifactReader(tree)
        out = {}
        for found in discover(tree, policy.discovery, name, only).components:
            component = resolve(found, reader, policy)
            judged = judge(component, reader, policy, history)
            if judged is not None:
                out[component.path] = judged
            reader.clear()
        return out
    finally:
        objects.close()


class _History(NamedTuple):
    root: Path
    head: str
    checker: provenance.Checker | None  # None at `verify: entry`
    boundaries: frozenset[str]  # a shallow clone's cut commits


def judge(
    component: Component, reader: ArtifactReader, policy: Policy, history: _History
) -> Standing | None:
    """None when the ledger cannot be read (RW001 reports it)."""
    config = policy.change_control
    files = material_files(component, reader, policy, config)
    digest = content_digest([(f, content_id(reader.tree, f) or "") for f in files], component.path)
    where = ledger_path(component, config)
    try:
        parsed = read_ledger(reader, where)
    except ArtifactError:
        return None
    # Governance approvals and sign-offs share ledgers; they approve no component's bytes.
    entries = [e for e in parsed.entries if e.scope not in (ledger.GOVERNANCE, ledger.SIGNOFF)]
    authors, unknown = (
        _authors(history, files, policy) if config.forbid_self_approval else (frozenset(), "")
    )
    request = approval.Request(
        digest=digest,
        owners=_owners(component, reader),
        anyone=config.approvers == "anyone",
        needed=config.approvers_needed(component.meta.risk),
        authors=authors,
        people=policy.people,
        verify=config.verify,
        ledger_path=where,
    )
    checker = history.checker
    verdict = approval.judge(entries, request, checker)
    # Without knowing who changed the bytes, an approval cannot be shown not to be a self-approval.
    approved = verdict.approved and not unknown
    return Standing(
        where,
        digest,
        approved,
        verdict.trust if approved else None,
        verdict.reasons + ((unknown,) if unknown else ()),
        approval.standings(entries, request, checker),
    )


def _owners(component: Component, reader: ArtifactReader) -> frozenset[str]:
    handles = {o.handle.lower() for o in component.meta.owners}
    codeowners = reader.codeowners()
    match = codeowners.owners_of(component.path, is_dir=True) if codeowners else None
    return frozenset(handles | {h.lower() for h in match.owners} if match else handles)


def _authors(history: _History, files: list[str], policy: Policy) -> tuple[frozenset[str], str]:
    """The handles of whoever last committed each material file, and why that is unknown for
    some ("" when it is known): in a shallow clone the boundary commit seems to add every file
    it holds, and crediting its author would hide who really changed them."""
    emails: set[str] = set()
    cut: list[str] = []
    for f in files:
        last = git.last_change(history.root, history.head, f)
        if last is None:
            continue
        sha, email = last
        if sha in history.boundaries:
            cut.append(f)
        elif email:
            emails.add(email)
    handles = frozenset(
        h for e in sorted(emails) for h in provenance.every_handle(e, policy.people)
    )
    if not cut:
        return handles, ""
    shown = ", ".join(cut[:3]) + (f" and {len(cut) - 3} more" if len(cut) > 3 else "")
    why = (
        f"the history is shallow: who last committed {shown} is unknown (the clone was cut "
        f"there), so a self-approval cannot be ruled out: {provenance.SHALLOW_HINT}"
    )
    return handles, why


def _checker(root: Path, head: str, policy: Policy) -> provenance.Checker | None:
    config = policy.change_control
    if config.verify == "entry":
        return None
    # The committed file's, as a check reads them: an edit not committed moves no trust.
    signers = git.committed_text(root, head, config.allowed_signers)
    return provenance.Checker(root, head, signers)

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
from typing import NamedTuple

from roadworthy.artifacts import ArtifactReader
from roadworthy.change import ledger, provenance
from roadworthy.change import verdict as approval
from roadworthy.change.view import content_digest, ledger_path, material_files, read_ledger
from roadworthy.discovery import discover
from roadworthy.metadata import Component, resolve
from roadworthy.policy.model import Policy
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
    objects = git.ObjectReader(root)
    try:
        tree = CommitTree(root, head, objects, policy.max_file_size)
        reader = ArtifactReader(tree)
        out = {}
        for found in discover(tree, policy.discovery, name, only).components:
            component = resolve(found, reader, policy)
            judged = judge(component, reader, policy, root, head)
            if judged is not None:
                out[component.path] = judged
            reader.clear()
        return out
    finally:
        objects.close()


def judge(
    component: Component, reader: ArtifactReader, policy: Policy, root: Path, head: str | None
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
    request = approval.Request(
        digest=digest,
        owners=_owners(component, reader),
        anyone=config.approvers == "anyone",
        needed=config.approvers_needed(component.meta.risk),
        authors=_authors(root, head, files, policy) if config.forbid_self_approval else frozenset(),
        people=policy.people,
        verify=config.verify,
        ledger_path=where,
    )
    checker = _checker(root, head, reader, policy)
    verdict = approval.judge(entries, request, checker)
    return Standing(
        where,
        digest,
        verdict.approved,
        verdict.trust,
        verdict.reasons,
        approval.standings(entries, request, checker),
    )


def _owners(component: Component, reader: ArtifactReader) -> frozenset[str]:
    handles = {o.handle.lower() for o in component.meta.owners}
    codeowners = reader.codeowners()
    match = codeowners.owners_of(component.path, is_dir=True) if codeowners else None
    return frozenset(handles | {h.lower() for h in match.owners} if match else handles)


def _authors(root: Path, head: str | None, files: list[str], policy: Policy) -> frozenset[str]:
    if head is None:
        return frozenset()
    emails = {git.last_author(root, head, f) for f in files}
    return frozenset(
        h for e in sorted(e for e in emails if e) for h in provenance.handles_of(e, policy.people)
    )


def _checker(
    root: Path, head: str | None, reader: ArtifactReader, policy: Policy
) -> provenance.Checker | None:
    config = policy.change_control
    if config.verify == "entry" or head is None:
        return None
    # The committed file's, as a check reads them: an edit not committed moves no trust.
    signers = git.committed_text(root, head, config.allowed_signers)
    return provenance.Checker(root, head, signers)

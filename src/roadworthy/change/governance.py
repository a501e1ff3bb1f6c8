"""The repository's governance files in a change: the policy, CODEOWNERS, waivers, ledgers.

Reported by the engine (not per component): ``RW406 weakened-policy`` (each weakening of the
policy in force, named), ``RW407 unapproved-governance-change`` (a change to a governance file
without a governance approval in the repository ledger), ``RW408 self-granted-waiver`` (a waiver
added by the very change it would excuse), ``RW409 approval-ledger-edited`` (an existing ledger
entry edited or removed).
"""

from __future__ import annotations

import posixpath
from collections.abc import Collection, Iterator, Sequence

from roadworthy import waivers
from roadworthy.change import ledger, policy_diff
from roadworthy.change import verdict as approval
from roadworthy.change.view import ChangeView, HeadPolicy, content_digest, read_ledger
from roadworthy.evidence.attestations import FILE as ATTESTATIONS
from roadworthy.evidence.attestations import attestation_files
from roadworthy.findings import Finding, Problem, Severity
from roadworthy.formats.codeowners_file import CANDIDATE_PATHS
from roadworthy.formats.globs import GlobSet
from roadworthy.policy.load import POLICY_FILES
from roadworthy.policy.model import Policy
from roadworthy.workspace.listing import ancestors
from roadworthy.workspace.revtree import DVC_CONFIGS, GitTree, is_attestation, is_dvc_config
from roadworthy.workspace.worktree import ArtifactError, content_id


def policy_files(*policies: Policy | None) -> set[str]:
    """The repository files that govern: policy files, the allowed-signers file (the trust
    root of signature verification) and the baseline (a finding added to it no longer fails)."""
    files = set(POLICY_FILES)
    for policy in policies:
        if policy is not None:
            files |= {
                s
                for s in policy.sources
                if not s.startswith(("preset:", "(")) and not s.startswith("/")
            }
            signers = policy.change_control.allowed_signers
            if signers:
                files.add(signers)
            if policy.baseline:
                files.add(policy.baseline)
    return files


# DVC's committed configuration names the remote every ``dvc pull`` fetches tracked outputs
# from, by md5 and unverified by default: re-pointing it serves other weights with no md5
# changed anywhere. ``config.local`` is meant to stay uncommitted; committed, DVC reads it too.
# A subproject (``dvc init --subdir``) keeps its own in its folder's ``.dvc``: governed alike,
# at any depth (`is_dvc_config`).
DVC_CONFIG = DVC_CONFIGS


def governed(view: ChangeView, head: HeadPolicy) -> set[str]:
    """Every path whose change is a governance change: the governance files, and what a
    governance path leads to through symlinks on either side, the file itself a link
    (``roadworthy.yaml -> config/policy.yaml``: editing the target edits the policy) or a
    folder on its way (``ci/baseline.json`` with ``ci -> config``)."""
    paths = policy_files(view.policy, head.policy) | set(CANDIDATE_PATHS) | set(DVC_CONFIG)
    # Attestations stand in for evidence an auditor reads: changing one is a governance change
    # (the root's, a component's, and below what a link to one leads to).
    paths |= {p for p in view.changed_paths() if is_attestation(p)}  # (10,000 at 500k files)
    paths.add(ATTESTATIONS)
    # The head's links are listed already (the marker listing notes them); a link the change
    # removes or re-points is among the changed paths above. Listing the base's would cost a
    # whole-tree read on every diff.
    paths |= {s for s in view.changes.head.symlinks() if is_attestation(s)}
    # DVC's configuration at any depth: the changed ones, and the head's (noted by the
    # listing), whose links the loop below follows to what they lead to.
    paths |= {p for p in view.changed_paths() if is_dvc_config(p)}
    paths |= set(view.changes.head.dvc_configs())
    for tree in (view.changes.base, view.changes.head):
        for path in list(paths):
            paths |= {hop for hop in tree.path_chain(path) or () if hop is not None}
    return paths


def governance_files(view: ChangeView, head: HeadPolicy, roots: Collection[str]) -> list[str]:
    """The files a governance approval's digest covers, at the head: each governance path
    where it leads (a path through a linked folder is the file it reaches)."""
    candidates = policy_files(view.policy, head.policy) | set(CANDIDATE_PATHS)
    return covered(view.changes.head, candidates | set(attestation_files(sorted(roots))))


def covered(tree: GitTree, candidates: set[str]) -> list[str]:
    """The governance files of ``tree`` an approval's digest binds (`roadworthy approve
    --governance` and the check alike): the candidates and DVC's configuration (at any depth:
    the tree's listing notes it) that exist, a path behind a linked folder
    (``ci/baseline.json``, ``ci -> config``) as the file it opens. A path that is itself a
    link stays as it is: its content id is its target's already."""
    paths = set(candidates) | set(DVC_CONFIG) | set(tree.dvc_configs())
    # Every component's attestation file is a candidate, and few exist. The tree's listing
    # notes those that do (derived for a change's head as its symlinks are): a candidate it
    # does not note can only be reached through a linked folder.
    attested, links = set(tree.attestation_files()), set(tree.symlinks())
    paths = {
        p
        for p in paths
        if not is_attestation(p) or p in attested or (links and _behind_link(p, links))
    }
    # Read every folder on the way to the rest in one batch, not a git round trip each.
    tree.load_folders(ancestors({posixpath.dirname(p) for p in paths}) | {""})
    for path in list(paths):
        if not tree.exists(path):
            chain = tree.path_chain(path)
            if chain and len(chain) > 1 and chain[-1]:
                paths.add(chain[-1])
    return sorted(p for p in paths if tree.exists(p))


def _behind_link(path: str, links: set[str]) -> bool:
    """Whether a folder above ``path`` is a symlink. Walked by `str.rpartition` as `ancestors`
    does: `posixpath.dirname` of ``//`` is ``//``, a walk that never reaches the root."""
    folder = path.rpartition("/")[0]
    while folder:
        if folder in links:
            return True
        folder = folder.rpartition("/")[0]
    return False


def weakened(view: ChangeView, head: HeadPolicy, approved: bool) -> Iterator[Problem]:
    """Each weakening, named; once the governance change is approved they stay on record as
    warnings (reviewers saw exactly these), otherwise they block."""
    if head.error is not None:
        first = head.error.problems[0]
        yield Problem(
            f"the policy as changed does not load ({first}); the base policy stays in force",
            path=_in_repository(view, first.location.path),
            line=first.location.line,
            fix="fix the policy file",
        )
        return
    if head.policy is None or head.policy.digest == view.policy.digest:
        return
    for weakening in policy_diff.weakenings(view.policy, head.policy):
        where = weakening.location
        yield Problem(
            f"policy weakened: {weakening.message}"
            + (" (approved as a governance change)" if approved else ""),
            path=_in_repository(view, where.path),
            line=where.line,
            fix="revert it, or have the policy's owners approve it: "
            "`roadworthy approve --governance --by @owner`",
            severity=Severity.WARNING if approved else None,
        )


def _in_repository(view: ChangeView, path: str) -> str | None:
    """A location a finding can point at; presets and missing files fall back to the policy."""
    return path if view.head.tree.exists(path) else None


def review(
    view: ChangeView, head: HeadPolicy, roots: Collection[str], added: Collection[str] = ()
) -> tuple[bool, list[Problem]]:
    """(whether a governance change is approved, the RW407 problems if it is not); ``roots``:
    the head's component folders, whose attestations the approval's digest binds; ``added``:
    those the change makes components."""
    changed = _changed(view, head, added)  # once: at 500k files it walks 10,000 paths
    problems = list(_unapproved(view, head, roots, changed)) if changed else []
    return bool(changed) and not problems, problems


def _changed(view: ChangeView, head: HeadPolicy, added: Collection[str]) -> set[str]:
    """The governance paths the change alters. An attestations file already in a folder the
    change makes a component starts to attest now, unchanged as it is: it was planted while
    it spoke for nothing, and an approval of that time did not read it as anyone's."""
    changed = set(view.changed_paths() & governed(view, head))
    for path in attestation_files(sorted(r for r in added if r)):
        if view.head.tree.exists(path):
            changed.add(path)
    return changed


def _unapproved(
    view: ChangeView, head: HeadPolicy, roots: Collection[str], changed: set[str]
) -> Iterator[Problem]:
    """``changed``: the governance paths the change alters (`_changed`), not none."""
    files = governance_files(view, head, roots)
    tree = view.head.tree
    target = content_digest([(f, content_id(tree, f) or "") for f in files], "")
    path = view.config.governance_ledger
    try:
        entries = [e for e in read_ledger(view.head, path).entries if e.scope == ledger.GOVERNANCE]
    except ArtifactError:
        return
    policy_path = next(
        (s for s in sorted(policy_files(view.policy)) if view.base.tree.exists(s)), POLICY_FILES[0]
    )
    request = approval.Request(
        digest=target,
        owners=view.owners_of(policy_path, (), is_dir=False),
        anyone=not view.owners_of(policy_path, (), is_dir=False),
        needed=view.config.approvers_needed("default"),
        authors=(
            view.author_handles(sorted(changed))
            if view.config.forbid_self_approval
            else frozenset()
        ),
        people=view.policy.people,
        verify=view.config.verify,
        ledger_path=path,
    )
    verdict = approval.judge(entries, request, view.checker(), view.review_approvals)
    if not verdict.approved:
        files_changed = sorted(changed)
        command = "roadworthy approve --governance --by @owner"
        yield Problem(
            f"governance change not approved ({'; '.join(verdict.reasons)}): "
            f"{', '.join(files_changed)} changed",
            path=files_changed[0] if tree.exists(files_changed[0]) else None,
            line=1,
            fix=f"an owner of {policy_path} runs `{command}` and commits {path}",
        )


def self_granted(
    view: ChangeView, head: HeadPolicy, findings: Sequence[Finding]
) -> Iterator[Problem]:
    if head.policy is None:
        return
    for waiver in policy_diff.new_waivers(view.policy, head.policy):
        paths = GlobSet(waiver.paths)
        excused = [f for f in findings if waivers._matches(waiver, f, paths)]
        if excused:
            first = excused[0]
            yield Problem(
                f"waiver {waiver.id} is added by the change it excuses: {first.code} {first.name} "
                f"for {first.component or first.path}"
                + (f" and {len(excused) - 1} more" if len(excused) > 1 else ""),
                path=waiver.location.path,
                line=waiver.location.line,
                fix="fix the finding instead, or add the waiver in its own reviewed change",
            )


def ledger_edits(view: ChangeView) -> Iterator[Problem]:
    names = {
        posixpath.basename(view.config.ledger),
        posixpath.basename(view.config.governance_ledger),
    }
    # A ledger that is a symlink is read through it: an edit at its target edits the ledger
    # where the link sits (the change lists only the target).
    relinked = [(link, link) for link in sorted(view.links()) if posixpath.basename(link) in names]
    sides = [(c.before, c.after) for c in view.changes.changes] + relinked
    for before, after in sides:
        if before is None or posixpath.basename(before) not in names:
            continue  # a ledger exists only where one was: judged by the name it had
        # Moved (renamed, even to another ledger's name) it is gone from where its component
        # reads it: its entries were removed there.
        kept = after if after == before else None
        try:
            old = read_ledger(view.base, before)
            new = read_ledger(view.head, kept) if kept else ledger.Ledger(before, (), ())
        except ArtifactError:
            continue
        for line, message in ledger.edits(old, new):
            yield Problem(
                f"approval ledger is append-only: {message}",
                path=after or before,
                line=line,
                fix="restore the entry; add a new approval instead of changing an old one",
            )

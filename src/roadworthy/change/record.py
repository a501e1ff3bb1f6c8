"""``roadworthy approve``: append a digest-bound approval to a component's ledger.

The digest covers the component's material files as the *index* has them (what the next
commit will contain, the same blob ids a check of that commit sees), so material files with
unstaged edits are refused. Writing keeps the ledger's comments and order and is atomic; nothing
is staged or committed for the user.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from pathlib import Path
from typing import Any

from roadworthy import pipeline
from roadworthy.artifacts import ArtifactReader
from roadworthy.change import ledger
from roadworthy.change.view import content_digest, ledger_path, material_files
from roadworthy.discovery import Found, discover
from roadworthy.errors import UsageError
from roadworthy.formats.codeowners_file import CANDIDATE_PATHS
from roadworthy.metadata import HANDLE, resolve
from roadworthy.policy.load import POLICY_FILES
from roadworthy.records import NamedTuple
from roadworthy.workspace import git
from roadworthy.workspace.commit import CommitTree
from roadworthy.workspace.index import IndexTree


class Approval(NamedTuple):
    ledger: str  # repository-relative path
    number: int
    digest: str
    files: tuple[str, ...]
    warnings: tuple[str, ...]
    removal: bool = False  # files: what the removal takes away


def approve(
    target: str | None,
    *,
    by: Sequence[str],
    ticket: str | None,
    note: str | None,
    governance: bool,
    cwd: Path,
) -> Approval:
    bad = [h for h in by if not HANDLE.fullmatch(h)]
    if bad:
        raise UsageError(f"--by {bad[0]!r} is not a handle (@user, @org/team or an e-mail address)")
    repo = pipeline.locate([], cwd)
    if not repo.is_git:
        raise UsageError(f"{repo.root} is not a git repository; approvals are bound to git content")
    policy = pipeline.load_repository_policy(repo, None, cwd)
    config = policy.change_control
    objects = git.ObjectReader(repo.root)
    try:
        index = IndexTree(repo.root, objects, policy.max_file_size)
        if governance:
            roots = discover(index, policy.discovery, repo.name).roots
            files = _governance_files(index, policy, roots)
            entry_fields: dict[str, Any] = {"scope": ledger.GOVERNANCE}
            where = config.governance_ledger
            warnings: tuple[str, ...] = ()
            _refuse_conflicts(repo.root, files)
            target_digest = content_digest([(f, index.content_id(f) or "") for f in files], "")
        else:
            if target is None:
                raise UsageError(
                    "name the component to approve (its name or path), or --governance"
                )
            found = _find(target, index, policy, repo, cwd)
            if found is None:
                removal = _removal(target, repo, cwd, policy, config, objects)
                return _approve_removal(repo.root, removal, config, by, ticket, note)
            _refuse_conflicts(repo.root, [found.path or "."])
            component = resolve(found, ArtifactReader(index), policy)
            files = material_files(component, ArtifactReader(index), policy, config)
            entry_fields = {}
            where = ledger_path(component, config)
            target_digest = content_digest(
                [(f, index.content_id(f) or "") for f in files], component.path
            )
            warnings = _owner_warnings(by, component, ArtifactReader(index))
            if component.meta.version is not None:
                entry_fields["version"] = str(component.meta.version)
        _refuse_unstaged(repo.root, files)
    finally:
        objects.close()
    entry = _entry(by, ticket, note, target_digest, entry_fields)
    number = ledger.append(repo.root, where, entry)
    return Approval(where, number, target_digest, tuple(files), warnings)


def _entry(
    by: Sequence[str], ticket: str | None, note: str | None, target: str, extra: dict[str, Any]
) -> dict[str, Any]:
    entry: dict[str, Any] = {"approved_by": list(dict.fromkeys(by))}
    if ticket:
        entry["ticket"] = ticket
    if note:
        entry["note"] = note
    entry.update({k: v for k, v in extra.items() if k != "scope"})
    entry["digest"] = target
    entry["at"] = pipeline.today().isoformat()
    if "scope" in extra:
        entry["scope"] = extra["scope"]
    return entry


def _find(
    target: str, index: IndexTree, policy: Any, repo: pipeline.Repository, cwd: Path
) -> Found | None:
    components = discover(index, policy.discovery, repo.name).components
    relative = _relative(target, repo.root, cwd)
    for found in components:
        if target == found.name or relative == found.path:
            return found
    names = ", ".join(sorted(c.name for c in components)) or "none"
    if relative and not index.exists(relative) and _in_history(repo, relative):
        return None  # gone from the index but in history: a removal to approve
    raise UsageError(f"no component {target!r} (components: {names})")


def _relative(target: str, root: Path, cwd: Path) -> str | None:
    try:
        rel = (cwd / target).resolve().relative_to(root).as_posix()
    except ValueError:
        return None
    return "" if rel == "." else rel


def _in_history(repo: pipeline.Repository, path: str) -> bool:
    if not git.has_head(repo.root):
        return False
    out = git.run(["log", "-1", "--format=%H", "HEAD", "--", f":(literal){path}"], repo.root)
    return bool(out.strip())


class _Removal(NamedTuple):
    path: str  # the component folder, repository-relative
    digest: str  # of its material files where it last existed
    files: tuple[str, ...]


def _removal(
    target: str,
    repo: pipeline.Repository,
    cwd: Path,
    policy: Any,
    config: Any,
    objects: git.ObjectReader,
) -> _Removal:
    """What a removal takes away: the component's material files as the last commit that had
    it holds them. The approval is bound to their digest, so approving the removal of one model
    never covers removing another that later takes the same path."""
    path = _relative(target, repo.root, cwd) or target
    tree = CommitTree(repo.root, _last_with(repo, path), objects, policy.max_file_size)
    found = next(
        (f for f in discover(tree, policy.discovery, repo.name).components if f.path == path), None
    )
    if found is None:
        raise UsageError(f"{path}: no component there in {tree.label}, the last commit with it")
    component = resolve(found, ArtifactReader(tree), policy)
    files = material_files(component, ArtifactReader(tree), policy, config)
    return _Removal(
        path, content_digest([(f, tree.content_id(f) or "") for f in files], path), tuple(files)
    )


def _last_with(repo: pipeline.Repository, path: str) -> str:
    """HEAD when it still has ``path``; else the parent of the commit that removed it."""
    head = git.resolve(repo.root, "HEAD")
    spec = f":(literal){path}"
    if git.run(["ls-tree", "--name-only", head, "--", spec], repo.root).strip():
        return head
    removed_by = git.run(["log", "-1", "--format=%H", head, "--", spec], repo.root).strip()
    return git.resolve(repo.root, f"{removed_by.decode()}^")


def _approve_removal(
    root: Path,
    removal: _Removal,
    config: Any,
    by: Sequence[str],
    ticket: str | None,
    note: str | None,
) -> Approval:
    """A component the index no longer has: its removal is approved in the repository ledger."""
    fields = {"component": removal.path, "removed": True}
    entry = _entry(by, ticket, note, removal.digest, fields)
    number = ledger.append(root, config.governance_ledger, entry)
    return Approval(config.governance_ledger, number, removal.digest, removal.files, (), True)


def _governance_files(index: IndexTree, policy: Any, roots: Collection[str]) -> list[str]:
    """What the check binds (`governance.governance_files`): the policy's files, CODEOWNERS,
    DVC's configuration, and the attestations of the root and of each component folder."""
    from roadworthy.change.governance import covered, policy_files
    from roadworthy.evidence.attestations import attestation_files

    candidates = policy_files(policy) | set(CANDIDATE_PATHS) | set(POLICY_FILES)
    return covered(index, candidates | set(attestation_files(sorted(roots))))


def _refuse_conflicts(root: Path, paths: Sequence[str]) -> None:
    """Unmerged index entries have no one content to approve: the digest would cover whichever
    side the index happens to list."""
    specs = [f":(literal){p}" if p != "." else "." for p in paths]
    out = git.run(["ls-files", "-u", "-z", "--", *specs], root) if specs else b""
    conflicted = sorted({git.decode_path(r.partition(b"\t")[2]) for r in out.split(b"\0") if r})
    if conflicted:
        raise UsageError(
            f"{conflicted[0]}: in a merge conflict; resolve it and `git add` the result before "
            "approving"
        )


def _refuse_unstaged(root: Path, files: Sequence[str]) -> None:
    if not files:
        return
    quiet = git.without_repository_filters(root)
    out = git.run([*quiet, "diff-files", "--name-only", "-z", "--", *files], root)
    dirty = [git.decode_path(p) for p in out.split(b"\0") if p]
    if dirty:
        raise UsageError(
            f"{dirty[0]} has unstaged changes; `git add` it first, so the approval names the bytes "
            "that will be committed"
        )


def _owner_warnings(by: Sequence[str], component: Any, index: ArtifactReader) -> tuple[str, ...]:
    """A heads-up when an approver is not an owner now (the check judges by the base's owners)."""
    owners = {o.handle.lower() for o in component.meta.owners}
    codeowners = index.codeowners()
    match = codeowners.owners_of(component.path, is_dir=True) if codeowners else None
    owners |= {h.lower() for h in match.owners} if match else set()
    strangers = [h for h in by if h.lower() not in owners]
    shown = ", ".join(sorted(owners)) or "none recorded"
    return tuple(
        f"{h} is not an owner of {component.found.display_path} (CODEOWNERS and card: {shown}); "
        "the check will not count this approval"
        for h in strangers
    )

"""Change sets: what a pull request, a push or a commit about to be made changes.

``--diff BASE...HEAD`` compares HEAD with the merge base (as git does), ``BASE..HEAD`` the two
commits directly, and a single ``BASE`` means ``BASE...HEAD``. ``--staged`` compares the index
with HEAD (deletions and renames included). ``--hook`` is pre-commit's mode: the pre-push range
from ``PRE_COMMIT_FROM_REF``/``PRE_COMMIT_TO_REF`` when set, else the staged change.
Both sides are read from git objects, never from the work tree.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from roadworthy import git
from roadworthy.errors import UsageError
from roadworthy.revtree import CommitTree, IndexTree
from roadworthy.workspace import DEFAULT_MAX_FILE_SIZE

STAGED = "staged"


@dataclass(frozen=True)
class Change:
    status: str  # A added, M modified, D deleted, R renamed, C copied, T type changed
    path: str  # the path after the change (for D: the deleted path)
    old_path: str | None  # the path before a rename or copy
    old_blob: str | None
    new_blob: str | None

    @property
    def before(self) -> str | None:
        """The path on the base side, if the file existed there."""
        if self.status == "A":
            return None
        return self.old_path or self.path

    @property
    def after(self) -> str | None:
        """The path on the head side, if the file exists there."""
        return None if self.status == "D" else self.path


@dataclass(frozen=True)
class ChangeSet:
    base: CommitTree
    head: CommitTree | IndexTree
    base_rev: str | None  # None: before the first commit
    head_rev: str | None  # None: the index
    changes: tuple[Change, ...]
    label: str  # for messages: "abc123..def456", "staged changes"

    @property
    def offline(self) -> bool:
        """Nothing is committed yet: only what the files say can be verified (pre-commit)."""
        return self.head_rev is None

    def paths_after(self) -> list[str]:
        return [c.after for c in self.changes if c.after is not None]

    def paths_before(self) -> list[str]:
        return [c.before for c in self.changes if c.before is not None]

    def changed(self, path: str) -> Change | None:
        for change in self.changes:
            if path in (change.after, change.before):
                return change
        return None


def resolve_range(
    root: Path, spec: str, objects: git.ObjectReader, max_file_size: int = DEFAULT_MAX_FILE_SIZE
) -> ChangeSet:
    if "..." in spec:
        left, right = spec.split("...", 1)
        start, head = git.resolve_many(root, [left or "HEAD", right or "HEAD"])
        base = git.merge_base(root, start, head)
    elif ".." in spec:
        left, right = spec.split("..", 1)
        base, head = git.resolve_many(root, [left or "HEAD", right or "HEAD"])
    else:
        start, head = git.resolve_many(root, [spec, "HEAD"])
        base = git.merge_base(root, start, head)
    raw = git.raw_diff(root, ["diff-tree", "-r", base, head])
    return ChangeSet(
        base=CommitTree(root, base, objects, max_file_size),
        head=CommitTree(root, head, objects, max_file_size),
        base_rev=base,
        head_rev=head,
        changes=_changes(raw),
        label=f"{base[:12]}..{head[:12]}",
    )


def resolve_staged(
    root: Path, objects: git.ObjectReader, max_file_size: int = DEFAULT_MAX_FILE_SIZE
) -> ChangeSet:
    base = git.resolve(root, "HEAD") if git.has_head(root) else git.EMPTY_TREE
    raw = git.raw_diff(root, ["diff-index", "--cached", "-r", base])
    return ChangeSet(
        base=CommitTree(root, base, objects, max_file_size),
        head=IndexTree(root, objects, max_file_size),
        base_rev=None if base == git.EMPTY_TREE else base,
        head_rev=None,
        changes=_changes(raw),
        label="staged changes",
    )


def resolve_hook(
    root: Path, objects: git.ObjectReader, max_file_size: int = DEFAULT_MAX_FILE_SIZE
) -> ChangeSet:
    # pre-commit exports these for `pre-commit run --from-ref A --to-ref B` and pre-push.
    start, end = os.environ.get("PRE_COMMIT_FROM_REF"), os.environ.get("PRE_COMMIT_TO_REF")
    if start and end:
        return resolve_range(root, f"{start}...{end}", objects, max_file_size)
    if start or end:
        raise UsageError("PRE_COMMIT_FROM_REF and PRE_COMMIT_TO_REF must be set together")
    return resolve_staged(root, objects, max_file_size)


def _changes(raw: list[tuple[str, str, str, str, str | None]]) -> tuple[Change, ...]:
    null = "0" * 40
    return tuple(
        Change(
            status=status,
            path=path,
            old_path=old_path,
            old_blob=None if old == null else old,
            new_blob=None if new == null else new,
        )
        for status, old, new, path, old_path in raw
    )


def author_emails(root: Path, changes: ChangeSet, paths: Sequence[str] = ()) -> frozenset[str]:
    """Who wrote the change to ``paths``: the authors of the range's commits that touch them
    (not of the commit that only adds the approval), or the identity about to commit."""
    if changes.head_rev is None:
        ident = git.run(["var", "GIT_AUTHOR_IDENT"], root).decode("utf-8", "replace")
        email = ident.partition("<")[2].partition(">")[0]
        return frozenset({email.lower()} if email else set())
    span = f"{changes.base_rev}..{changes.head_rev}" if changes.base_rev else changes.head_rev
    specs = ["--", *(f":(literal){p}" for p in paths)] if paths else []
    out = git.run(["log", "--format=%ae", span, *specs], root).decode("utf-8", "replace")
    return frozenset(line.strip().lower() for line in out.splitlines() if line.strip())

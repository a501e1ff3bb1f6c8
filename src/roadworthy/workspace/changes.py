"""Change sets: what a pull request, a push or a commit about to be made changes.

``--diff BASE...HEAD`` compares HEAD with the merge base (as git does), ``BASE..HEAD`` the two
commits directly, and a single ``BASE`` means ``BASE...HEAD``. ``--staged`` compares the index
with HEAD (deletions and renames included). ``--hook`` is pre-commit's mode: the pre-push range
from ``PRE_COMMIT_FROM_REF``/``PRE_COMMIT_TO_REF`` when set, else the staged change.
Both sides are read from git objects, never from the work tree.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from pathlib import Path
from typing import Any, TypeVar

from roadworthy.errors import UsageError
from roadworthy.records import NamedTuple
from roadworthy.workspace import git
from roadworthy.workspace.commit import CommitTree
from roadworthy.workspace.index import IndexTree
from roadworthy.workspace.listing import folders_of
from roadworthy.workspace.revtree import GITLINK
from roadworthy.workspace.staged import StagedTree
from roadworthy.workspace.worktree import DEFAULT_MAX_FILE_SIZE

STAGED = "staged"


class Change(NamedTuple):
    status: str  # A added, M modified, D deleted, R renamed, C copied, T type changed
    path: str  # the path after the change (for D: the deleted path)
    old_path: str | None  # the path before a rename or copy
    old_blob: str | None
    new_blob: str | None
    old_mode: str = ""  # git's file mode: 120000 a symlink, 160000 a submodule (gitlink)
    new_mode: str = ""

    @property
    def is_gitlink(self) -> bool:
        return GITLINK in (self.old_mode, self.new_mode)

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


class ChangeSet(NamedTuple):
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
        """The change that touches ``path`` (either side of a rename)."""
        return _index(self.changes).get(path)


_T = TypeVar("_T")

# What is derived from a change set, made once: the set's identity (and kind) → (the set, the
# value). A run has one change set, and a few of its parts ask each of these: at 500k files
# the change touches 10,000 paths, and each walk over them is milliseconds.
_DERIVED: dict[tuple[int, str], tuple[tuple[Change, ...], Any]] = {}


def per_change_set(kind: str, changes: Sequence[Change], make: Callable[[], _T]) -> _T:
    """``make()``, made once per change set. Keyed by identity: hashing the tuple would cost
    what the walk it replaces does. A list could change under its key: only tuples are kept."""
    if not isinstance(changes, tuple):
        return make()
    cached = _DERIVED.get((id(changes), kind))
    if cached is not None and cached[0] is changes:
        value: _T = cached[1]
        return value
    if any(held is not changes for held, _ in _DERIVED.values()):
        _DERIVED.clear()  # one change set per run: never keep an old one alive
    value = make()
    _DERIVED[id(changes), kind] = (changes, value)
    return value


def _index(changes: tuple[Change, ...]) -> dict[str, Change]:
    """Each path of a change set → the first change touching it (findings ask for their
    changed line one by one)."""

    def make() -> dict[str, Change]:
        index: dict[str, Change] = {}
        for change in changes:
            for path in (change.after, change.before):
                if path is not None:
                    index.setdefault(path, change)
        return index

    return per_change_set("index", changes, make)


def changed_paths(changes: Sequence[Change]) -> frozenset[str]:
    """Every path the change set touches, on either side."""
    return per_change_set(
        "paths", changes, lambda: frozenset(p for c in changes for p in (c.before, c.after) if p)
    )


def changed_folders(changes: Sequence[Change]) -> frozenset[str]:
    """Every folder holding a path the change set touches (`listing.folders_of`)."""
    return per_change_set("folders", changes, lambda: frozenset(folders_of(changed_paths(changes))))


class Sides(NamedTuple):
    """The two snapshots of a change, before the diff between them is computed (so that the
    policy can be loaded and the repository listed while git diffs)."""

    base: CommitTree
    head: CommitTree | IndexTree
    base_rev: str | None
    head_rev: str | None
    label: str


def range_sides(
    root: Path, spec: str, objects: git.ObjectReader, max_file_size: int = DEFAULT_MAX_FILE_SIZE
) -> Sides:
    if "..." in spec:
        left, right = spec.split("...", 1)
        _, head, base = git.resolve_range(root, left or "HEAD", right or "HEAD")
    elif ".." in spec:
        left, right = spec.split("..", 1)
        base, head = git.resolve_many(root, [left or "HEAD", right or "HEAD"])
    else:
        _, head, base = git.resolve_range(root, spec, "HEAD")
    return Sides(
        base=CommitTree(root, base, objects, max_file_size),
        head=CommitTree(root, head, objects, max_file_size),
        base_rev=base,
        head_rev=head,
        label=f"{base[:12]}..{head[:12]}",
    )


def staged_sides(
    root: Path, objects: git.ObjectReader, max_file_size: int = DEFAULT_MAX_FILE_SIZE
) -> Sides:
    base = git.head_commit(root) or git.EMPTY_TREE
    head = CommitTree(root, base, objects, max_file_size)
    return Sides(
        base=head,
        head=StagedTree(root, objects, max_file_size, head),
        base_rev=None if base == git.EMPTY_TREE else base,
        head_rev=None,
        label="staged changes",
    )


def hook_sides(
    root: Path, objects: git.ObjectReader, max_file_size: int = DEFAULT_MAX_FILE_SIZE
) -> Sides:
    # pre-commit exports these for `pre-commit run --from-ref A --to-ref B` and pre-push.
    start, end = os.environ.get("PRE_COMMIT_FROM_REF"), os.environ.get("PRE_COMMIT_TO_REF")
    if start and end:
        return range_sides(root, f"{start}...{end}", objects, max_file_size)
    if start or end:
        raise UsageError("PRE_COMMIT_FROM_REF and PRE_COMMIT_TO_REF must be set together")
    return staged_sides(root, objects, max_file_size)


def hook_has_change(root: Path) -> bool:
    """Whether ``--hook`` has a change to judge: a pre-push range, or anything staged. Without
    one, pre-commit is running on files it was given (``run --all-files``, ``run --files``)."""
    if os.environ.get("PRE_COMMIT_FROM_REF") or os.environ.get("PRE_COMMIT_TO_REF"):
        return True
    if not git.has_head(root):
        return bool(git.run(["ls-files", "-z", "--cached"], root))
    proc = git.run_full(["diff-index", "--cached", "--quiet", "HEAD", "--"], root)
    if proc.returncode not in (0, 1):
        raise git.GitCommandError(["diff-index"], proc.stderr.decode("utf-8", "replace"))
    return proc.returncode == 1


def diff(root: Path, sides: Sides) -> ChangeSet:
    return PendingDiff(root, sides).result()


class PendingDiff:
    """A diff git computes while the caller does other work (loading the policy)."""

    def __init__(self, root: Path, sides: Sides) -> None:
        self.sides = sides
        base = sides.base_rev or git.EMPTY_TREE
        if sides.head_rev is None:
            self._git = git.start_raw_diff(root, ["diff-index", "--cached", "-r", base])
        else:
            self._git = git.start_raw_diff(root, ["diff-tree", "-r", base, sides.head_rev])

    def running(self) -> bool:
        return self._git.running()

    def result(self) -> ChangeSet:
        sides = self.sides
        changes = parse_changes(git.parse_raw_diff(self._git.result()))
        if isinstance(sides.head, StagedTree):
            sides.head.stage(changes)  # from now on the index is HEAD plus this change
        return ChangeSet(
            base=sides.base,
            head=sides.head,
            base_rev=sides.base_rev,
            head_rev=sides.head_rev,
            changes=changes,
            label=sides.label,
        )

    def close(self) -> None:
        self._git.close()


def linked(change_set: ChangeSet) -> dict[str, str]:
    """The head's symlinks whose in-repository target (a file, or anything under a folder) the
    change touches, with their targets: new bytes behind a link are a change where it sits."""
    changed = changed_paths(change_set.changes)
    head = change_set.head
    out: dict[str, str] = {}
    chains = {
        link: [t for t in head.link_chain(link) or () if t is not None] for link in head.symlinks()
    }
    # Every hop of a chain counts (a "current" link re-pointed, new bytes at the end), and a
    # linked folder counts when a link inside it leads to what changed: repeat until stable.
    reached = set(changed)
    while True:
        found = {
            link: next(t for t in hops if _touches(t, reached))
            for link, hops in chains.items()
            if link not in changed and link not in out and any(_touches(t, reached) for t in hops)
        }
        if not found:
            return out
        out.update(found)
        reached |= set(found)


def _touches(target: str, changed: set[str]) -> bool:
    """Whether the change touches ``target``, anything under it (a linked folder), or a folder
    holding it (a submodule bumped under the link's target)."""
    if not target or target in changed:
        return True
    return any(p.startswith(f"{target}/") or target.startswith(f"{p}/") for p in changed)


def resolve_range(
    root: Path, spec: str, objects: git.ObjectReader, max_file_size: int = DEFAULT_MAX_FILE_SIZE
) -> ChangeSet:
    return diff(root, range_sides(root, spec, objects, max_file_size))


def resolve_staged(
    root: Path, objects: git.ObjectReader, max_file_size: int = DEFAULT_MAX_FILE_SIZE
) -> ChangeSet:
    return diff(root, staged_sides(root, objects, max_file_size))


def resolve_hook(
    root: Path, objects: git.ObjectReader, max_file_size: int = DEFAULT_MAX_FILE_SIZE
) -> ChangeSet:
    return diff(root, hook_sides(root, objects, max_file_size))


# Names and addresses as UTF-8 whatever a commit's ``encoding`` header or the repository's
# i18n.logOutputEncoding says, so that both reads of an author agree with the policy's text.
_ENCODING = "--encoding=UTF-8"


def _rewritten(root: Path) -> bool:
    try:
        return git.rewrites_objects(root, git.common_dir(root))
    except git.GitCommandError:
        return True


def parse_changes(raw: list[git.RawChange]) -> tuple[Change, ...]:
    null = "0" * 40
    return tuple(
        Change(
            status=status,
            path=path,
            old_path=old_path,
            old_blob=None if old == null else old,
            new_blob=None if new == null else new,
            old_mode=old_mode,
            new_mode=new_mode,
        )
        for status, old, new, path, old_path, old_mode, new_mode in raw
    )


class Authors:
    """Who wrote which paths in a change, read when the first approval is judged (the approval
    commit itself authors no material path, so it never makes its approver "the change's
    author").

    Ordinary commits are credited with the files they change (one ``git log --name-only``).
    A merge commit is credited with what its resolution decided: the files in which it differs
    from *every* parent inside the range. A parent outside the range (reachable from the base)
    is left out of that comparison, because what the merge takes from it was written by nobody
    in the range: a resolution that takes an old parent's weights is its merger's change, while
    a clean merge of a colleague's branch leaves the credit with the colleague's commits.
    A commit that rests only on history outside the range other than the base (a branch cut
    from an old commit, a merge of old commits) is credited with all it differs in from the
    base: old weights cannot be laundered into the range through it.
    """

    def __init__(
        self,
        root: Path,
        changes: ChangeSet,
        objects: git.ObjectReader | None = None,
        *,
        rewritten: bool | None = None,
    ) -> None:
        """``objects``: allow the one-commit fast path (tests compare it with the log).
        ``rewritten``: `git.rewrites_objects`, when the caller knows it already."""
        self.root = root
        self.changes = changes
        self._by_path: Mapping[str, AbstractSet[str]] | None = None
        self._by_folder: Mapping[str, AbstractSet[str]] = {}
        self._log: git.Pending | None = None
        self._span = ""
        self._single: git.Pending | None = None
        self._ident: git.Pending | None = None
        self._committed: frozenset[str] | None = None  # its answer, once read (or failed)
        if changes.head_rev is None:
            # The committer of staged changes: asked now, read when an approval is judged.
            self._ident = git.Pending(["var", "GIT_AUTHOR_IDENT"], root)
        else:
            base, head = changes.base_rev, changes.head_rev
            self._span = f"{base}..{head}" if base else str(head)
            if rewritten is None and objects is not None:
                rewritten = _rewritten(root)
            if objects is not None and base is not None and not rewritten:
                # One ordinary commit on the base is credited to its author with the whole
                # change; git parses the commit (its parents, its encoding, which address is
                # the author's) and, unlike the log below, computes no diff.
                args = ["log", "-1", _ENCODING, "--format=%P%x00%ae", head, "--"]
                self._single = git.Pending(args, root)
            else:
                self._start_log()

    def _start_log(self) -> None:
        # Started early, read when the first approval is judged: git runs meanwhile. Plain
        # `--name-only` lists no files for a merge; its parents say it is one.
        # Each header starts with a NUL, so it follows an empty record: no file name is
        # empty, so a file named like a header cannot pass for one. --no-renames lists a
        # rename's old name too (who moved a component away is an author of its removal).
        fmt = "--format=%x00%x01%H %P%x02%ae"
        args = ["log", "-z", "--no-renames", _ENCODING, fmt, "--name-only", self._span]
        self._log = git.Pending(args, self.root)

    def _single_author(self) -> str | None:
        """The author's address (lower case; "" for none) when the range is one commit whose
        only parent, as git sees it, is the base; else None."""
        assert self._single is not None
        try:
            out = self._single.result()
        except git.GitCommandError:
            return None
        parents, _, email = out.decode("utf-8", "replace").rstrip("\n").partition("\0")
        if parents.split() != [self.changes.base_rev]:
            return None
        return email.strip().lower()

    def close(self) -> None:
        if self._single is not None:
            self._single.close()
        if self._ident is not None:
            self._ident.close()
        if self._log is not None:
            self._log.close()

    def __call__(self, paths: Sequence[str]) -> frozenset[str]:
        if self.changes.head_rev is None:
            return self._committer()
        by_path, by_folder = self._load()
        found: set[str] = set()
        for path in paths:
            key = "" if path == "." else path
            found |= by_path.get(key, set()) | by_folder.get(key, set())
        return frozenset(found)

    def _committer(self) -> frozenset[str]:
        # Read once, a failure too: the pending command's answer cannot be taken twice.
        if self._committed is None:
            self._committed = self._read_committer()
        return self._committed

    def _read_committer(self) -> frozenset[str]:
        # Without a configured identity (CI running pre-commit) nobody can be the author.
        assert self._ident is not None
        try:
            ident = self._ident.result().decode("utf-8", "replace")
        except git.GitCommandError:
            return frozenset()
        email = ident.partition("<")[2].partition(">")[0]
        return frozenset({email.lower()} if email else set())

    def _load(self) -> tuple[Mapping[str, AbstractSet[str]], Mapping[str, AbstractSet[str]]]:
        if self._by_path is None and self._single is not None:
            single = self._single_author()
            self._single = None
            if single is not None:
                # Every path and every folder above one has the one author: a shared set,
                # not a set each (10,000 paths and 4,600 folders at 500k files: 9 ms).
                changes = self.changes.changes
                one = frozenset({single} if single else ())
                self._by_path = dict.fromkeys(changed_paths(changes), one) if one else {}
                self._by_folder = dict.fromkeys(changed_folders(changes), one) if one else {}
            else:
                self._start_log()
        if self._by_path is None:
            assert self._log is not None
            by_path: dict[str, set[str]] = {}
            in_range: set[str] = set()
            commits: list[tuple[str, list[str], str]] = []
            author = ""
            previous, first = b"-", False
            for token in self._log.result().split(b"\0"):
                header = previous == b"" and token.startswith(b"\x01")
                previous = token
                if first and token.startswith(b"\n"):
                    token = token[1:]  # git puts one newline between a header and its files
                first = header
                if header:
                    shas, _, email = token[1:].decode("utf-8", "replace").partition("\x02")
                    sha, *parents = shas.split()
                    author = email.strip().lower()
                    in_range.add(sha)
                    if author:
                        commits.append((sha, parents, author))
                elif token and author:
                    by_path.setdefault(git.decode_path(token), set()).add(author)
            for author, paths in self._beyond_parents(commits, in_range):
                for path in paths:
                    by_path.setdefault(path, set()).add(author)
            self._by_path = by_path
            self._index_folders(by_path)
        return self._by_path, self._by_folder

    def _index_folders(self, by_path: dict[str, set[str]]) -> None:
        """Each folder's authors: those of every path below it. A walk up from a path stops at
        the first folder that has its authors already: every folder above has them too (each
        walk goes on to the root until it meets such a folder), so a change of 5,000 files by
        one author costs a step or two a file, not its depth."""
        by_folder: dict[str, set[str]] = {}
        for path, emails in by_path.items():
            folder = path.rpartition("/")[0]
            while True:
                known = by_folder.get(folder)
                if known is None:
                    by_folder[folder] = set(emails)
                elif emails <= known:
                    break
                else:
                    known |= emails
                if not folder:
                    break
                folder = folder.rpartition("/")[0]
        self._by_folder = by_folder

    def _beyond_parents(
        self, commits: list[tuple[str, list[str], str]], in_range: set[str]
    ) -> Iterator[tuple[str, set[str]]]:
        """(author, files) that the plain log does not credit: a merge's resolution, and what
        a commit resting only on commits outside the range brings in (see the class
        docstring)."""
        base = self.changes.base_rev
        for sha, parents, email in commits:
            inside = [p for p in parents if p in in_range]
            if not inside and base is not None and parents != [base]:
                # It rests on history outside the range other than the base (an old commit, a
                # merge of old commits): all it differs in from the base, it brings in.
                yield email, self._differing(base, sha)
            elif len(parents) > 1 and inside:
                differing: set[str] | None = None
                for parent in inside:
                    paths = self._differing(parent, sha)
                    differing = paths if differing is None else differing & paths
                yield email, differing or set()
            elif len(parents) > 1:
                # A merge of outside commits without a base (the whole history is the range).
                yield email, set().union(*(self._differing(p, sha) for p in parents))

    def _differing(self, old: str, new: str) -> set[str]:
        out = git.run(["diff-tree", "-r", "-z", "--name-only", old, new], self.root)
        return {git.decode_path(p) for p in out.split(b"\0") if p}

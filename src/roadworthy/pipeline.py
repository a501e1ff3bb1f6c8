"""Wiring: where the repository is, which policy is in force, and the run itself.

Commands call these with plain values; nothing here parses arguments or prints.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from roadworthy.errors import LocatedError, Location, PolicyError, UsageError
from roadworthy.findings import Report
from roadworthy.policy.load import POLICY_FILES, PolicySource, find_policy_file, load_policy
from roadworthy.policy.model import Policy
from roadworthy.records import NamedTuple
from roadworthy.workspace import git
from roadworthy.workspace.worktree import ArtifactError, Tree, WorkTree, decode

if TYPE_CHECKING:
    from roadworthy.artifacts import ArtifactReader
    from roadworthy.change.view import HeadPolicy
    from roadworthy.discovery import Guessed
    from roadworthy.workspace.changes import ChangeSet, PendingDiff, Sides
    from roadworthy.workspace.treeindex import HeadIndex

TODAY_ENV = "ROADWORTHY_TODAY"


class Repository(NamedTuple):
    root: Path
    is_git: bool
    only: tuple[str, ...] | None  # repository-relative paths to restrict to; None = everything

    @property
    def name(self) -> str:
        return self.root.name


def locate(paths: Sequence[str], cwd: Path) -> Repository:
    """The repository the PATHs are in (all of them must share one), and what to restrict to."""
    targets = [(cwd / p).resolve() for p in (paths or ["."])]
    for target in targets:
        if not target.exists():
            raise UsageError(f"{target}: no such file or directory")
    top = git.toplevel(targets[0])
    root = top.resolve() if top is not None else _plain_root(targets[0])
    only: list[str] = []
    for target in targets:
        try:
            rel = target.relative_to(root).as_posix()
        except ValueError:
            raise UsageError(f"{target} is not inside the repository at {root}") from None
        if rel == ".":
            return Repository(root, top is not None, None)
        only.append(rel)
    return Repository(root, top is not None, tuple(only))


def _plain_root(target: Path) -> Path:
    start = target if target.is_dir() else target.parent
    for folder in (start, *start.parents):
        if any((folder / name).is_file() for name in POLICY_FILES):
            return folder
    return start


def today() -> dt.date:
    """The date rules measure against when ``--as-of`` is not given; ROADWORTHY_TODAY pins it
    too (kept for the runs that set it before --as-of existed)."""
    pinned = os.environ.get(TODAY_ENV)
    if not pinned:
        return dt.date.today()
    from roadworthy.formats.versions import parse_date

    date = parse_date(pinned)
    if date is None:
        raise UsageError(f"{TODAY_ENV}={pinned!r} is not a date (YYYY-MM-DD)")
    return date


def parse_as_of(text: str) -> dt.date:
    """``--as-of DATE``: a calendar date, YYYY-MM-DD."""
    from roadworthy.formats.versions import parse_date

    date = parse_date(text)
    if date is None:
        raise UsageError(f"--as-of {text!r} is not a date (YYYY-MM-DD)")
    return date


def file_reader(root: Path) -> PolicySource:
    """Reads policy files from the work tree: repository-relative names, or absolute paths."""

    real_root = os.path.realpath(root)

    def read(name: str) -> str | None:
        path = root / name
        inside = os.path.realpath(path).startswith(real_root + os.sep)
        if not inside and not Path(name).is_absolute():
            # A repository file must not lead the policy to read (and echo) files elsewhere,
            # nor tell whether one exists: the same answer whatever the link points at.
            message = "is a symlink out of the repository; not read"
            raise PolicyError([LocatedError(Location(name), message)])
        if not path.is_file():
            return None
        try:
            return decode(name, path.read_bytes())
        except ArtifactError as exc:
            raise PolicyError([LocatedError(Location(name, exc.line), exc.message)]) from None

    return read


def policy_label(path: str, root: Path, cwd: Path) -> str:
    """How a --policy path is named in messages: repository-relative when inside it."""
    full = (cwd / path).resolve()
    try:
        return full.relative_to(root).as_posix()
    except ValueError:
        return str(full)


def apply_baseline(
    repo: Repository,
    policy: Policy,
    report: Report,
    explicit: str | None,
    cwd: Path,
    change: ChangeRequest | None = None,
) -> Report:
    """``report`` less the findings the baseline in force records: ``--baseline FILE``, else
    the policy's ``baseline`` key (read from the work tree, as the policy is). When ``change``
    is judged, a ``--baseline FILE`` inside the repository is read as the base revision has it
    (see `baseline_at_base`)."""
    from roadworthy import baseline

    if explicit is not None:
        from roadworthy.baseline_source import repository_path

        inside = repository_path(explicit, repo.root, cwd)
        if change is not None and inside is not None:
            return _apply_base_baseline(repo, report, inside, change)
        label = policy_label(explicit, repo.root, cwd)
    elif policy.baseline is not None:
        label = policy.baseline
    else:
        return report
    text = file_reader(repo.root)(label)
    if text is None:
        where = policy.key_locations.get("baseline", policy.location)
        said = explicit or f"{where}: baseline {label}"
        raise UsageError(f"{said}: no such file (`roadworthy check --write-baseline` writes one)")
    report, unused = baseline.apply(report, baseline.parse(text, label))
    if unused and report.discovery is not None and not repo.only:  # the whole repository
        noun = (
            "finding the baseline records is"
            if unused == 1
            else "findings the baseline records are"
        )
        note = f"{unused} {noun} fixed; `roadworthy check --write-baseline {label}` drops them"
        report = report._replace(notes=(*report.notes, note))
    return report


def _apply_base_baseline(
    repo: Repository, report: Report, path: str, change: ChangeRequest
) -> Report:
    from roadworthy import baseline
    from roadworthy.baseline_source import baseline_at_base

    found = baseline_at_base(repo.root, path, lambda objects: _sides(repo.root, change, objects))
    if found.text is None:
        note = f"{path} is not in {found.label}: a change is judged with its base's baseline"
        return report._replace(notes=(*report.notes, note))
    report, _ = baseline.apply(report, baseline.parse(found.text, path))
    return report


def load_repository_policy(repo: Repository, explicit: str | None, cwd: Path) -> Policy:
    read = file_reader(repo.root)
    if explicit is not None:
        label = policy_label(explicit, repo.root, cwd)
        if read(label) is None:
            raise UsageError(f"{explicit}: policy file not found")
        return load_policy(read, label)
    return load_policy(read, find_policy_file(read))


def check(
    repo: Repository,
    policy: Policy,
    as_of: dt.date | None = None,
    *,
    jobs: int = 1,
    listing: git.Pending | None = None,
) -> Report:
    """``as_of``: the date rules measure against (``check --as-of``), else `today`;
    ``listing``: the index's, started already (`start_listing`)."""
    from roadworthy import engine

    size = policy.max_file_size
    tree = WorkTree(repo.root, is_git=repo.is_git, max_file_size=size, listing=listing)
    inputs = engine.Inputs(policy, tree, as_of or today(), repo.name, repo.only, jobs=jobs)
    try:
        return engine.run(inputs)
    finally:
        tree.close()


def start_listing(repo: Repository) -> git.Pending | None:
    """A full check of a whole repository lists its index once (`WorkTree.listed_once`):
    started before the policy loads, git reads the index meanwhile. None: nothing to start."""
    return git.start_ls_files(repo.root) if repo.is_git and repo.only is None else None


class ChangeRequest(NamedTuple):
    """Which change set to judge: exactly one of the three."""

    diff: str | None = None
    staged: bool = False
    hook: bool = False


def tree_reader(tree: Tree) -> PolicySource:
    """Reads policy files as a commit or the index has them."""

    def read(name: str) -> str | None:
        if name.startswith("/") or not tree.exists(name):
            return None
        try:
            return decode(name, tree.read_bytes(name))
        except ArtifactError as exc:
            raise PolicyError([LocatedError(Location(name, exc.line), exc.message)]) from None

    return read


def check_change(
    repo: Repository,
    request: ChangeRequest,
    *,
    policy_file: str | None,
    policy_ref: str | None,
    cwd: Path,
    review_approvals: tuple[tuple[str, ...], ...] = (),  # see change.verdict.Review
    as_of: dt.date | None = None,
    adjust: Callable[[Policy], Policy] | None = None,  # --select / --ignore, once it is loaded
) -> tuple[Policy, Report]:
    """Judge a change under the policy in force: the base revision's, unless overridden."""
    from roadworthy.formats.globs import GlobSet
    from roadworthy.markers import qualify
    from roadworthy.policy.model import DEFAULT_MARKERS
    from roadworthy.workspace import changes as change_sets
    from roadworthy.workspace import git
    from roadworthy.workspace.commit import CommitTree
    from roadworthy.workspace.treeindex import HeadIndex

    if not repo.is_git:
        raise UsageError(
            f"{repo.root} is not a git repository; --diff, --staged and --hook need one"
        )
    with contextlib.ExitStack() as stack:
        objects = git.ObjectReader(repo.root)
        stack.callback(objects.close)
        sides = _sides(repo.root, request, objects)
        # git diffs and lists the head's markers while the policy loads: the markers are a
        # guess (most policies keep the defaults), corrected below if the policy has others.
        pending = change_sets.PendingDiff(repo.root, sides)
        stack.callback(pending.close)
        index = HeadIndex(repo.root, sides, objects)
        stack.callback(index.close)
        index.prefetch(GlobSet(DEFAULT_MARKERS))
        source = _policy_source(repo, sides.base, policy_ref, objects)
        entry = _policy_entry(policy_file, repo.root, cwd) if policy_file is not None else None
        policy = _policy_in_force(repo, source, entry, policy_file, cwd)
        for tree in (sides.base, sides.head):
            tree.max_file_size = policy.max_file_size
        # Component names need every marker of the head: the base's, kept or listed now, and
        # the change.
        patterns = tuple(policy.discovery.markers or DEFAULT_MARKERS)
        index.prefetch(GlobSet(patterns))
        # Imported while git diffs on its own: the engine and the change view are a good part
        # of a hook's start-up, and at 500k files git's diff takes about as long.
        from roadworthy import engine
        from roadworthy.change import governance  # noqa: F401  (read by every change's review)
        from roadworthy.change.view import ChangeInputs
        from roadworthy.gates import verdict  # noqa: F401  (every component's gate)

        readers = _readers(sides)
        guessed = _guess_layout(index, pending, policy, patterns, repo.name)
        change_set = pending.result()
        if guessed is not None and repo.only is None:
            # git lists the components the change touches in the guessed layout while the
            # head's markers are settled (`engine.run` goes on with it if they are the same).
            trees = (change_set.base, change_set.head)
            stack.callback(trees[0].drop_expected)
            if isinstance(trees[1], CommitTree):
                stack.callback(trees[1].drop_expected)
            engine.list_touched(guessed.layout, change_set.changes, *trees)
        known = index.settle(
            change_set.changes,
            GlobSet(patterns),
            lambda tree, found: qualify(tree, found, patterns),
        )
        overridden = policy_ref is not None or policy_file is not None
        head = _head_policy(policy, change_set, entry, overridden)
        authors = change_sets.Authors(repo.root, change_set, objects, rewritten=index.rewritten)
        stack.callback(authors.close)
        change = ChangeInputs(
            change_set,
            repo.root,
            head,
            authors,
            review_approvals,
            tuple(known.qualified()),
            index.cache,
            readers,
            guessed,
        )
        if adjust is not None:
            policy = adjust(policy)
        day = as_of or today()
        inputs = engine.Inputs(policy, change_set.head, day, repo.name, repo.only, change)
        return policy, engine.run(inputs)


def _guess_layout(
    index: HeadIndex,
    pending: PendingDiff,
    policy: Policy,
    patterns: tuple[str, ...],
    repo_name: str,
) -> Guessed | None:
    """While git still diffs, the kept layout of the markers the head most likely has: 12 ms
    of a 500k-file repository's check read in time otherwise spent waiting. Once git is done,
    nothing is guessed: the layout is read when the head's markers are known (`engine.run`),
    as it is after a wrong guess."""
    from roadworthy.discovery import guess_layout
    from roadworthy.formats.globs import GlobSet

    if not pending.running():
        return None
    entry = index.guess(GlobSet(patterns))
    if entry is None:
        return None
    return guess_layout(entry.qualified(), policy.discovery, repo_name, index.cache)


def _readers(sides: Sides) -> tuple[ArtifactReader, ArtifactReader]:
    """The readers of the base and the head, with CODEOWNERS read while git diffs: every
    approval asks who owns what. A large file's kept parse takes 12 ms to read at 10,000 rules,
    and git's diff of a 500k-file repository leaves that long idle and more. The staged head
    waits for the diff: before it, the index answers, and git reads all of it (73 MB at 500k
    files) to find one file."""
    from roadworthy.artifacts import ArtifactReader

    base, head = ArtifactReader(sides.base), ArtifactReader(sides.head)
    # Read, not asked for: an unreadable file is reported (RW001) only if judging asks for it.
    base.read_codeowners()
    if sides.head_rev is not None:  # a commit: what it holds does not wait for the diff
        head.read_codeowners()
    return base, head


def _sides(root: Path, request: ChangeRequest, objects: git.ObjectReader) -> Sides:
    from roadworthy.workspace import changes as change_sets

    if request.diff is not None:
        return change_sets.range_sides(root, request.diff, objects)
    if request.hook:
        return change_sets.hook_sides(root, objects)
    return change_sets.staged_sides(root, objects)


def _policy_source(
    repo: Repository, base: Tree, policy_ref: str | None, objects: git.ObjectReader
) -> Tree:
    """Where diff mode reads the policy: the base revision, or --policy-ref's."""
    if policy_ref is None:
        return base
    from roadworthy.workspace.commit import CommitTree

    return CommitTree(repo.root, git.resolve(repo.root, policy_ref), objects)


def _policy_entry(policy_file: str, root: Path, cwd: Path) -> str:
    """Where a --policy file is, for diff mode: a repository path when its name is inside the
    repository, placed without following the work tree's links (a change may replace the file
    with a link out of the repository, to a weaker policy the runner holds); else the file on
    disk, by absolute path."""
    from roadworthy.baseline_source import repository_path

    inside = repository_path(policy_file, root, cwd)
    return inside if inside is not None else policy_label(policy_file, root, cwd)


def _policy_in_force(
    repo: Repository, source: Tree, entry: str | None, policy_file: str | None, cwd: Path
) -> Policy:
    if entry is not None and Path(entry).is_absolute():
        return load_repository_policy(repo, policy_file, cwd)  # outside the repository
    # A policy inside the repository is read as the base (or --policy-ref) has it: a change
    # must not bring the policy that judges it.
    read = tree_reader(source)
    if entry is not None and read(entry) is None:
        raise UsageError(
            f"{policy_file}: not in {source.label}, whose policy is in force in diff "
            "mode (--policy-ref chooses another revision)"
        )
    return load_policy(read, entry or find_policy_file(read))


def _head_policy(
    policy: Policy, change_set: ChangeSet, entry: str | None, overridden: bool
) -> HeadPolicy:
    """The policy as the change leaves it, loaded only when the change (or an override) can
    make it differ from the policy in force."""
    from roadworthy.change.governance import policy_files
    from roadworthy.change.view import HeadPolicy

    if entry is not None and Path(entry).is_absolute():
        # A policy outside the repository is in force as it is on disk: no change can edit it,
        # and the repository's own policy, which is not in force, weakens nothing.
        return HeadPolicy(policy, None)
    from roadworthy.workspace.changes import changed_paths

    if not (changed_paths(change_set.changes) & policy_files(policy) or overridden):
        return HeadPolicy(policy, None)  # the change leaves the policy as it is
    read = tree_reader(change_set.head)
    try:
        return HeadPolicy(load_policy(read, entry or find_policy_file(read)), None)
    except PolicyError as exc:
        return HeadPolicy(None, exc)

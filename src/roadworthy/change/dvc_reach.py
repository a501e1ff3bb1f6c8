"""Where a DVC file's outputs are, whatever folder the file sits in.

A ``*.dvc`` file or ``dvc.lock`` stands for the content it tracks, as a Git LFS pointer does,
but it need not sit beside it: ``dvc add models/credit/model.pkl --file dvc/credit.dvc`` writes
``path: ../models/credit/model.pkl``, and a root ``dvc.lock`` records the outputs of stages that
write into any folder (with the concrete paths, even when ``dvc.yaml`` templates them). A new md5
there is new weights of the component holding the output, approved by that component's owners.

Paths are relative to the file's folder (for a lock, to its stage's ``wdir`` as the ``dvc.yaml``
beside it says), resolved through ``..`` and symlinks in git's tree as the system would. An
output that leaves the repository, or whose folder cannot be known (a templated ``wdir``), has no
target: nothing there can be reviewed.
"""

from __future__ import annotations

import json
import posixpath
import weakref
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from roadworthy.formats import dvc, yamlio
from roadworthy.formats.globs import GlobSet
from roadworthy.records import NamedTuple
from roadworthy.workspace.changes import Change
from roadworthy.workspace.revtree import DVC_PATTERNS, is_dvc_file
from roadworthy.workspace.worktree import ArtifactError, Tree, content_id, decode


class Out(NamedTuple):
    source: str  # the *.dvc file or dvc.lock
    written: str  # the path as the file writes it
    target: str | None  # the repository path it names; None: out of the repository
    record: str  # what the file records for it (md5, size, nfiles, its stage), canonical


class Reach(NamedTuple):
    """An output whose record a change to a DVC file changed (added, altered or removed)."""

    source: str
    target: str
    via: str = ""  # the source is a symlink: the changed path it leads through
    unreadable: str = ""  # the source cannot be read: why (target is then its whole folder)

    def reaches(self, component_path: str) -> bool:
        """Whether the output is the component's folder, inside it, or a folder holding it
        (``dvc add models`` tracks every model below)."""
        return (
            not component_path
            or self.target == component_path
            or self.target.startswith(f"{component_path}/")
            or not self.target
            or component_path.startswith(f"{self.target}/")
        )

    def describe(self) -> str:
        if self.unreadable:
            where = f"under {self.target}" if self.target else "in the repository"
            return (
                f"weights: {self.source} changed and cannot be read ({self.unreadable}); "
                f"it may track new content for any component {where}"
            )
        if self.via:
            how = f"a symlink to {self.via}, which changed"
            return f"weights: {self.source} ({how}) tracks new content for {self.target}"
        return (
            f"weights: {self.source} (outside the component) tracks new content for {self.target}"
        )


def outs(tree: Tree, path: str) -> list[Out] | None:
    """The outputs ``path`` records in ``tree``, resolved; None when it cannot be read. Kept
    per tree: a digest asks of every DVC file, once for each component."""
    cache = _cache(tree)
    if path not in cache.outs:
        cache.outs[path] = _read_outs(tree, path)
    return cache.outs[path]


def tracking(tree: Tree, component_path: str, own: Iterable[str]) -> list[str]:
    """The DVC files of ``tree`` outside ``own`` (the component's files) with an output in the
    component: what its weights' identity is recorded in, wherever that is."""
    cache = _cache(tree)
    if cache.files is None:
        # A git tree noted them while it listed the markers; another tree lists them now.
        listed = getattr(tree, "dvc_files", None)
        cache.files = listed() if listed is not None else tree.find(GlobSet(DVC_PATTERNS))
        preload = getattr(tree, "preload", None)
        if preload is not None:
            preload(cache.files)
    mine = set(own)
    return sorted(f for f in cache.files if f not in mine and _tracks(tree, f, component_path))


def _tracks(tree: Tree, path: str, component_path: str) -> bool:
    found = outs(tree, path)
    if found is None:  # unreadable: it may track anything under its folder (fail closed)
        return Reach(path, _unknown(tree, path)[1]).reaches(component_path)
    return any(
        o.target is not None and Reach(path, o.target).reaches(component_path) for o in found
    )


def moved(
    base: Tree, head: Tree, changes: Sequence[Change], links: Mapping[str, str] | None = None
) -> tuple[list[Reach], list[Out]]:
    """The outputs whose record the change alters, by where they are; and the outputs of the
    changed DVC files (head side) that leave the repository. ``links``: the head's symlinks
    whose target the change touches, with that target (`changes.linked`): a DVC file that is
    a link is read through it, so an edit at its target is an edit of the DVC file."""
    reaches: set[Reach] = set()
    escaping: list[Out] = []
    for (before, after), (via, reread) in _changed_sources(changes, links or {}).items():
        was = outs(base, before) if before else []
        now = outs(head, after) if after else []
        source = after or before or ""
        # Unreadable on a side (over the size cap, not UTF-8, not YAML, a link out of the
        # repository): what it records there is unknown, so it may be anything under its
        # folder (at the root: every component). Fail closed unless nothing changed.
        unreadable = was is None or now is None
        if unreadable and (reread or via or _content(base, before) != _content(head, after)):
            sides = [
                _unknown(t, p) for t, p, o in ((head, after, now), (base, before, was)) if o is None
            ]
            why = next((w for w, _ in sides if w), "")
            where = min(folder for _, folder in sides)  # "" (anywhere) over its own folder
            reaches.add(Reach(source, where, via, why))
        old, new = _by_target(was or []), _by_target(now or [])
        for target in set(old) | set(new):  # one side unreadable: all the other had may be new
            if target is not None and (unreadable or old.get(target) != new.get(target)):
                reaches.add(Reach(source, target, via))
        escaping += [o for o in now or () if o.target is None]
    return sorted(reaches), sorted(set(escaping))


class _Why(NamedTuple):
    via: str  # the DVC file is a symlink whose target the change touches: that target
    reread: bool  # read again because the dvc.yaml beside it changed


def _changed_sources(
    changes: Sequence[Change], links: Mapping[str, str]
) -> dict[tuple[str | None, str | None], _Why]:
    """(base path, head path) of each DVC file the change touches, and why. A ``dvc.yaml``
    changed beside a ``dvc.lock`` moves the lock's outputs when it changes a stage's ``wdir``:
    the lock is read again on both sides. A DVC file or ``dvc.yaml`` that is a link whose
    target changed counts as changed."""
    found: dict[tuple[str | None, str | None], _Why] = {}
    for change in changes:
        # Both sides are among these two names: most of a large change is passed over here.
        if not change.path.endswith(_NAMES) and not (change.old_path or "").endswith(_NAMES):
            continue
        before = change.before if change.before and is_dvc_file(change.before) else None
        after = change.after if change.after and is_dvc_file(change.after) else None
        if before or after:
            found[(before, after)] = _Why("", False)
        for side in (change.before, change.after):
            if side and _is_dvc_yaml(side):
                lock = posixpath.join(posixpath.dirname(side), "dvc.lock")
                found.setdefault((lock, lock), _Why("", True))
    for link, target in sorted(links.items()):
        if is_dvc_file(link):
            found.setdefault((link, link), _Why(target, False))
        elif _is_dvc_yaml(link):
            lock = posixpath.join(posixpath.dirname(link), "dvc.lock")
            found.setdefault((lock, lock), _Why("", True))
    return found


# What every DVC file and dvc.yaml ends with (`is_dvc_file`, `_is_dvc_yaml`).
_NAMES = (".dvc", "dvc.lock", "dvc.yaml")


def _is_dvc_yaml(path: str) -> bool:
    return path == "dvc.yaml" or path.endswith("/dvc.yaml")


def _content(tree: Tree, path: str | None) -> str | None:
    return content_id(tree, path) if path and tree.exists(path) else None


def _unknown(tree: Tree, path: str | None) -> tuple[str, str]:
    """Why the outputs of ``path``, a DVC file that does not read, are unknown, and the folder
    they may be anywhere under: its own, or the whole repository ("") when it is a lock that
    reads but whose ``dvc.yaml`` does not (a stage's ``wdir`` may lead anywhere)."""
    folder = posixpath.dirname(path or "")
    why = _why_unreadable(tree, path)
    if why or not path or posixpath.basename(path) != "dvc.lock":
        return why, folder
    pipeline = posixpath.join(folder, "dvc.yaml")
    return f"{pipeline} cannot be read: {_why_unreadable(tree, pipeline)}", ""


def _why_unreadable(tree: Tree, path: str | None) -> str:
    """Why ``path`` does not read as a DVC file in ``tree`` ("" when it does, or is absent)."""
    if not path or not tree.exists(path):
        return ""
    try:
        yamlio.load(decode(path, tree.read_bytes(path)))
    except ArtifactError as exc:
        return exc.message
    except yamlio.YamlError as exc:
        return f"not YAML: {exc}"
    return ""


def _by_target(found: list[Out]) -> dict[str | None, list[str]]:
    out: dict[str | None, list[str]] = {}
    for o in found:
        out.setdefault(o.target, []).append(o.record)
    return {t: sorted(r) for t, r in out.items()}


def _read_outs(tree: Tree, path: str) -> list[Out] | None:
    try:
        data = yamlio.load(decode(path, tree.read_bytes(path))).data
    except (ArtifactError, yamlio.YamlError):
        return None if tree.exists(path) else []
    folder = posixpath.dirname(path)
    if posixpath.basename(path) != "dvc.lock":
        # An import's source (``deps``: URL, etag, rev_lock) is part of what each output is.
        deps = data.get("deps") if isinstance(data, dict) else None
        wdir = dvc.file_wdir(data)
        return [
            _out(tree, path, folder, p, e, deps, wdir) for p, e in dvc.tracked_outs(data).items()
        ]
    wdirs = _wdirs(tree, folder)
    if wdirs is None:
        return None  # the lock reads, but where its outputs are does not (fail closed)
    found = []
    for stage, entries in dvc.locked_stage_outs(data).items():
        wdir = wdirs.get(stage.partition("@")[0], ".")
        for written, entry in entries.items():
            found.append(_out(tree, path, folder, written, entry, stage, wdir))
    return found


def _out(
    tree: Tree, source: str, folder: str, written: str, entry: Any, also: Any, wdir: str | None
) -> Out:
    """One output, placed where DVC places it: ``wdir`` joined to the file's folder, the path
    joined to that (None: only DVC's templating knows where)."""
    resolve = getattr(tree, "resolve_path", None)
    named = dvc.in_wdir(wdir, written) if wdir is not None else written
    if wdir is None or "://" in written:
        target = None  # a remote URL (an external output) or a folder unknown
    elif resolve is not None:
        target = resolve(folder, named)
    else:  # a tree without symlinks of its own to follow
        joined = posixpath.normpath(posixpath.join(folder, named))
        target = None if named.startswith("/") or joined.split("/")[0] == ".." else joined
    if target == ".":
        target = ""
    # Where the file writes it is not what it is: `path` is left out, the target says that.
    kept = {k: v for k, v in entry.items() if k != "path"} if isinstance(entry, dict) else entry
    record = json.dumps({"also": also, "entry": kept}, sort_keys=True, default=str)
    return Out(source, named, target, record)


def _wdirs(tree: Tree, folder: str) -> dict[str, str | None] | None:
    """Each stage's ``wdir`` as the ``dvc.yaml`` beside a lock declares it (default ``.``);
    None when that ``dvc.yaml`` cannot be read: then no output of the lock has a known place."""
    path = posixpath.join(folder, "dvc.yaml")
    if not tree.exists(path):
        return {}
    try:
        data = yamlio.load(decode(path, tree.read_bytes(path))).data
    except (ArtifactError, yamlio.YamlError):
        return None
    return dvc.stage_wdirs(data)


class _Cache:
    def __init__(self) -> None:
        self.files: list[str] | None = None
        self.outs: dict[str, list[Out] | None] = {}


_CACHES: weakref.WeakKeyDictionary[Tree, _Cache] = weakref.WeakKeyDictionary()


def _cache(tree: Tree) -> _Cache:
    if tree not in _CACHES:
        _CACHES[tree] = _Cache()
    return _CACHES[tree]

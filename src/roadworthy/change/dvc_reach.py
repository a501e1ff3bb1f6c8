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
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from roadworthy.formats import dvc, yamlio
from roadworthy.formats.globs import GlobSet
from roadworthy.workspace.changes import Change
from roadworthy.workspace.revtree import DVC_PATTERNS, is_dvc_file
from roadworthy.workspace.worktree import ArtifactError, Tree, decode


class Out(NamedTuple):
    source: str  # the *.dvc file or dvc.lock
    written: str  # the path as the file writes it
    target: str | None  # the repository path it names; None: out of the repository
    record: str  # what the file records for it (md5, size, nfiles, its stage), canonical


class Reach(NamedTuple):
    """An output whose record a change to a DVC file changed (added, altered or removed)."""

    source: str
    target: str

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
    return sorted(
        f
        for f in cache.files
        if f not in mine
        and any(
            o.target is not None and Reach(f, o.target).reaches(component_path)
            for o in outs(tree, f) or ()
        )
    )


def moved(base: Tree, head: Tree, changes: Sequence[Change]) -> tuple[list[Reach], list[Out]]:
    """The outputs whose record the change alters, by where they are; and the outputs of the
    changed DVC files (head side) that leave the repository."""
    sources = _changed_sources(changes)
    reaches: set[Reach] = set()
    escaping: list[Out] = []
    for before, after in sources:
        was = outs(base, before) if before else []
        now = outs(head, after) if after else []
        if was is None and now is None:
            continue
        old, new = _by_target(was or []), _by_target(now or [])
        unknown = was is None or now is None  # one side unreadable: all it had may be new
        for target in set(old) | set(new):
            if target is not None and (unknown or old.get(target) != new.get(target)):
                reaches.add(Reach(after or before or "", target))
        escaping += [o for o in now or () if o.target is None]
    return sorted(reaches), sorted(set(escaping))


def _changed_sources(changes: Sequence[Change]) -> list[tuple[str | None, str | None]]:
    """(base path, head path) of each DVC file the change touches. A ``dvc.yaml`` changed beside
    a ``dvc.lock`` moves the lock's outputs when it changes a stage's ``wdir``: the lock is
    read again on both sides."""
    found: dict[tuple[str | None, str | None], None] = {}
    for change in changes:
        before = change.before if change.before and is_dvc_file(change.before) else None
        after = change.after if change.after and is_dvc_file(change.after) else None
        if before or after:
            found[(before, after)] = None
        for side in (change.before, change.after):
            if side and (side == "dvc.yaml" or side.endswith("/dvc.yaml")):
                lock = posixpath.join(posixpath.dirname(side), "dvc.lock")
                found[(lock, lock)] = None
    return list(found)


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
        return [_out(tree, path, folder, p, e, deps) for p, e in dvc.tracked_outs(data).items()]
    wdirs = _wdirs(tree, folder)
    found = []
    for stage, entries in dvc.locked_stage_outs(data).items():
        wdir = wdirs.get(stage.partition("@")[0], ".")
        for written, entry in entries.items():
            # The wdir is walked as part of the path: `..` after a linked folder is the link's.
            named = written if wdir in (".", "") or written.startswith("/") else f"{wdir}/{written}"
            where = None if "${" in wdir else folder  # only DVC's templating knows where
            found.append(_out(tree, path, where, named, entry, stage))
    return found


def _out(tree: Tree, source: str, folder: str | None, written: str, entry: Any, also: Any) -> Out:
    resolve = getattr(tree, "resolve_path", None)
    if folder is None or "://" in written:
        target = None  # a remote URL (an external output) or a folder unknown
    elif resolve is not None:
        target = resolve(folder, written)
    else:  # a tree without symlinks of its own to follow
        joined = posixpath.normpath(posixpath.join(folder, written))
        target = None if written.startswith("/") or joined.split("/")[0] == ".." else joined
    if target == ".":
        target = ""
    # Where the file writes it is not what it is: `path` is left out, the target says that.
    kept = {k: v for k, v in entry.items() if k != "path"} if isinstance(entry, dict) else entry
    record = json.dumps({"also": also, "entry": kept}, sort_keys=True, default=str)
    return Out(source, written, target, record)


def _wdirs(tree: Tree, folder: str) -> dict[str, str]:
    """Each stage's ``wdir`` as the ``dvc.yaml`` beside a lock declares it (default ``.``)."""
    path = posixpath.join(folder, "dvc.yaml")
    try:
        data = yamlio.load(decode(path, tree.read_bytes(path))).data if tree.exists(path) else {}
    except (ArtifactError, yamlio.YamlError):
        return {}
    stages = data.get("stages") if isinstance(data, dict) else None
    out: dict[str, str] = {}
    for name, stage in stages.items() if isinstance(stages, dict) else ():
        body = stage.get("do") if isinstance(stage, dict) else None
        declared = body if isinstance(body, dict) else stage if isinstance(stage, dict) else {}
        wdir = declared.get("wdir", ".")
        out[str(name)] = wdir if isinstance(wdir, str) else "${?}"  # not a path: unknown
    return out


class _Cache:
    def __init__(self) -> None:
        self.files: list[str] | None = None
        self.outs: dict[str, list[Out] | None] = {}


_CACHES: weakref.WeakKeyDictionary[Tree, _Cache] = weakref.WeakKeyDictionary()


def _cache(tree: Tree) -> _Cache:
    if tree not in _CACHES:
        _CACHES[tree] = _Cache()
    return _CACHES[tree]

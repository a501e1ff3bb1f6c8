"""What diff mode knows of a whole tree, kept per tree id in ``.git/roadworthy/``.

Diff mode needs two repository-wide facts about the head: its marker files (a component's name
is its folder's name unless another component shares it) and its symlinks (a link anywhere may
serve what the change touched). Listing a 500k-file tree for them costs more than the rest of a
typical change. A tree never changes under its id, so the answer for one tree is kept, and the
head's is derived from the base's and the diff (`treeindex`).

A kept entry decides which components a change touches, so it is only believed when it is
plainly this user's own: the folder and the file are ours, not links, not writable by others,
and the file is well formed and names the tree and the marker patterns it was asked for.
Anything else is ignored and written anew; a file is never written through a link (a new file
is created beside it and renamed over it). Without a usable folder nothing is kept.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import stat
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

FORMAT = 2  # 2: DVC files
FOLDER = "roadworthy"
MAX_SIZE = 64 << 20  # far above any real repository's entry; a bigger file is not ours
KEEP = 32  # entries kept; the oldest go first
_OBJECT_ID = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")


class Entry(NamedTuple):
    """One tree's facts: every path the marker patterns match, those `markers.qualify` drops
    (reading files under ``max_file_size``), every symlink with its blob id, and every DVC file
    (`GitTree.dvc_files`)."""

    markers: tuple[str, ...]
    unqualified: frozenset[str]
    max_file_size: int
    links: tuple[tuple[str, str], ...]
    dvc: tuple[str, ...] = ()

    def qualified(self) -> list[str]:
        return [m for m in self.markers if m not in self.unqualified]


class TreeCache:
    """Entries under ``folder`` (None: nothing is kept, every lookup misses)."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder

    @classmethod
    def at(cls, git_dir: Path) -> TreeCache:
        """The cache in a repository's (common) git folder, if it is safe to use."""
        return cls(_own_folder(git_dir / FOLDER))

    def load(self, tree: str, patterns: Sequence[str]) -> Entry | None:
        if self.folder is None:
            return None
        raw = _read_own(self.folder / _file_name(tree, patterns))
        if raw is None:
            return None
        try:
            return _parse(json.loads(raw), tree, patterns)
        except (ValueError, TypeError, KeyError, AttributeError):
            return None  # corrupt, or not ours: rebuilt and written anew

    def store(self, tree: str, patterns: Sequence[str], entry: Entry) -> None:
        if self.folder is None:
            return
        document = {
            "format": FORMAT,
            "tree": tree,
            "patterns": list(patterns),
            "max_file_size": entry.max_file_size,
            "markers": list(entry.markers),
            "unqualified": sorted(entry.unqualified),
            "links": [list(link) for link in entry.links],
            "dvc": list(entry.dvc),
        }
        data = json.dumps(document, separators=(",", ":")).encode("ascii")
        try:
            # mkstemp creates a new file (O_EXCL: never through a planted link); the rename
            # replaces whatever is at the name, a link included, without following it.
            fd, name = tempfile.mkstemp(dir=self.folder, prefix=".new-")
        except OSError:
            return
        temporary = Path(name)
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            temporary.replace(self.folder / _file_name(tree, patterns))
        except OSError:
            with contextlib.suppress(OSError):
                temporary.unlink(missing_ok=True)
            return
        self._prune()

    def _prune(self) -> None:
        assert self.folder is not None
        try:
            entries = [e for e in os.scandir(self.folder) if e.name.endswith(".json")]
            if len(entries) <= KEEP:
                return
            entries.sort(key=lambda e: e.stat(follow_symlinks=False).st_mtime)
            for old in entries[: len(entries) - KEEP]:
                Path(old.path).unlink()
        except OSError:
            return


def _file_name(tree: str, patterns: Sequence[str]) -> str:
    key = "\0".join([str(FORMAT), tree, *patterns])
    return hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()[:40] + ".json"


def _own_folder(folder: Path) -> Path | None:
    """``folder``, made if missing, when only this user can write it; else None."""
    uid = getattr(os, "getuid", None)
    if uid is None or not hasattr(os, "O_NOFOLLOW"):
        return None  # no owner to compare, or no way to refuse a link: keep nothing
    with contextlib.suppress(FileExistsError, OSError):
        folder.mkdir(0o700)
    try:
        found = os.lstat(folder)
    except OSError:
        return None
    if not stat.S_ISDIR(found.st_mode) or found.st_uid != uid() or found.st_mode & 0o022:
        return None
    return folder


def _read_own(path: Path) -> bytes | None:
    """The bytes of a regular file of ours at ``path`` (never through a link), else None."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as f:
        found = os.fstat(f.fileno())
        ours = found.st_uid == os.getuid() and not found.st_mode & 0o022
        if not stat.S_ISREG(found.st_mode) or not ours or found.st_size > MAX_SIZE:
            return None
        return f.read(MAX_SIZE + 1)


def _parse(document: Any, tree: str, patterns: Sequence[str]) -> Entry | None:
    """The entry a document holds, when it is exactly the shape `store` writes for this tree
    and these patterns."""
    if (
        document["format"] != FORMAT
        or document["tree"] != tree
        or document["patterns"] != list(patterns)
    ):
        return None
    size = document["max_file_size"]
    markers, unqualified, links = document["markers"], document["unqualified"], document["links"]
    dvc = document["dvc"]
    if not isinstance(size, int) or isinstance(size, bool) or size < 0:
        return None
    if not _paths(markers) or not _paths(unqualified) or not set(unqualified) <= set(markers):
        return None
    if not _paths(dvc):
        return None
    if not isinstance(links, list) or not all(
        isinstance(link, list)
        and len(link) == 2
        and isinstance(link[0], str)
        and link[0]
        and isinstance(link[1], str)
        and _OBJECT_ID.fullmatch(link[1])
        for link in links
    ):
        return None
    pairs = tuple((p, b) for p, b in links)
    return Entry(tuple(markers), frozenset(unqualified), size, pairs, tuple(dvc))


def _paths(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(p, str) and p for p in value)

"""What diff mode knows of a whole tree, kept per tree id in ``.git/roadworthy/``.

Diff mode needs two repository-wide facts about the head: its marker files (a component's name
is its folder's name unless another component shares it) and its symlinks (a link anywhere may
serve what the change touched). Listing a 500k-file tree for them costs more than the rest of a
typical change. A tree never changes under its id, so the answer for one tree is kept, and the
head's is derived from the base's and the diff (`treeindex`). What is made from an entry alone
is kept beside it the same way, as a signed document under the digest of its inputs
(discovery's layout of the head's markers: `discovery.kept_layout`).

A kept entry decides which components a change touches, so it is only believed when it is
plainly this user's own: the folder and the file are ours, not links, not writable by others,
the file carries an HMAC under the user's key (`cachekey`, kept outside every repository) over
its bytes and the tree id it was asked for, and it is well formed and names the tree and the
marker patterns. A ``.git`` that arrives with the repository can hold files of ours, but not
one signed with our key. Anything else is ignored and written anew. The folder is opened once
(never through a link) and every read, write, rename and removal is relative to that handle,
so swapping the folder for a link after the check redirects nothing; a file is never written
through a link (a new file is created beside it and renamed over it). Without a usable folder
or key nothing is kept.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import re
import stat
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from roadworthy import lazyre
from roadworthy.records import NamedTuple
from roadworthy.workspace import cachekey

FORMAT = 4  # 2: DVC files; 3: and DVC configuration, at any depth; 4: and attestation files
FOLDER = "roadworthy"
MAX_SIZE = 64 << 20  # far above any real repository's entry; a bigger file is not ours
KEEP = 32  # entries kept; the oldest go first
_OBJECT_ID = lazyre.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")
_DIGEST = lazyre.compile(r"[0-9a-f]{64}")
# What `store` writes: the entry's JSON object, with its MAC as the last member.
_SIGNED = lazyre.compile(rb'(\{.*),"mac":"([0-9a-f]{64})"\}', re.DOTALL)


class Entry(NamedTuple):
    """One tree's facts: every path the marker patterns match, those `markers.qualify` drops
    (reading files under ``max_file_size``), every symlink with its blob id, and every file a
    listing notes: DVC files, DVC configuration, attestation files (`GitTree.noted`)."""

    markers: tuple[str, ...]
    unqualified: frozenset[str]
    max_file_size: int
    links: tuple[tuple[str, str], ...]
    noted: tuple[str, ...] = ()

    def qualified(self) -> list[str]:
        return [m for m in self.markers if m not in self.unqualified]


class TreeCache:
    """Entries in a folder opened as ``fd`` (None: nothing is kept, every lookup misses),
    authenticated with ``key``. ``folder`` is its path, for messages and tests."""

    def __init__(self, folder: Path | None, fd: int | None = None, key: bytes = b"") -> None:
        usable = folder is not None and fd is not None and bool(key)
        self.folder = folder if usable else None
        self._fd = fd if usable else None
        self._key = key
        if fd is not None and not usable:
            os.close(fd)

    @classmethod
    def at(cls, git_dir: Path) -> TreeCache:
        """The cache in a repository's (common) git folder, if it is safe to use."""
        fd = own_folder(git_dir / FOLDER)
        if fd is None:
            return cls(None)
        key = cachekey.secret()
        if key is None:
            os.close(fd)
            return cls(None)
        return cls(git_dir / FOLDER, fd, key)

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
        self._fd = None
        self.folder = None

    def load(self, tree: str, patterns: Sequence[str]) -> Entry | None:
        if self._fd is None:
            return None
        raw = read_own(self._fd, _file_name(tree, patterns))
        body = None if raw is None else self._verified(tree, raw)
        if body is None:
            return None  # not ours, or not signed with our key: rebuilt and written anew
        try:
            return _parse(json.loads(body), tree, patterns)
        except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
            return None  # corrupt: rebuilt and written anew

    def store(self, tree: str, patterns: Sequence[str], entry: Entry) -> None:
        if self._fd is None:
            return
        document = {
            "format": FORMAT,
            "tree": tree,
            "patterns": list(patterns),
            "max_file_size": entry.max_file_size,
            "markers": list(entry.markers),
            "unqualified": sorted(entry.unqualified),
            "links": [list(link) for link in entry.links],
            "noted": list(entry.noted),
        }
        body = json.dumps(document, separators=(",", ":")).encode("ascii")
        # The MAC goes inside the object as its last member: the file stays one JSON document.
        data = body[:-1] + b',"mac":"' + self._mac(tree, body).encode("ascii") + b'"}'
        if replace(self._fd, _file_name(tree, patterns), data):
            prune(self._fd, ".json", KEEP)

    def load_document(self, kind: str, key: str) -> Any:
        """The JSON document kept as ``kind`` under ``key`` (a SHA-256 digest of what it was
        made from), when it is ours; else None. Its shape is the caller's to check."""
        if self._fd is None or not _DIGEST.fullmatch(key):
            return None
        raw = read_own(self._fd, _document_name(kind, key))
        body = None if raw is None else self._verified(key, raw, kind)
        if body is None:
            return None
        try:
            document = json.loads(body)
        except (ValueError, RecursionError):  # (nested past the parser's depth)
            return None
        if not isinstance(document, dict) or document.get("key") != key:
            return None
        return document

    def store_document(self, kind: str, key: str, document: dict[str, Any]) -> None:
        """Keeps ``document`` (JSON, ASCII) as ``kind`` under ``key``, signed like an entry."""
        if self._fd is None or not _DIGEST.fullmatch(key):
            return
        body = json.dumps({"key": key, **document}, separators=(",", ":")).encode("ascii")
        data = body[:-1] + b',"mac":"' + self._mac(key, body, kind).encode("ascii") + b'"}'
        if replace(self._fd, _document_name(kind, key), data):
            prune(self._fd, f".{kind}", KEEP)

    def _mac(self, tree: str, body: bytes, kind: str = "") -> str:
        # A document's kind is signed with it: one kind's bytes never pass for another's.
        message = (f"{kind}\0" if kind else "").encode("ascii") + tree.encode("ascii")
        return hmac.new(self._key, message + b"\0" + body, hashlib.sha256).hexdigest()

    def _verified(self, tree: str, raw: bytes, kind: str = "") -> bytes | None:
        """The entry's bytes without its MAC, when the MAC is ours for this tree (or key)."""
        found = _SIGNED.fullmatch(raw)
        if found is None or not _OBJECT_ID.fullmatch(tree):
            return None
        body = found[1] + b"}"
        if not hmac.compare_digest(found[2].decode("ascii"), self._mac(tree, body, kind)):
            return None
        return body


def _document_name(kind: str, key: str) -> str:
    return f"{key[:40]}.{kind}"


def _file_name(tree: str, patterns: Sequence[str]) -> str:
    key = "\0".join([str(FORMAT), tree, *patterns])
    return hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()[:40] + ".json"


# --- a folder of our own files: shared with every other kept entry (`ownerscache`) ---------


def own_folder(folder: Path) -> int | None:
    """``folder`` opened (made if missing) when it is ours and only we can write it; else
    None. The handle is what every later access goes through."""
    uid = getattr(os, "getuid", None)
    needed = {os.open, os.rename, os.unlink, os.stat}
    if (
        uid is None
        or not hasattr(os, "O_NOFOLLOW")
        or not hasattr(os, "O_DIRECTORY")
        or needed - os.supports_dir_fd
        or os.scandir not in os.supports_fd
    ):
        return None  # no owner to compare, or no way to refuse a link: keep nothing
    with contextlib.suppress(FileExistsError, OSError):
        folder.mkdir(0o700)
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except OSError:
        return None  # missing, not a folder, or a link (ELOOP / ENOTDIR)
    found = os.fstat(fd)
    if not stat.S_ISDIR(found.st_mode) or found.st_uid != uid() or found.st_mode & 0o022:
        os.close(fd)
        return None
    return fd


def read_own(folder: int, name: str) -> bytes | None:
    """The bytes of a regular file of ours named ``name`` in ``folder`` (never through a
    link), else None."""
    try:
        # O_NONBLOCK: a FIFO planted under a predictable name would block the open forever;
        # it opens at once, and fstat refuses it below. A regular file reads as ever.
        fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=folder)
    except OSError:
        return None
    # Judged on the descriptor, before it is made a file object: a folder planted under the
    # name opens too, and only a file object refuses it (IsADirectoryError, a crash).
    found = os.fstat(fd)
    ours = found.st_uid == os.getuid() and not found.st_mode & 0o022
    if not stat.S_ISREG(found.st_mode) or not ours or found.st_size > MAX_SIZE:
        os.close(fd)
        return None
    with os.fdopen(fd, "rb") as f:
        # What fstat says, and a byte more should it have grown: read(n) makes an n-byte
        # buffer first, and MAX_SIZE + 1 was 64 MiB of heap for every entry read.
        data = f.read(found.st_size + 1)
        return data if len(data) <= MAX_SIZE else None


def replace(folder: int, name: str, data: bytes, *more: bytes) -> bool:
    """Puts ``data`` (and ``more`` after it: a large body is not copied to join it) at
    ``name`` in ``folder``, whole or not at all; False if it could not."""
    temporary = f".new-{os.urandom(8).hex()}"  # secrets' own source, without its imports
    try:
        # A new name, O_EXCL: never written through a planted link; the rename replaces
        # whatever is at the name, a link included, without following it.
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW
        fd = os.open(temporary, flags, 0o600, dir_fd=folder)
    except OSError:
        return False
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            for part in more:
                out.write(part)
        os.rename(temporary, name, src_dir_fd=folder, dst_dir_fd=folder)  # POSIX: replaces
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary, dir_fd=folder)
        return False
    return True


def prune(folder: int, suffix: str, keep: int) -> None:
    """Removes the oldest files named ``*suffix`` beyond the newest ``keep``."""
    try:
        with os.scandir(folder) as listing:
            entries = [e for e in listing if e.name.endswith(suffix)]
        if len(entries) <= keep:
            return
        entries.sort(key=lambda e: e.stat(follow_symlinks=False).st_mtime)
    except OSError:
        return
    for old in entries[: len(entries) - keep]:
        # One that cannot go (a folder planted under an entry's name) stops no other.
        with contextlib.suppress(OSError):
            os.unlink(old.name, dir_fd=folder)


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
    noted = document["noted"]
    if not isinstance(size, int) or isinstance(size, bool) or size < 0:
        return None
    if not _paths(markers) or not _paths(unqualified) or not set(unqualified) <= set(markers):
        return None
    if not _paths(noted):
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
    return Entry(tuple(markers), frozenset(unqualified), size, pairs, tuple(noted))


def _paths(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(p, str) and p for p in value)

"""Parsed YAML documents (`formats.yamlio`) kept between diff-mode runs in the user's cache.

A pre-commit run reads the same policy and, for the components a commit touches, mostly the
same cards, contracts and ledgers every time; parsing them, and importing PyYAML to do it, is
a tenth of such a run. One file, ``$XDG_CACHE_HOME/roadworthy/parsed/documents`` (else under
``~/.cache``), holds the newest `KEEP` documents read, each under the digest of its text, the
parse's options and the parsing code (`yamlio._key`). It is read on the first lookup of a run
and written once, at its end, when the run parsed anything new.

A document decides what a card or contract says, so the file is believed under the rules of
every kept file of roadworthy (`treecache`, docs/security.md): the folder and the file are the
user's own, not links, writable by nobody else, used through one folder handle and replaced,
never written through; the file carries an HMAC-SHA256 under the user's key (`cachekey`) over
its body and the versions that wrote it, checked before the body (`marshal` of plain data,
never pickle) is decoded. Anything else is ignored and parsed afresh.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
from pathlib import Path
from typing import Any

from roadworthy.formats.yamlio import MAX_DEPTH, Parsed, YamlError
from roadworthy.workspace import treecache
from roadworthy.workspace.keptfile import KeptEntries, user_folder

FOLDER = "parsed"
NAME = "documents"
KEEP = 1024  # documents kept: a policy and the artifacts of the components of recent changes
# A full check keeps every document of its repository, in a file of that repository's own
# (the hook's small file would be rewritten whole by each): at 10,000 components, 20,000
# documents in 14 MB. So many stay per repository, and the files of so many repositories.
KEEP_REPOSITORY = 65_536
REPOSITORIES = 16
# Bytes of documents a file holds (and a run holds to write it): the hook's file, and a
# repository's, well below what a kept file may be (treecache.MAX_SIZE, 64 MiB). The 500k
# benchmark's 20,000 documents are 14 MB.
BUDGET = 8 << 20
BUDGET_REPOSITORY = 48 << 20
_REPOSITORY_SUFFIX = ".documents"
# How the bytes read: this Python's marshal format (the parse's own code is in each key).
_MAKER = f"parsed\0{marshal.version}\0{sys.version_info[0]}.{sys.version_info[1]}\0".encode()
_DATA, _ERROR = 0, 1


class ParseCache(KeptEntries):
    """The documents in the user's ``roadworthy/parsed/`` folder."""

    FOLDER, NAME, KEEP = FOLDER, NAME, KEEP
    BUDGET = BUDGET  # bytes of documents kept, and held for keeping in a run
    _handed = 0  # how many of _new a worker has handed over (take_new)
    _added = 0  # bytes of the documents this run added

    def get(self, key: str, *, anchored: bool = True) -> Parsed | None:
        # Each document is kept as its own marshalled bytes and read anew on every lookup: a
        # caller that changes the data it was given changes nothing kept or given later.
        found = self.get_other(key)
        if not isinstance(found, tuple) or not found:
            return None
        if (
            found[0] == _DATA
            and len(found) == 3
            and _is_positions(found[2])
            and (_is_data(found[1], 0, set()) if anchored else _is_tree(found[1]))
        ):
            return found[1], found[2]
        if (
            found[0] == _ERROR
            and len(found) == 4
            and type(found[1]) is int
            and type(found[2]) is int
            and isinstance(found[3], str)
        ):
            return YamlError(found[1], found[2], found[3])
        return None

    def put(self, key: str, parsed: Parsed) -> None:
        if isinstance(parsed, YamlError):
            entry: tuple[Any, ...] = (_ERROR, parsed.line, parsed.col, parsed.message)
        else:
            entry = (_DATA, parsed[0], parsed[1])
        self.put_other(key, entry)

    def get_other(self, key: str) -> Any:
        """What is kept under ``key`` by `put_other`, unmarshalled (its shape is the caller's
        to check: `markdown_kept` keeps Markdown documents here); None when nothing is."""
        kept = self.entry(key)
        try:
            return marshal.loads(kept) if isinstance(kept, bytes) else None
        except (ValueError, EOFError, TypeError):
            return None

    def put_other(self, key: str, entry: tuple[Any, ...]) -> None:
        """Keep ``entry`` (plain data marshal writes) under ``key``, within the budget."""
        try:
            body = marshal.dumps(entry)
        except ValueError:  # (data marshal cannot write: not kept)
            return
        if self._added + len(body) <= self.BUDGET:  # beyond it, parsed and not kept
            self._added += len(body)
            self.add(key, body)

    def trimmed(self, entries: dict[str, Any]) -> dict[str, Any]:
        # The newest that fit the budget: what is written is read back whole next time, and a
        # file over treecache.MAX_SIZE would never be.
        entries = super().trimmed(entries)
        total, cut = 0, len(entries)
        for body in reversed(entries.values()):
            total += len(body) if isinstance(body, bytes) else 0
            if total > self.BUDGET:
                break
            cut -= 1
        return dict(list(entries.items())[cut:]) if cut else entries

    @classmethod
    def for_repository(cls, root: Path) -> ParseCache | None:
        """The file a full check of the repository at ``root`` keeps its documents in (None:
        keep nothing); the files of all but the `REPOSITORIES` newest are removed."""
        found = user_folder(FOLDER)
        if found is None:
            return None
        store = cls(*found)
        where = os.path.realpath(root).encode("utf-8", "surrogateescape")
        store.NAME = f"repository-{hashlib.sha256(where).hexdigest()[:32]}{_REPOSITORY_SUFFIX}"
        store.KEEP, store.BUDGET = KEEP_REPOSITORY, BUDGET_REPOSITORY
        return store

    def close(self) -> None:
        wrote = bool(self._new) and self.NAME.endswith(_REPOSITORY_SUFFIX)
        fd = self._fd
        if wrote and fd is not None:
            fd = os.dup(fd)  # close() lets go of the folder; pruning needs it after the write
        try:
            super().close()
            if wrote and fd is not None:
                treecache.prune(fd, _REPOSITORY_SUFFIX, REPOSITORIES)
        finally:
            if wrote and fd is not None:
                os.close(fd)

    def take_new(self) -> dict[str, bytes]:
        """The documents this process parsed since it was last asked: a forked worker hands
        them to the process that writes the file."""
        fresh = dict(list(self._new.items())[self._handed :])
        self._handed = len(self._new)
        return fresh

    def adopt(self, documents: dict[str, bytes]) -> None:
        """Keep what a worker parsed (`take_new`), as if this process had."""
        for key, body in documents.items():
            if not (isinstance(key, str) and isinstance(body, bytes)) or key in self._new:
                continue
            if self._added + len(body) > self.BUDGET:
                return  # each worker kept within the budget; all of them together, too
            self._added += len(body)
            self._new[key] = body

    def maker(self) -> bytes:
        return _MAKER

    def encode(self, entries: dict[str, Any]) -> bytes:
        return marshal.dumps(entries)  # str → bytes: nothing marshal cannot write

    def decode(self, body: bytes) -> Any:
        try:
            return marshal.loads(body)
        except (ValueError, EOFError, TypeError):
            return None


# What a parse gives, and so all a kept document may hold: marshal also writes tuples, bytes,
# sets and a list that contains itself, which no reader of a document expects.
_SCALARS = (str, int, float, bool, type(None))


def _is_data(value: Any, depth: int, seen: set[int]) -> bool:
    """Whether ``value`` is JSON data no deeper than a parse allows; ``seen``: the collections
    found so far (an alias shares one, and is looked at once)."""
    kind = type(value)
    if kind in _SCALARS:
        return True
    if kind is not dict and kind is not list:
        return False
    if id(value) in seen:
        return True
    if depth > MAX_DEPTH:  # deeper than a parse builds, or a collection inside itself
        return False
    if kind is dict:
        if not all(type(k) is str for k in value):
            return False
        items = value.values()
    else:
        items = value
    if not all(_is_data(item, depth + 1, seen) for item in items):
        return False
    seen.add(id(value))
    return True


_SCALAR_TYPES = frozenset(_SCALARS)


def _is_tree(value: Any) -> bool:
    """`_is_data` for what a text without an anchor parses to, in half the time (most of a
    kept document's lookup): no list or mapping may be reached twice, so an alias, or one
    inside itself, is refused at once rather than followed."""
    kind = type(value)
    if kind is not dict and kind is not list:
        return kind in _SCALAR_TYPES
    seen = {id(value)}
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        node, depth = stack.pop()
        if type(node) is dict:
            for key in node:
                if type(key) is not str:
                    return False
            items = node.values()
        else:
            items = node
        for item in items:
            kind = type(item)
            if kind is dict or kind is list:
                if depth >= MAX_DEPTH or id(item) in seen:
                    return False
                seen.add(id(item))
                stack.append((item, depth + 1))
            elif kind not in _SCALAR_TYPES:
                return False
    return True


def _is_positions(value: Any) -> bool:
    return type(value) is dict and all(
        type(path) is tuple
        and all(type(step) is str or type(step) is int for step in path)
        and type(where) is tuple
        and len(where) == 2
        and type(where[0]) is int
        and type(where[1]) is int
        for path, where in value.items()
    )

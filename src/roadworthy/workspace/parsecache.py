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
import hmac
import marshal
import os
import sys
from pathlib import Path
from typing import Any

from roadworthy.formats.yamlio import Parsed, YamlError
from roadworthy.workspace import cachekey, treecache

FOLDER = "parsed"
NAME = "documents"
KEEP = 1024  # documents kept: a policy and the artifacts of the components of recent changes
_MAC_SIZE = 32
# How the bytes read: this Python's marshal format (the parse's own code is in each key).
_MAKER = f"parsed\0{marshal.version}\0{sys.version_info[0]}.{sys.version_info[1]}\0".encode()
_DATA, _ERROR = 0, 1


class ParseCache:
    """The documents in a folder opened as ``fd``, authenticated with ``key``."""

    def __init__(self, folder: Path, fd: int, key: bytes) -> None:
        self.folder = folder  # for tests and messages
        self._fd: int | None = fd
        self._key = key
        self._kept: dict[str, Any] | None = None  # read on the first lookup
        self._new: dict[str, tuple[Any, ...]] = {}

    @classmethod
    def open(cls) -> ParseCache | None:
        """The user's cache, if it is safe to use; None keeps nothing."""
        home = cachekey.cache_home()
        key = cachekey.secret() if home is not None else None
        if home is None or key is None:
            return None
        folder = home / "roadworthy" / FOLDER
        fd = treecache.own_folder(folder)
        return None if fd is None else cls(folder, fd, key)

    def get(self, key: str) -> Parsed | None:
        found = self._new.get(key) or self._read().get(key)
        if not isinstance(found, tuple) or not found:
            return None
        if found[0] == _DATA and len(found) == 3 and isinstance(found[2], dict):
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
            self._new[key] = (_ERROR, parsed.line, parsed.col, parsed.message)
        else:
            self._new[key] = (_DATA, parsed[0], parsed[1])

    def close(self) -> None:
        """Write what this run parsed (with the newest of what was kept), then let go."""
        if self._fd is None:
            return
        try:
            if self._new:
                # Oldest first, this run's last: the newest KEEP stay.
                entries = {k: v for k, v in self._read().items() if k not in self._new}
                entries.update(self._new)
                if len(entries) > KEEP:
                    entries = dict(list(entries.items())[-KEEP:])
                try:
                    body = marshal.dumps(entries)
                except ValueError:  # (data marshal cannot write: nothing is kept)
                    return
                treecache.replace(self._fd, NAME, self._mac(body) + body)
        finally:
            os.close(self._fd)
            self._fd = None

    def _read(self) -> dict[str, Any]:
        if self._kept is None:
            self._kept = {}
            raw = treecache.read_own(self._fd, NAME) if self._fd is not None else None
            if raw is not None and len(raw) > _MAC_SIZE:
                mac, body = raw[:_MAC_SIZE], raw[_MAC_SIZE:]
                if hmac.compare_digest(mac, self._mac(body)):
                    try:
                        found = marshal.loads(body)
                    except (ValueError, EOFError, TypeError):
                        found = None
                    if isinstance(found, dict):
                        self._kept = found
        return self._kept

    def _mac(self, body: bytes) -> bytes:
        return hmac.new(self._key, _MAKER + body, hashlib.sha256).digest()

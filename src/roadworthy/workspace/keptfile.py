"""Results kept in the user's cache folder between runs, under the rules of every kept file of
roadworthy (`treecache`, docs/security.md): the folder and the file are the user's own, not links
and writable by nobody else; the folder is used through one handle and a file is replaced,
never written through; a file carries an HMAC-SHA256 under the user's key (`cachekey`), checked
before its body is decoded. Anything else is ignored, and what it held is worked out afresh.

`user_folder` opens a folder of the user's cache; `KeptEntries` is one file of entries in it,
read whole on the first lookup and written whole at the end of the run that added to it.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from pathlib import Path
from typing import Any

from roadworthy.workspace import cachekey, treecache

_MAC_SIZE = 32


def user_folder(name: str) -> tuple[Path, int, bytes] | None:
    """``roadworthy/<name>`` in the user's cache folder, opened (made if missing), with the
    user's key; None when either is unsafe to use (then nothing is kept)."""
    home = cachekey.cache_home()
    key = cachekey.secret() if home is not None else None
    if home is None or key is None:
        return None
    folder = home / "roadworthy" / name
    fd = treecache.own_folder(folder)
    return None if fd is None else (folder, fd, key)


class KeptEntries:
    """A file of entries (key → value) in a folder opened as ``fd``, signed with ``key``; the
    newest `keep` stay. A subclass says how its body is written (`encode`, `decode`) and what
    it signs with the body (`maker`: the form and the versions that wrote it)."""

    FOLDER = ""
    NAME = ""
    KEEP = 0

    def __init__(self, folder: Path, fd: int, key: bytes) -> None:
        self.folder = folder  # for tests and messages
        self._fd: int | None = fd
        self._key = key
        self._kept: dict[str, Any] | None = None  # read on the first lookup
        self._new: dict[str, Any] = {}

    @classmethod
    def open(cls) -> Any:
        """The user's file, if it is safe to use; None keeps nothing."""
        found = user_folder(cls.FOLDER)
        return None if found is None else cls(*found)

    def maker(self) -> bytes:
        raise NotImplementedError

    def encode(self, entries: dict[str, Any]) -> bytes | None:
        raise NotImplementedError

    def decode(self, body: bytes) -> Any:
        raise NotImplementedError

    def trimmed(self, entries: dict[str, Any]) -> dict[str, Any]:
        """What of ``entries`` (oldest first) is written: the newest `KEEP`."""
        return dict(list(entries.items())[-self.KEEP :]) if len(entries) > self.KEEP else entries

    def entry(self, key: str) -> Any:
        """The value kept or added under ``key`` (None: none); its shape is the caller's to
        check."""
        return self._new[key] if key in self._new else self._read().get(key)

    def add(self, key: str, value: Any) -> None:
        self._new[key] = value

    def close(self) -> None:
        """Write what this run added (with the newest of what was kept), then let go."""
        if self._fd is None:
            return
        try:
            if self._new:
                # Oldest first, this run's last: the newest KEEP stay.
                entries = {k: v for k, v in self._read().items() if k not in self._new}
                entries.update(self._new)
                entries = self.trimmed(entries)
                self._kept = self._new = {}  # (the entries hold them now: not twice in memory)
                body = self.encode(entries)
                del entries
                if body is not None:
                    treecache.replace(self._fd, self.NAME, self._mac(body), body)
        finally:
            os.close(self._fd)
            self._fd = None

    def _read(self) -> dict[str, Any]:
        if self._kept is None:
            self._kept = {}
            raw = treecache.read_own(self._fd, self.NAME) if self._fd is not None else None
            if raw is not None and len(raw) > _MAC_SIZE:
                mac, body = raw[:_MAC_SIZE], raw[_MAC_SIZE:]
                if hmac.compare_digest(mac, self._mac(body)):
                    found = self.decode(body)
                    if isinstance(found, dict):
                        self._kept = found
        return self._kept

    def _mac(self, body: bytes) -> bytes:
        return hmac.new(self._key, self.maker() + body, hashlib.sha256).digest()

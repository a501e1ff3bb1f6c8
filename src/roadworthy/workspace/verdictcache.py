"""Validation verdicts (`formats.verdicts`) kept in the user's cache folder between runs.

One file, ``$XDG_CACHE_HOME/roadworthy/verdicts/verdicts.json`` (else under ``~/.cache``): the
newest `KEEP` verdicts, each under the digest of its schema, document and validating code. It
is read on the first lookup of a run and written once, at its end, when the run validated
anything new. A verdict decides whether a contract or a policy passes its schema, so it is
believed under the rules every kept file of roadworthy follows (`treecache`,
docs/security.md): the folder and the file are the user's own, not links and writable by nobody
else; the folder is used through one handle and the file replaced, never written through; the
file carries an HMAC-SHA256 under the user's key (`cachekey`), checked before its body is
parsed, and every verdict's shape is checked before it is used. Anything else is ignored and
validated afresh.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from pathlib import Path
from typing import Any

from roadworthy.formats.verdicts import Verdict
from roadworthy.workspace import cachekey, treecache

FOLDER = "verdicts"
NAME = "verdicts.json"
KEEP = 512  # verdicts kept: a policy, its rules' options, the contracts of the last changes
_MAC_SIZE = 32
_KIND = b"verdicts\0"


class VerdictCache:
    """The verdicts in a folder opened as ``fd``, authenticated with ``key``."""

    def __init__(self, folder: Path, fd: int, key: bytes) -> None:
        self.folder = folder  # for tests and messages
        self._fd: int | None = fd
        self._key = key
        self._kept: dict[str, Any] | None = None  # read on the first lookup
        self._new: dict[str, Verdict] = {}

    @classmethod
    def open(cls) -> VerdictCache | None:
        """The user's cache, if it is safe to use; None keeps nothing."""
        home = cachekey.cache_home()
        key = cachekey.secret() if home is not None else None
        if home is None or key is None:
            return None
        folder = home / "roadworthy" / FOLDER
        fd = treecache.own_folder(folder)
        return None if fd is None else cls(folder, fd, key)

    def get(self, key: str) -> Verdict | None:
        if key in self._new:
            return self._new[key]
        found = self._read().get(key)
        return found if _is_verdict(found) else None

    def put(self, key: str, verdict: Verdict) -> None:
        self._new[key] = verdict

    def close(self) -> None:
        """Write what this run added (with the newest of what was kept), then let go."""
        if self._fd is None:
            return
        try:
            if self._new:
                # Oldest first, this run's last: the newest KEEP stay.
                entries = {k: v for k, v in self._read().items() if k not in self._new}
                entries.update(self._new)
                if len(entries) > KEEP:
                    entries = dict(list(entries.items())[-KEEP:])
                body = json.dumps(entries, separators=(",", ":")).encode("ascii")
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
                        found = json.loads(body)
                    except (ValueError, RecursionError):  # nested past the parser's depth
                        found = None
                    if isinstance(found, dict):
                        self._kept = found
        return self._kept

    def _mac(self, body: bytes) -> bytes:
        return hmac.new(self._key, _KIND + body, hashlib.sha256).digest()


def _is_verdict(value: Any) -> bool:
    """The shape `put` is given: a list of [path, message], a path a list of keys and
    indexes."""
    return isinstance(value, list) and all(
        isinstance(issue, list)
        and len(issue) == 2
        and isinstance(issue[1], str)
        and isinstance(issue[0], list)
        and all(type(part) in (str, int) for part in issue[0])
        for issue in value
    )

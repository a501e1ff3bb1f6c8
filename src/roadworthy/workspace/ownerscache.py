"""Parsed CODEOWNERS files kept per content, so that a run whose CODEOWNERS has not changed
neither parses nor indexes it.

A large CODEOWNERS (thousands of rules in a monorepo) costs more to parse and index than the
rest of a small change's check. What a text parses to depends on nothing but the text, so the
parsed and indexed file (`CodeOwners.plain`, marshalled) is kept under the text's SHA-256, in
the user's cache folder beside the key (``$XDG_CACHE_HOME/roadworthy/codeowners/``): every
repository, clone and work tree of the user shares it, and no git call is needed to find it.
The text is hashed rather than asked of git by blob id, so the key is the text that was read,
whatever tree it came from (a work-tree file that differs from the index included), and a
replaced object cannot make git's id name other bytes.

An entry decides who owns what, so it is believed under the same rules as a kept tree entry
(`treecache`, docs/security.md): the folder and the file are the user's own, not links, not
writable by others, the folder is opened once and used through its handle, and the file carries
an HMAC under the user's key (`cachekey`) over the text's digest, the versions that made it and
its body, checked before the body is decoded. Anything else is ignored: the text is parsed
afresh and the entry written anew.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import marshal
import os
import sys
from pathlib import Path

from roadworthy import __version__
from roadworthy.formats import codeowners_file
from roadworthy.formats.codeowners_file import CodeOwners
from roadworthy.workspace import keptfile, treecache

FOLDER = "codeowners"
KEEP = 16  # entries kept; the oldest go first
_MAC_SIZE = 32
# Whatever changes what an entry holds or how its bytes read: the form, the code that made it,
# the marshal format of this Python.
_MAKER = (
    f"{codeowners_file.PLAIN_FORMAT}\0{__version__}\0{marshal.version}\0"
    f"{sys.version_info[0]}.{sys.version_info[1]}"
).encode()


class OwnersCache:
    """Entries in a folder opened as ``fd``, authenticated with ``key``."""

    def __init__(self, folder: Path, fd: int, key: bytes) -> None:
        self.folder = folder  # for tests and messages
        self._fd = fd
        self._key = key

    @classmethod
    def open(cls) -> OwnersCache | None:
        """The user's cache, if it is safe to use; None keeps nothing."""
        found = keptfile.user_folder(FOLDER)
        return None if found is None else cls(*found)

    def close(self) -> None:
        os.close(self._fd)

    def load(self, text: str, path: str) -> CodeOwners | None:
        """What ``text`` parses to, as kept; None when nothing of ours is kept for it."""
        digest = _digest(text)
        raw = treecache.read_own(self._fd, _file_name(digest))
        if raw is None or len(raw) < _MAC_SIZE:
            return None
        mac, body = raw[:_MAC_SIZE], raw[_MAC_SIZE:]
        if not hmac.compare_digest(mac, self._mac(digest, body)):
            return None  # not signed with our key for this text
        try:
            return CodeOwners.from_plain(path, marshal.loads(body))
        except (ValueError, EOFError, TypeError):
            return None  # not the form this version writes

    def store(self, text: str, parsed: CodeOwners) -> None:
        digest = _digest(text)
        body = marshal.dumps(parsed.plain())
        if treecache.replace(self._fd, _file_name(digest), self._mac(digest, body) + body):
            treecache.prune(self._fd, ".owners", KEEP)

    def _mac(self, digest: bytes, body: bytes) -> bytes:
        return hmac.new(self._key, _MAKER + b"\0" + digest + body, hashlib.sha256).digest()


@functools.lru_cache(maxsize=8)  # the base and the head of a change usually share the file
def parse(text: str, path: str) -> CodeOwners:
    """``text`` (read from ``path``) parsed and indexed: as it was kept when it has not changed
    since, else parsed and kept."""
    cache = OwnersCache.open()
    if cache is None:
        return codeowners_file.parse(text, path)
    try:
        kept = cache.load(text, path)
        if kept is not None:
            return kept
        parsed = codeowners_file.parse(text, path)
        cache.store(text, parsed)
        return parsed
    finally:
        cache.close()


def _digest(text: str) -> bytes:
    # surrogatepass: undecodable bytes are lone surrogates in the text; each has one encoding.
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()


def _file_name(digest: bytes) -> str:
    # Another version's entry for the same text has another name: the two can take turns.
    return hashlib.sha256(_MAKER + b"\0" + digest).hexdigest()[:40] + ".owners"

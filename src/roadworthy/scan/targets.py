"""What to scan: local folders and git URLs, from the command line or a list file, sharded.

A target is kept as the string the user wrote (URLs) or its normalised form (paths): that
string names the repository in every report and decides its shard.
"""

from __future__ import annotations

import hashlib
import os
import re
import urllib.parse
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from roadworthy import lazyre
from roadworthy.errors import UsageError

# scheme://... (https, http, ssh, git, file) or scp-like user@host:path (git@github.com:org/r)
_URL = lazyre.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_SCP = lazyre.compile(r"^[A-Za-z0-9_][A-Za-z0-9._~-]*@[A-Za-z0-9][A-Za-z0-9.-]*:")
_SHARD = lazyre.compile(r"^([0-9]+)/([0-9]+)$")


@dataclass(frozen=True)
class Shard:
    index: int  # 1-based
    count: int

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"

    def holds(self, target: str) -> bool:
        digest = hashlib.sha256(target.encode("utf-8", "surrogateescape")).digest()
        return int.from_bytes(digest[:8], "big") % self.count == self.index - 1


def parse_shard(text: str) -> Shard:
    match = _SHARD.match(text.strip())
    if not match:
        raise UsageError(f"--shard {text!r}: expected K/N, e.g. 1/4")
    index, count = int(match[1]), int(match[2])
    if not 1 <= index <= count:
        raise UsageError(f"--shard {text!r}: K must be between 1 and N")
    return Shard(index, count)


def is_url(target: str) -> bool:
    return bool(_URL.match(target) or _SCP.match(target))


def normalise(target: str) -> str:
    target = target.strip()
    if is_url(target):
        return target.rstrip("/")
    return os.path.normpath(target)


def read_list(path: str) -> list[str]:
    """One target a line; blank lines and ``#`` comments (whole line or after a space) skipped."""
    import sys

    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"--repos {path}: cannot be read ({exc})") from None
    out: list[str] = []
    for line in text.splitlines():
        line = re.sub(r"(^|\s)#.*$", "", line).strip()
        if line:
            out.append(line)
    return out


def redact(target: str) -> str:
    """How a target is named in reports: a password in a URL (a token) becomes ``***``; over
    HTTP(S) a user name alone is masked too, since a token can stand there
    (``https://<token>@github.com/...``). ssh's ``git@`` is a login, kept."""
    if not _URL.match(target):
        return target
    parts = urllib.parse.urlsplit(target)
    host = parts.netloc.rpartition("@")[2]
    if parts.password is not None:
        return urllib.parse.urlunsplit(parts._replace(netloc=f"{parts.username or ''}:***@{host}"))
    if parts.username is not None and parts.scheme in ("http", "https"):
        return urllib.parse.urlunsplit(parts._replace(netloc=f"***@{host}"))
    return target


def secret(target: str) -> str | None:
    """The password in a URL target (over HTTP(S), else the user name: a token can stand
    there), to scrub from messages."""
    if not _URL.match(target):
        return None
    parts = urllib.parse.urlsplit(target)
    if parts.password:
        return parts.password
    return parts.username if parts.scheme in ("http", "https") and parts.username else None


def select(targets: Iterable[str], shard: Shard | None) -> list[str]:
    """Normalised, without duplicates, sorted by name; only this shard's share when sharded."""
    unique = {normalise(t) for t in targets if t.strip()}
    return sorted(
        (t for t in unique if shard is None or shard.holds(redact(t))), key=lambda t: redact(t)
    )

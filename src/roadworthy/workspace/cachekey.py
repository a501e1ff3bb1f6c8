"""The per-user secret that authenticates kept tree entries (`treecache`).

A ``.git`` can arrive with the repository (an archive, a restored CI cache), so a well-formed
entry in ``.git/roadworthy/`` proves nothing by itself. Each entry carries an HMAC under a key
that lives outside every repository, in the user's cache folder
(``$XDG_CACHE_HOME/roadworthy/key``, else ``~/.cache/roadworthy/key``): what a repository brings
cannot be signed with it. The key is made once, atomically (written under a fresh ``O_EXCL``
name, then hard-linked into place, which fails if another process won the race), mode 0600.
A key that is a link, not a regular file of ours, readable by others or of the wrong size is
refused, and then nothing is kept at all: a cache that cannot be authenticated is not used.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

SIZE = 32  # bytes of key: HMAC-SHA256's block is 64, its output 32
NAME = "key"


def cache_home() -> Path | None:
    """The user's cache folder (XDG: a relative XDG_CACHE_HOME is to be ignored)."""
    given = os.environ.get("XDG_CACHE_HOME", "")
    if given and Path(given).is_absolute():
        return Path(given)
    try:
        return Path.home() / ".cache"
    except RuntimeError:
        return None  # no home folder to keep a key in


def secret() -> bytes | None:
    """The key, made if missing; None when there is no safe one (keep nothing then)."""
    needed = {os.open, os.link, os.unlink}
    if not hasattr(os, "getuid") or not hasattr(os, "O_NOFOLLOW") or needed - os.supports_dir_fd:
        return None
    home = cache_home()
    if home is None:
        return None
    folder = home / "roadworthy"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except OSError:
        return None
    try:
        found = os.fstat(fd)
        # Whoever can write the folder can swap the key for one they know.
        if found.st_uid != os.getuid() or found.st_mode & 0o022:
            return None
        key = _read(fd)
        if key is None:
            return None
        if key:
            return key
        return _create(fd)
    finally:
        os.close(fd)


def _read(folder: int) -> bytes | None:
    """The key in ``folder``; b"" when there is none yet; None when what is there is refused."""
    try:
        # O_NONBLOCK: a FIFO in its place opens at once (and is refused below), never hangs.
        fd = os.open(NAME, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=folder)
    except FileNotFoundError:
        return b""
    except OSError:
        return None  # a link (ELOOP), or unreadable
    # Judged on the descriptor, before it is made a file object: a folder in the key's place
    # opens too, and only a file object refuses it (IsADirectoryError, a crash).
    found = os.fstat(fd)
    if (
        not stat.S_ISREG(found.st_mode)
        or found.st_uid != os.getuid()
        or found.st_mode & 0o077
        or found.st_size != SIZE
    ):
        os.close(fd)
        return None
    with os.fdopen(fd, "rb") as f:
        key = f.read(SIZE + 1)
    return key if len(key) == SIZE else None


def _create(folder: int) -> bytes | None:
    temporary = f".key-{os.urandom(8).hex()}"
    try:
        fd = os.open(
            temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600, dir_fd=folder
        )
    except OSError:
        return None
    try:
        with os.fdopen(fd, "wb") as out:
            os.fchmod(out.fileno(), 0o600)
            out.write(os.urandom(SIZE))  # what secrets.token_bytes returns
            out.flush()
            os.fsync(out.fileno())
        # The key appears whole or not at all; a process that lost the race reads the winner's.
        with contextlib.suppress(FileExistsError):
            os.link(temporary, NAME, src_dir_fd=folder, dst_dir_fd=folder)
    except OSError:
        return None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temporary, dir_fd=folder)
    return _read(folder) or None

"""Writing files the way a user's files deserve: atomically, never half-written; and output
streams in UTF-8 whatever the locale says."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path
from typing import TextIO


def write_atomic(path: Path, text: str) -> None:
    """Write to a temporary file in the same folder, then rename over the target.

    Only a regular file (or a new one) is replaced that way. Anything else already there — a
    device such as /dev/null or /dev/stdout, a FIFO — is written to in place: renaming over it
    would destroy it. A symlink is followed, so the file it points at is the one replaced.
    """
    target = Path(os.path.realpath(path))
    try:
        info = target.stat()
    except FileNotFoundError:
        info = None
    if info is not None and not stat.S_ISREG(info.st_mode):
        with target.open("w", encoding="utf-8", newline="") as f:
            f.write(text)
        return
    folder = target.parent
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        if info is not None:
            Path(tmp).chmod(stat.S_IMODE(info.st_mode))
        Path(tmp).replace(target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_stream(stream: TextIO, text: str) -> None:
    """Write ``text`` as UTF-8 whatever the locale says. A file name that is not UTF-8 reaches us
    as surrogate escapes: it is shown escaped rather than failing on a strict stream."""
    data = text.encode("utf-8", "backslashreplace")
    stream.flush()
    buffer = getattr(stream, "buffer", None)
    if buffer is None:
        stream.write(data.decode("utf-8"))
        return
    buffer.write(data)
    buffer.flush()

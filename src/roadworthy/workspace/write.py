"""Writing files the way a user's files deserve: atomically, never half-written, never through a
link out of the repository; and output streams in UTF-8 whatever the locale says."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import TextIO

from roadworthy.errors import WorkspaceError


def write_atomic(path: Path, text: str) -> None:
    """Write to a temporary file in the same folder, then rename over the target.

    For a path the user named (``--output``). Only a regular file (or a new one) is replaced that
    way. Anything else already there — a device such as /dev/null or /dev/stdout, a FIFO — is
    written to in place: renaming over it would destroy it. A symlink is followed, so the file it
    points at is the one replaced.
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
    target.parent.mkdir(parents=True, exist_ok=True)
    _replace(target, text, info)


def write_inside(root: Path, relative: str, text: str) -> Path:
    """Atomically write ``relative`` (a POSIX path) under ``root``, refusing what a repository
    could plant to send the write elsewhere: an absolute path or ``..``, a symlink as any folder
    on the way or as the file itself, and anything at the path that is not a regular file."""
    target = inside(root, relative)
    info = _lstat(target)
    if info is not None and not stat.S_ISREG(info.st_mode):
        raise WorkspaceError(f"{relative}: {_kind(info.st_mode)} is there, not a file; not written")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        inside(root, relative)  # again: the folders made just now are ours, check what exists
        _replace(target, text, info)
    except OSError as exc:  # a file where a folder should be, no permission, a full disk
        raise WorkspaceError(f"{relative}: cannot write ({exc.strerror or exc})") from None
    return target


def inside(root: Path, relative: str) -> Path:
    """``root / relative``, after checking that no part of it leaves ``root`` (see write_inside)."""
    parts = PurePosixPath(relative).parts
    if not parts or PurePosixPath(relative).is_absolute() or ".." in parts:
        raise WorkspaceError(f"{relative}: not a path inside the repository; not written")
    current = root
    for part in parts:
        current = current / part
        info = _lstat(current)
        if info is not None and stat.S_ISLNK(info.st_mode):
            shown = PurePosixPath(*current.relative_to(root).parts)
            raise WorkspaceError(f"{shown} is a symlink; roadworthy does not write through links")
        if info is None:
            break  # nothing further exists yet
    return root / Path(*parts)


def write_report(root: Path, path: Path, text: str) -> None:
    """A report file the user named (``--output``, the Action's ``sarif-file``): inside the
    repository at ``root`` it is written like a repository file, never through a link a change
    could have committed there; elsewhere, as named (a device such as /dev/stdout included)."""
    full = Path(os.path.normpath(path.absolute()))
    relative = _inside_repository(root, full)
    if relative is None:
        write_atomic(full, text)
        return
    write_inside(root, relative, text)


def _inside_repository(root: Path, full: Path) -> str | None:
    """``full``'s path inside the repository, however the repository is reached: through the
    root git names or an alias of it (a runner's work folder that is a link to another disk,
    macOS's /tmp → /private/tmp). The shortest leading part of ``full`` that resolves to the
    root decides; what follows is checked link by link by `write_inside`."""
    real_root = os.path.realpath(root)
    parts = full.parts
    for cut in range(1, len(parts)):
        if os.path.realpath(Path(*parts[:cut])) == real_root:
            return PurePosixPath(*parts[cut:]).as_posix()
    return None


@contextlib.contextmanager
def locked(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``folder`` (flock on the directory itself: no lock file is left
    in the repository), so that writers in several processes take turns."""
    try:
        import fcntl
    except ImportError:  # not POSIX: appends are still atomic, only not serialised
        yield
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def write_stream(stream: TextIO, text: str) -> None:
    """Write ``text`` as UTF-8 whatever the locale says. A file name that is not UTF-8 reaches us
    as surrogate escapes: it is shown escaped rather than failing on a strict stream."""
    data = text.encode("utf-8", "backslashreplace")
    try:
        stream.flush()
        buffer = getattr(stream, "buffer", None)
        if buffer is None:
            stream.write(data.decode("utf-8"))
            return
        # A write that a signal cuts short (SIGPIPE when the reader leaves mid-report) returns
        # the bytes it took, without an error: 64 KiB of a 700 KB report, and the run passed
        # for whole. What is left is written on, and the broken pipe is then said.
        left = memoryview(data)
        while left:
            taken = buffer.write(left)
            if not taken:
                raise OSError(errno.EIO, "the stream took no bytes")
            left = left[taken:]
        buffer.flush()
    except BrokenPipeError:
        raise  # the reader went away: errors.handle ends the run quietly
    except OSError as exc:  # a full disk: half a report, which must not pass for a whole one
        raise WorkspaceError(f"the output could not be written: {exc.strerror or exc}") from None


def _replace(target: Path, text: str, info: os.stat_result | None) -> None:
    import tempfile  # not at the top: shutil, bz2 and lzma come with it

    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        # A file name that is not UTF-8 (surrogate escapes) is written escaped, as on a stream.
        with os.fdopen(fd, "w", encoding="utf-8", errors="backslashreplace", newline="") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        # mkstemp makes the file 0600; a new file gets what the umask gives (0644 usually).
        Path(tmp).chmod(stat.S_IMODE(info.st_mode) if info is not None else 0o666 & ~_umask())
        Path(tmp).replace(target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _lstat(path: Path) -> os.stat_result | None:
    try:
        return path.lstat()
    except (FileNotFoundError, NotADirectoryError):
        return None


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISLNK(mode):
        return "a symlink"
    return "a special file"

"""The only module that runs git.

The hot paths (listing files, diffs, reading blobs) call the ``git`` executable directly with
NUL-separated output, so odd file names are safe and no Python object model is built per file.
GitPython is imported only where its object model pays (commit authorship and signatures).
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator, Sequence
from pathlib import Path

from roadworthy.errors import WorkspaceError

_CHUNK = 1 << 16


def _env() -> dict[str, str]:
    env = dict(os.environ)
    # Messages are parsed in a few places; keep them in English. GIT_OPTIONAL_LOCKS=0 keeps
    # read-only commands from refreshing (writing) the index of the user's repository.
    env.update(LC_ALL="C", LANGUAGE="C", GIT_OPTIONAL_LOCKS="0")
    return env


def run(args: Sequence[str], cwd: Path, *, input: bytes | None = None) -> bytes:
    try:
        proc = subprocess.run(
            ["git", *args],
            cwd=cwd,
            input=input,
            capture_output=True,
            env=_env(),
            check=False,
        )
    except FileNotFoundError:
        raise WorkspaceError("git is not installed or not on PATH") from None
    if proc.returncode != 0:
        message = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitCommandError(args, message[-1] if message else f"exit code {proc.returncode}")
    return proc.stdout


class GitCommandError(WorkspaceError):
    def __init__(self, args: Sequence[str], message: str) -> None:
        super().__init__(f"git {args[0]}: {message}")
        self.git_message = message


def toplevel(path: Path) -> Path | None:
    """The root of the work tree containing ``path``, or None outside any repository."""
    start = path if path.is_dir() else path.parent
    try:
        out = run(["rev-parse", "--show-toplevel"], start)
    except WorkspaceError:
        return None
    return Path(os.fsdecode(out.rstrip(b"\n")))


def decode_path(raw: bytes) -> str:
    # surrogateescape keeps undecodable names round-trippable to the file system.
    return raw.decode("utf-8", "surrogateescape")


def iter_z(args: Sequence[str], cwd: Path) -> Iterator[str]:
    """Stream the NUL-separated output of a git command without holding all of it."""
    try:
        proc = subprocess.Popen(
            ["git", *args], cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env()
        )
    except FileNotFoundError:
        raise WorkspaceError("git is not installed or not on PATH") from None
    assert proc.stdout is not None and proc.stderr is not None
    tail = b""
    with proc:
        while chunk := proc.stdout.read(_CHUNK):
            parts = (tail + chunk).split(b"\0")
            tail = parts.pop()
            for part in parts:
                yield decode_path(part)
        stderr = proc.stderr.read()
    if proc.returncode != 0:
        message = stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitCommandError(args, message[-1] if message else f"exit code {proc.returncode}")
    if tail:
        yield decode_path(tail)


def ls_files(root: Path, pathspecs: Sequence[str] = ()) -> Iterator[str]:
    """Tracked paths (the index), relative to ``root``; ``.gitignore`` is honoured by definition."""
    args = ["-c", "core.quotepath=false", "ls-files", "-z", "--cached"]
    if pathspecs:
        args += ["--", *pathspecs]
    return iter_z(args, root)

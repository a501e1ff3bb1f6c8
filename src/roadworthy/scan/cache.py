"""Shallow clones of git URLs in a cache folder, refreshed in place on the next run.

Each URL has its own folder, named by a hash of the URL. A clone is made in a temporary folder
and renamed into place when complete, so an interrupted or killed clone never leaves a
half-made repository behind. The next run fetches the remote's HEAD (depth 1) and resets to it
instead of cloning again.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

from roadworthy import lazyre
from roadworthy.errors import WorkspaceError
from roadworthy.workspace import git

# Nothing from a repository or the machine's git config may run code or prompt: git's own
# SAFE_CONFIG (hooks, also from an init.templateDir; fsmonitor; the ext:: transport; ...), and gc
# stays in the foreground so a killed worker leaves no detached process behind. Given to git
# through GIT_CONFIG_* in the worker processes (see `git_environment`), so every git command
# there gets them, git's own children included.
SAFE_CONFIG = (*git.SAFE_CONFIG, ("gc.autoDetach", "false"))
NO_PROMPT_ENV = {
    "GIT_TERMINAL_PROMPT": "0",
    "GIT_LFS_SKIP_SMUDGE": "1",  # LFS pointers count as the weights; never download them
    "GCM_INTERACTIVE": "never",
}
SSH_BATCH = "ssh -o BatchMode=yes"


def default_cache() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "roadworthy" / "repos"


def folder_name(url: str) -> str:
    """``<last path segment>-<16 hex of sha256(url)>``: unique by URL, readable by name."""
    tail = re.split(r"[/:]", url.rstrip("/"))[-1].removesuffix(".git")
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", tail).strip(".-")[:40] or "repo"
    return f"{name}-{hashlib.sha256(url.encode('utf-8')).hexdigest()[:16]}"


@contextlib.contextmanager
def checked_out(url: str, cache: Path) -> Iterator[Path]:
    """The work tree of ``url``'s default branch head, cloned or refreshed in ``cache``, held
    for as long as the caller reads it: scans sharing one cache take turns on a repository (a
    lock file per repository beside its folder), so one never refreshes or deletes a clone
    another is reading, or is still making."""
    dest = cache / folder_name(url)
    cache.mkdir(parents=True, exist_ok=True)
    with _lock(cache / f".{dest.name}.lock"):
        if _reusable(dest, url):
            _refresh(dest)
        else:
            _clone(url, dest)
        yield dest


@contextlib.contextmanager
def _lock(path: Path) -> Iterator[None]:
    import fcntl

    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # waits for the other scan; the pool's timeout bounds it
        yield
    finally:
        os.close(fd)


def git_environment(
    env: Mapping[str, str], extra: Sequence[tuple[str, str]] = ()
) -> dict[str, str]:
    """``env`` plus the settings above (and ``extra`` config) for every git command run."""
    out = {**env, **NO_PROMPT_ENV}
    if "GIT_SSH_COMMAND" not in env and "GIT_SSH" not in env:
        out["GIT_SSH_COMMAND"] = SSH_BATCH
    return git.with_config(out, (*SAFE_CONFIG, *extra))


def _git(args: list[str], cwd: Path) -> str:
    return git.run(args, cwd).decode("utf-8", "replace").strip()


def _remote(args: list[str], cwd: Path, what: str) -> None:
    """Run a clone or fetch; on failure say why in git's (or ssh's) first line of stderr.

    `git.run` keeps only the last line, which for a failed clone is the generic "...and the
    repository exists."; the cause is on the first line.
    """
    proc = git.run_full(args, cwd, network=True)
    if proc.returncode != 0:
        lines = [ln.strip() for ln in proc.stderr.decode("utf-8", "replace").splitlines()]
        causes = [ln for ln in lines if ln and not ln.startswith(("warning:", "hint:"))]
        cause = causes[0] if causes else f"exit code {proc.returncode}"
        for prefix in ("fatal: ", "error: "):
            cause = cause.removeprefix(prefix)
        raise WorkspaceError(f"cannot {what}: {cause}")


def _reusable(dest: Path, url: str) -> bool:
    if not (dest / ".git").is_dir():
        return False
    try:
        return _git(["config", "--get", "remote.origin.url"], dest) == url
    except WorkspaceError:
        return False


def _refresh(dest: Path) -> None:
    fetch = ["fetch", "--quiet", "--depth", "1", "--no-tags", "origin", "HEAD"]
    _remote(fetch, dest, "fetch")
    _git(["reset", "--quiet", "--hard", "FETCH_HEAD"], dest)
    _git(["clean", "-q", "-ffdx"], dest)


def _clone(url: str, dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    for stale in dest.parent.glob(f".{dest.name}.*"):
        if stale.name != f".{dest.name}.lock":  # the lock this scan holds
            shutil.rmtree(stale, ignore_errors=True)
    if dest.exists():
        shutil.rmtree(dest)
    partial = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", dir=dest.parent))
    try:
        args = ["clone", "--quiet", "--depth", "1", "--no-tags", "--single-branch"]
        _remote([*args, "--", url, str(partial / "repo")], dest.parent, "clone")
        (partial / "repo").replace(dest)
    finally:
        shutil.rmtree(partial, ignore_errors=True)


_OBJECT_ID = lazyre.compile(rb"[0-9a-f]{40}|[0-9a-f]{64}")


def toplevel_and_head(folder: Path) -> tuple[Path | None, str | None]:
    """The work tree ``folder`` is in and the commit checked out, in one git call when both
    exist (None, None outside git; head None before the first commit)."""
    try:
        out = git.run(["rev-parse", "--show-toplevel", "--verify", "-q", "HEAD^{commit}"], folder)
    except WorkspaceError:
        return git.toplevel(folder), None
    # The commit id is the last line: the folder's name before it may hold line breaks of its
    # own (even a last one), so only git's are taken off.
    top, _, head = out.removesuffix(b"\n").rpartition(b"\n")
    if not _OBJECT_ID.fullmatch(head):
        return git.toplevel(folder), None
    return Path(os.fsdecode(top)), head.decode("ascii")

"""Every git command roadworthy runs goes through here (one exception: the crash report asks
``git --version`` from `errors`, which this module imports).

Commands run the ``git`` executable directly with NUL-separated output, so odd file names are
safe and no Python object model is built per file. Each runs with `SAFE_CONFIG` on top of every
other configuration: the repository being read may be someone else's (a pull request's
checkout, a scanned folder, an ``approve`` in a cloned repository), and nothing its
``.git/config`` names — hooks, an fsmonitor, an external diff, a signature program, an ssh
command, the ``ext::`` transport — may run.
"""

from __future__ import annotations

import functools
import os
import re
import stat
import subprocess
import threading
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from roadworthy import lazyre
from roadworthy.errors import WorkspaceError
from roadworthy.records import NamedTuple

_CHUNK = 1 << 16
_PROTOCOLS = ("file", "ext", "ssh", "git", "http", "https", "ftp", "ftps", "fd")

# Settings no repository or user configuration can override (GIT_CONFIG_* comes last): the
# programs git would otherwise take from .git/config. The signature programs are pinned to
# git's defaults, so the verifier of a signature is never the repository's choice.
SAFE_CONFIG = (
    ("core.hooksPath", os.devnull),
    ("core.fsmonitor", "false"),
    ("core.sshCommand", "ssh"),
    ("core.pager", "cat"),
    ("diff.external", ""),
    ("gpg.program", "gpg"),
    ("gpg.ssh.program", "ssh-keygen"),
    ("gpg.x509.program", "gpgsm"),
    ("protocol.ext.allow", "never"),
)

# No transport at all, for every command but the clones and fetches that exist to use one: a
# repository that calls itself a partial clone and lacks an object makes git fetch it lazily,
# running the promisor remote's ``uploadpack`` from .git/config. Each protocol is named, since
# a repository's own ``protocol.file.allow=always`` would outrank the general setting.
NO_TRANSPORT = (
    ("protocol.allow", "never"),
    *((f"protocol.{name}.allow", "never") for name in _PROTOCOLS),
)

# Diff and history commands see every submodule change: a ``.gitmodules`` entry (the change's
# own file) or .git/config saying ``ignore = all`` would otherwise hide a gitlink bump.
_SEES_SUBMODULES = frozenset({"diff", "diff-files", "diff-index", "diff-tree", "log", "show"})


def with_config(env: Mapping[str, str], config: Sequence[tuple[str, str]]) -> dict[str, str]:
    """``env`` with ``config`` appended to its GIT_CONFIG_* entries (git 2.31 or later)."""
    out = dict(env)
    given = env.get("GIT_CONFIG_COUNT", "")
    count = int(given) if given.isdigit() else 0  # after the caller's own entries
    for i, (key, value) in enumerate(config, start=count):
        out[f"GIT_CONFIG_KEY_{i}"] = key
        out[f"GIT_CONFIG_VALUE_{i}"] = value
    out["GIT_CONFIG_COUNT"] = str(count + len(config))
    return out


# git diff-tree reads the whole index before it compares two trees, which the index has no part
# in: 30 ms of a 100k-file repository's 14 MB index, 87 ms at 500k. Pointed at a file that
# does not exist, it reads an empty one (git treats a missing index as empty).
_TREES_ONLY = frozenset({"diff-tree"})


@functools.cache
def _no_index() -> str:
    # Any folder will do, existing or not: the name is random, so no such file is there. (Not
    # tempfile.gettempdir: tempfile imports shutil, bz2 and lzma, ~3 ms of start-up.)
    folder = os.environ.get("TMPDIR") or "/tmp"
    return str(Path(folder, f"roadworthy-no-index-{os.urandom(8).hex()}"))


def _env(
    extra: Mapping[str, str] | None = None, *, network: bool = False, args: Sequence[str] = ()
) -> dict[str, str]:
    env = {**os.environ, **(extra or {})}
    if _subcommand(args) in _TREES_ONLY:
        env["GIT_INDEX_FILE"] = _no_index()
    # Messages are parsed in a few places; keep them in English. GIT_OPTIONAL_LOCKS=0 keeps
    # read-only commands from refreshing (writing) the index of the user's repository.
    env.update(LC_ALL="C", LANGUAGE="C", GIT_OPTIONAL_LOCKS="0")
    if network:
        return with_config(env, SAFE_CONFIG)
    env["GIT_NO_LAZY_FETCH"] = "1"  # git 2.44 and later; NO_TRANSPORT covers older ones
    return with_config(env, SAFE_CONFIG + NO_TRANSPORT)


def _command(args: Sequence[str]) -> list[str]:
    """``git`` and ``args``, with ``--ignore-submodules=none`` after a diff or history
    subcommand (past any leading ``-c key=value``)."""
    i = _subcommand_at(args)
    if i < len(args) and args[i] in _SEES_SUBMODULES:
        return ["git", *args[: i + 1], "--ignore-submodules=none", *args[i + 1 :]]
    return ["git", *args]


def _subcommand_at(args: Sequence[str]) -> int:
    i = 0
    while i + 1 < len(args) and args[i] == "-c":
        i += 2
    return i


def _subcommand(args: Sequence[str]) -> str | None:
    i = _subcommand_at(args)
    return args[i] if i < len(args) else None


def run(
    args: Sequence[str], cwd: Path, *, input: bytes | None = None, network: bool = False
) -> bytes:
    proc = run_full(args, cwd, input=input, network=network)
    if proc.returncode != 0:
        raise GitCommandError(args, proc.stderr.decode("utf-8", "replace"), proc.returncode)
    return proc.stdout


def run_full(
    args: Sequence[str],
    cwd: Path,
    *,
    input: bytes | None = None,
    env: Mapping[str, str] | None = None,
    network: bool = False,
) -> subprocess.CompletedProcess[bytes]:
    """Run git and return whatever it did, exit code and both streams, for callers that read
    stderr themselves (signature verification, clone failures). ``network``: a clone or fetch,
    the only commands allowed a transport."""
    try:
        return subprocess.run(
            _command(args),
            cwd=cwd,
            input=input,
            capture_output=True,
            env=_env(env, network=network, args=args),
            check=False,
        )
    except FileNotFoundError:
        raise WorkspaceError("git is not installed or not on PATH") from None


class Pending:
    """A git command started now and read later, so git works while Python does."""

    def __init__(self, args: Sequence[str], cwd: Path) -> None:
        self.args = args
        try:
            self._proc: subprocess.Popen[bytes] | None = subprocess.Popen(
                _command(args),
                cwd=cwd,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env=_env(args=args),
            )
        except FileNotFoundError:
            raise WorkspaceError("git is not installed or not on PATH") from None
        self._out: bytes | None = None

    def take(self) -> subprocess.Popen[bytes]:
        """The running process, for a caller that reads its output as it comes (`chunks`)."""
        proc, self._proc = self._proc, None
        assert proc is not None, "the answer was taken already"
        return proc

    def chunks(self) -> Iterator[list[bytes]]:
        """The NUL-separated answer as `iter_z_chunks` gives it, read as it comes."""
        return _chunks(self, None)

    def running(self) -> bool:
        """Whether git is still at work (its answer not taken, the process not ended)."""
        return self._proc is not None and self._proc.poll() is None

    def result(self) -> bytes:
        if self._out is None:
            assert self._proc is not None
            out, err = self._proc.communicate()
            code = self._proc.returncode
            self._proc = None
            if code != 0:
                raise GitCommandError(self.args, err.decode("utf-8", "replace"), code)
            self._out = out
        return self._out

    def close(self) -> None:
        """Stop it if nobody asked for the answer."""
        if self._proc is not None:
            self._proc.kill()
            self._proc.communicate()
            self._proc = None


class GitCommandError(WorkspaceError):
    """A git command failed; the message is git's own ``fatal:`` line when it gave one."""

    def __init__(self, args: Sequence[str], stderr: str, code: int = 1) -> None:
        lines = [line.strip() for line in stderr.strip().splitlines() if line.strip()]
        fatal = next((line for line in lines if line.startswith(("fatal:", "error:"))), None)
        message = fatal or (lines[-1] if lines else f"exit code {code}")
        super().__init__(f"git {_command_line(args)}: {message}")
        self.git_message = message
        self.stderr = stderr


def _command_line(args: Sequence[str]) -> str:
    """The command and the revisions it was given (not its paths): enough to say which revision
    git could not read."""
    words = list(args[: args.index("--")] if "--" in args else args)
    while len(words) > 2 and words[0] == "-c":  # `-c key=value` settings come first
        words = words[2:]
    revs = [w for w in words[1:] if not w.startswith("-") and "=" not in w]
    return " ".join([words[0], *(r[:12] if _FULL_ID.fullmatch(r) else r for r in revs)])


_FULL_ID = lazyre.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")


def toplevel(path: Path) -> Path | None:
    """The root of the work tree containing ``path``, or None outside any repository."""
    start = path if path.is_dir() else path.parent
    try:
        # The shared git folder comes with it: diff mode asks for it next (`common_dir`), and
        # a git process is a few milliseconds of a pre-commit hook's budget.
        out = run(["rev-parse", "--show-toplevel", "--git-common-dir"], start)
    except WorkspaceError:
        _refuse_git_dir(start)
        return None
    lines = out[:-1].split(b"\n") if out.endswith(b"\n") else []
    if len(lines) != 2:  # a newline in a folder's name: ask for the root alone
        return _path_line(run(["rev-parse", "--show-toplevel"], start))
    root, common = (Path(os.fsdecode(line)) for line in lines)
    _COMMON_DIRS[root] = common if common.is_absolute() else start / common
    return root


_COMMON_DIRS: dict[Path, Path] = {}  # a work tree's root → its shared git folder


def _path_line(out: bytes) -> Path:
    """The one path git printed, on a line of its own: only git's line break goes (a folder's
    name may end with one of its own)."""
    return Path(os.fsdecode(out[:-1] if out.endswith(b"\n") else out))


def _refuse_git_dir(folder: Path) -> None:
    """A bare repository, or the inside of ``.git``, has no work tree to check: checking its
    files as plain folders would pass a repository nobody looked at."""
    try:
        out = run(["rev-parse", "--is-bare-repository", "--is-inside-git-dir"], folder)
    except WorkspaceError:
        return  # not in any repository: a plain folder
    bare, inside = [*out.decode("ascii", "replace").split(), "", ""][:2]
    if bare == "true":
        raise WorkspaceError(f"{folder} is a bare git repository: check a clone with a work tree")
    if inside == "true":
        raise WorkspaceError(f"{folder} is inside a .git folder: check the work tree around it")


def decode_path(raw: bytes) -> str:
    # surrogateescape keeps undecodable names round-trippable to the file system.
    return raw.decode("utf-8", "surrogateescape")


class NameFilter(NamedTuple):
    """Keep only entries whose file name is one of ``names`` or ends with one of ``suffixes``;
    applied to raw bytes in bulk, before anything is decoded."""

    names: frozenset[bytes]
    suffixes: tuple[bytes, ...]

    def apply(self, parts: list[bytes]) -> list[bytes]:
        by_last = _by_last_byte(self.names, self.suffixes)
        if by_last is None:
            return list(parts)  # an empty suffix: every path ends so
        ending, names = by_last.get, self.names
        return [
            p
            for p in parts
            if ((ends := ending(p[-1] if p else -1)) is not None and p.endswith(ends))
            or (b"/" not in p and p in names)
        ]

    def scan(self, blob: bytes) -> list[bytes]:
        """`apply` to the entries of ``blob`` (a listing's entries joined by NULs) without
        splitting it into 556,000 objects at 500k files: each kept entry is found from its end,
        by one expression over the reversed bytes, and sliced out of ``blob``."""
        found = _reversed_ends(self.names, self.suffixes)
        if found is None:
            return [p for p in blob.split(b"\0") if p]  # an empty suffix: every path ends so
        size, rfind = len(blob), blob.rfind
        # reversed[k] is blob[size - k] past the leading NUL: a match at k is a NUL (or the
        # start) right after the kept entry, which ends at size - k in ``blob``.
        ends = [size - m.start() for m in found.finditer(b"\0" + blob[::-1])]
        ends.reverse()
        return [blob[rfind(b"\0", 0, end) + 1 : end] for end in ends]


@functools.lru_cache(maxsize=64)
def _reversed_ends(
    names: frozenset[bytes], suffixes: tuple[bytes, ...]
) -> re.Pattern[bytes] | None:
    """`NameFilter.scan`'s expression: in a reversed listing, a NUL (or the start) then a
    suffix reversed, or a name reversed that "/", a NUL or the end follows. The bytes that can
    follow the NUL are asked first: most entries (".py", ".md") are passed over at one byte.
    None when a suffix is empty."""
    if any(not end for end in suffixes):
        return None
    ends = sorted((end[::-1] for end in suffixes), key=len, reverse=True)
    whole = sorted((name[::-1] for name in names if name), key=len, reverse=True)
    alternatives = [re.escape(end) for end in ends]
    # A name is a whole entry only at the top, where it holds no "/" (as in `apply`).
    top, inner = [w for w in whole if b"/" not in w], [w for w in whole if b"/" in w]
    for group, after in ((top, rb"/|\x00|\Z"), (inner, b"/")):
        if group:
            names_of = b"|".join(map(re.escape, group))
            alternatives.append(b"(?:" + names_of + b")(?=" + after + b")")
    if not alternatives:
        return re.compile(b"(?!)")  # nothing is kept
    first = b"".join(re.escape(bytes([c])) for c in sorted({w[0] for w in (*ends, *whole)}))
    return re.compile(b"\x00(?=[" + first + b"])(?:" + b"|".join(alternatives) + b")")


@functools.lru_cache(maxsize=64)
def _by_last_byte(
    names: frozenset[bytes], suffixes: tuple[bytes, ...]
) -> dict[int, tuple[bytes, ...]] | None:
    """`NameFilter`'s suffixes, a name being a suffix after "/" (or the whole of a path at the
    top), grouped by their last byte: most paths (".py", ".md") end in a byte none ends in, and
    the rest are tried against two or three, not against all 25 of the markers. None when a
    suffix is empty. Made once per filter, not once per chunk of a listing."""
    by_last: dict[int, tuple[bytes, ...]] = {}
    for end in (*suffixes, *(b"/" + name for name in names)):
        if not end:
            return None
        by_last[end[-1]] = (*by_last.get(end[-1], ()), end)
    return by_last


# DVC files, DVC's configuration and attestation files, noted by a listing as symlinks are: a
# DVC file anywhere may record weights of any component, a subproject's configuration is
# governed as the root's is, and governance binds every component's attestations (see
# `GitTree.noted`).
NOTED = (
    b".dvc",
    b"/dvc.lock",
    b"\tdvc.lock",
    b"/ATTESTATIONS.yaml",
    b"\tATTESTATIONS.yaml",
    *(sep + name for sep in (b"/", b"\t") for name in (b".dvc/config", b".dvc/config.local")),
)


class ListingFilter(NamedTuple):
    """For a listing with modes (``ls-tree -r``: ``mode type blob<TAB>path``): keep symlink
    records, DVC files (`NOTED`), and the records whose path ``names`` keeps (all of them
    without ``names``)."""

    names: NameFilter | None

    def apply(self, parts: list[bytes]) -> list[bytes]:
        if self.names is None:
            return parts
        names, suffixes = self.names.names, self.names.suffixes + NOTED
        return [
            p
            for p in parts
            if p.startswith(b"120000 ")
            or p.endswith(suffixes)
            or p[max(p.rfind(b"/"), p.find(b"\t")) + 1 :] in names
        ]


def iter_z(
    args: Sequence[str],
    cwd: Path,
    keep: NameFilter | ListingFilter | None = None,
    stop: threading.Event | None = None,
) -> Iterator[str]:
    """Stream the NUL-separated output of a git command without holding all of it; ``keep``
    drops entries before they are decoded (a 100k-file listing is mostly dropped). Setting
    ``stop`` ends the stream early (git stops at its next write to the closed pipe)."""
    for parts in iter_z_chunks(args, cwd, stop):
        for part in keep.apply(parts) if keep is not None else parts:
            yield decode_path(part)


def iter_z_chunks(
    args: Sequence[str], cwd: Path, stop: threading.Event | None = None
) -> Iterator[list[bytes]]:
    """`iter_z`'s entries as they arrive, a list of raw entries at a time (none empty), for a
    caller that files or drops them in bulk before decoding any."""
    yield from _chunks(Pending(args, cwd), stop)


def _chunks(pending: Pending, stop: threading.Event | None) -> Iterator[list[bytes]]:
    proc, args = pending.take(), pending.args
    assert proc.stdout is not None and proc.stderr is not None
    tail = b""
    with proc:
        while chunk := proc.stdout.read(_CHUNK):
            if stop is not None and stop.is_set():
                proc.kill()
                return
            parts = (tail + chunk).split(b"\0")
            tail = parts.pop()
            if parts:
                yield parts
        stderr = proc.stderr.read()
    if proc.returncode != 0:
        raise GitCommandError(args, stderr.decode("utf-8", "replace"), proc.returncode or 1)
    if tail:
        yield [tail]


def ls_files(
    root: Path, pathspecs: Sequence[str] = (), stop: threading.Event | None = None
) -> Iterator[str]:
    """Tracked paths (the index), relative to ``root``; ``.gitignore`` is honoured by definition."""
    args = ["-c", "core.quotepath=false", "ls-files", "-z", "--cached"]
    if pathspecs:
        args += ["--", *pathspecs]
    return iter_z(args, root, stop=stop)


def ls_files_chunks(root: Path) -> Iterator[list[bytes]]:
    """`ls_files` of the whole index, undecoded and a chunk at a time (see `iter_z_chunks`)."""
    return iter_z_chunks(_LS_FILES, root)


def start_ls_files(root: Path) -> Pending:
    """The listing `ls_files_blobs` reads, started now: git reads the index (73 MB at 500k
    files) before it writes a name, and can do that while the caller does other work."""
    return Pending(_LS_FILES, root)


def ls_files_blobs(root: Path, started: Pending | None = None) -> Iterator[bytes]:
    """`ls_files` of the whole index, undecoded, as runs of whole entries joined by NULs: the
    bytes as git wrote them, cut at the last NUL of each read (none empty). ``started``: the
    same listing, from `start_ls_files`."""
    proc = (started or Pending(_LS_FILES, root)).take()
    assert proc.stdout is not None and proc.stderr is not None
    tail = b""
    with proc:
        while chunk := proc.stdout.read(_BLOB):
            run = tail + chunk if tail else chunk
            cut = run.rfind(b"\0")
            if cut < 0:
                tail = run  # (an entry longer than a read)
                continue
            if cut:
                yield run[:cut]
            tail = run[cut + 1 :]
        stderr = proc.stderr.read()
    if proc.returncode != 0:
        raise GitCommandError(_LS_FILES, stderr.decode("utf-8", "replace"), proc.returncode or 1)
    if tail:
        yield tail


_LS_FILES = ["-c", "core.quotepath=false", "ls-files", "-z", "--cached"]
_BLOB = 1 << 20  # a read of `ls_files_blobs`: a megabyte of entries, scanned at once


EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"
_OBJECT_ID = lazyre.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")


class MissingRevision(WorkspaceError):
    pass


def resolve(root: Path, rev: str) -> str:
    """The commit id of ``rev``; a clear, actionable error when the clone does not have it."""
    try:
        out = run(
            ["rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}"], root
        )
    except GitCommandError:
        out = b""
    sha = out.decode().strip()
    if sha:
        return sha
    shallow = run(["rev-parse", "--is-shallow-repository"], root).decode().strip() == "true"
    advice = (
        f"this is a shallow clone: fetch it with `git fetch --deepen=200 origin` or "
        f"`git fetch origin {rev}` (in GitHub Actions: actions/checkout with fetch-depth: 0)"
        if shallow
        else f"fetch it with `git fetch origin {rev}`"
    )
    raise MissingRevision(f"revision {rev!r} not found in this repository; {advice}")


def resolve_many(root: Path, revs: Sequence[str]) -> list[str]:
    """Commit ids of several revisions in one git call (a missing one: ``resolve``'s error)."""
    try:
        out = run(["rev-parse", "--end-of-options", *(f"{r}^{{commit}}" for r in revs)], root)
    except GitCommandError:
        return [resolve(root, r) for r in revs]
    # Without --verify (which takes one revision) git echoes --end-of-options; keep the ids.
    shas = [w for w in out.decode().split() if _OBJECT_ID.fullmatch(w)]
    return shas if len(shas) == len(revs) else [resolve(root, r) for r in revs]


def resolve_range(root: Path, left: str, right: str) -> tuple[str, str, str]:
    """(``left``'s commit, ``right``'s, their merge base): what ``left...right`` compares.

    One git call where it can: ``rev-parse A...B`` names B, A and each merge base (``^id``),
    found as `merge_base` finds them, so a single one is the one it gives. With none or
    several (histories crossed by two merges), or any error, the calls that word errors and
    pick among merge bases are made instead."""
    try:
        symmetric = f"{left}^{{commit}}...{right}^{{commit}}"
        out = run(["rev-parse", "--end-of-options", symmetric], root)
    except GitCommandError:
        out = b""
    # Without --verify (which takes one revision) git echoes --end-of-options.
    words = [w for w in out.decode("ascii", "replace").split() if w != "--end-of-options"]
    ids = [w for w in words if _OBJECT_ID.fullmatch(w)]
    bases = [w[1:] for w in words if w.startswith("^") and _OBJECT_ID.fullmatch(w[1:])]
    if len(words) == 3 and len(ids) == 2 and len(bases) == 1:
        head, start = ids
        return start, head, bases[0]
    start, head = resolve_many(root, [left, right])
    return start, head, merge_base(root, start, head)


def merge_base(root: Path, a: str, b: str) -> str:
    try:
        return run(["merge-base", a, b], root).decode().strip()
    except GitCommandError:
        shallow = run(["rev-parse", "--is-shallow-repository"], root).decode().strip() == "true"
        hint = " (the clone is shallow: fetch more history, e.g. fetch-depth: 0)" if shallow else ""
        raise MissingRevision(f"{a[:12]} and {b[:12]} have no common ancestor{hint}") from None


def common_dir(root: Path) -> Path:
    """The repository's git folder shared by all its work trees (``.git`` of the main one)."""
    if root in _COMMON_DIRS:
        return _COMMON_DIRS[root]
    path = _path_line(run(["rev-parse", "--git-common-dir"], root))
    return path if path.is_absolute() else root / path


def rewrites_objects(root: Path, common: Path) -> bool:
    """Whether git may read an object id as other content, or a commit with other parents,
    than the object itself holds: a replace ref (``git replace``) or a grafts file. An id then
    no longer pins what git reads, so nothing may be kept or looked up by it."""
    if os.environ.get("GIT_GRAFT_FILE") or os.path.lexists(common / "info" / "grafts"):
        return True
    base = os.environ.get("GIT_REPLACE_REF_BASE") or "refs/replace/"
    if base == "refs/replace/" and not os.environ.get("GIT_NAMESPACE") and _none_replaced(common):
        return False
    # for-each-ref reads loose refs, packed-refs and reftable alike.
    found = run(["for-each-ref", "--count=1", "--format=%(refname)", base], root)
    return bool(found.strip())


_PACKED_REFS_READ = 1 << 20  # larger: git is asked


def _none_replaced(common: Path) -> bool:
    """Whether the ref files say for certain that no replace ref exists, sparing a git call
    on every change judged: refs in files (no reftable), no ``refs/replace`` entry of any
    kind, and a packed-refs file, if any, small, regular and naming none. Anything else is
    for git to answer."""
    if os.path.lexists(common / "reftable") or os.path.lexists(common / "refs" / "replace"):
        return False
    try:
        # Not followed, never blocking (a FIFO planted there would hang a read).
        fd = os.open(common / "packed-refs", os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except FileNotFoundError:
        return True
    except OSError:
        return False
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > _PACKED_REFS_READ:
            return False
        data = os.read(fd, _PACKED_REFS_READ + 1)
    except OSError:
        return False
    finally:
        os.close(fd)
    # Each line is "<id> <refname>" (or "^<id>", a peeled tag); a header starts with "#".
    # git takes any space after the id (a tab, a carriage return): the name alone is looked for.
    return len(data) == info.st_size and b"refs/replace/" not in data


def has_head(root: Path) -> bool:
    return head_commit(root) is not None


def head_commit(root: Path) -> str | None:
    """The commit HEAD names, or None before the first commit."""
    try:
        out = run(["rev-parse", "--verify", "--quiet", "HEAD^{commit}"], root)
    except GitCommandError:
        return None
    return out.decode().strip() or None


def head_time(root: Path) -> int | None:
    """The committer time of HEAD in seconds since the epoch (None: no commit yet)."""
    if not has_head(root):
        return None
    out = run(["log", "-1", "--format=%ct", "HEAD", "--"], root).decode().strip()
    return int(out) if out.isdigit() else None


# (status, old blob, new blob, path, old path for renames, old mode, new mode)
RawChange = tuple[str, str, str, str, str | None, str, str]


def raw_diff(root: Path, args: Sequence[str]) -> list[RawChange]:
    """The changes of a diff command, as `RawChange` tuples."""
    return parse_raw_diff(start_raw_diff(root, args).result())


def start_raw_diff(root: Path, args: Sequence[str]) -> Pending:
    """Start a diff command now; `parse_raw_diff` its result later."""
    return Pending([*args, "--raw", "-z", "--no-abbrev", "-M"], root)


def parse_raw_diff(output: bytes) -> list[RawChange]:
    """Parse ``--raw -z`` output into `RawChange` tuples (modes tell symlinks and submodules)."""
    fields = output.split(b"\0")
    out: list[RawChange] = []
    i = 0
    while i < len(fields) - 1:
        meta = fields[i].decode()
        if not meta.startswith(":"):
            i += 1
            continue
        old_mode, new_mode, old_blob, new_blob, status = meta[1:].split(" ")
        kind = status[0]
        if kind in "RC":
            old_path, path = decode_path(fields[i + 1]), decode_path(fields[i + 2])
            i += 3
        else:
            old_path, path = None, decode_path(fields[i + 1])
            i += 2
        out.append((kind, old_blob, new_blob, path, old_path, old_mode, new_mode))
    return out


_HEADER = lazyre.compile(rb"([0-9a-f]{40}|[0-9a-f]{64}) (blob|tree|commit|tag) ([0-9]+)")


KEEP_BLOB = 1 << 20  # a text artifact is far smaller; weights are never kept
KEEP_TOTAL = 32 << 20


class ObjectReader:
    """One ``git cat-file --batch`` process for every blob and tree a run reads."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._proc: subprocess.Popen[bytes] | None = None
        self._owner = os.getpid()
        self._kept: dict[str, tuple[str, str, bytes]] = {}  # blob id → its answer (see keep)
        self._kept_size = 0

    def keep(self, ids: Sequence[str]) -> None:
        """Read the blobs ``ids`` name in one batch and keep the small ones: an id names the
        same bytes for the whole run, so a later read of it costs no round trip (diff mode
        reads both sides of every changed artifact, one pair at a time, to place findings)."""
        wanted = [i for i in dict.fromkeys(ids) if _OBJECT_ID.fullmatch(i) and i not in self._kept]
        wanted = [i for i in wanted if i.strip("0")]  # git's "no blob" on either side of a diff
        for blob, found in zip(wanted, self.read_many(wanted, limit=KEEP_BLOB), strict=True):
            if found is None or found[1] != "blob" or self._kept_size + len(found[2]) > KEEP_TOTAL:
                continue
            self._kept[blob] = found
            self._kept_size += len(found[2])

    def _kept_answer(self, name: str, limit: int | None) -> tuple[str, str, bytes] | None:
        kept = self._kept.get(name)
        if kept is not None and limit is not None and len(kept[2]) > limit:
            return kept[0], f"blob:{len(kept[2])}", b""
        return kept

    def _process(self) -> subprocess.Popen[bytes]:
        if self._proc is not None and self._owner != os.getpid():
            self._forget()
        if self._proc is None:
            self._owner = os.getpid()
            self._proc = subprocess.Popen(
                ["git", "cat-file", "--batch"],
                cwd=self.root,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env=_env(),
            )
        return self._proc

    def read(self, name: str, *, limit: int | None = None) -> tuple[str, str, bytes] | None:
        """(object id, type, content) of ``rev:path``, ``:path`` (the index) or an id.

        None when the object does not exist.

        Content over ``limit`` bytes is not returned (b"" and the size is in the type field as
        ``blob:<size>``) so that a multi-gigabyte weights file is never read into memory.
        """
        if "\n" in name or "\r" in name:
            # The batch reads lines: a newline splits a request, and a carriage return before
            # the newline is dropped (``store\r`` would be answered as ``store``).
            return self._read_alone(name, limit)
        kept = self._kept_answer(name, limit) if self._kept else None
        if kept is not None:
            return kept
        proc = self._process()
        assert proc.stdin is not None and proc.stdout is not None
        proc.stdin.write(os.fsencode(name) + b"\n")
        proc.stdin.flush()
        return self._answer(proc.stdout, limit)

    def read_many(
        self, names: Sequence[str], *, limit: int | None
    ) -> list[tuple[str, str, bytes] | None]:
        """``read`` for many objects with one round trip per batch: all requests are written
        before any answer is read (batches stay well below the pipe's buffer, so git never
        waits on a request while we wait on an answer)."""
        if not names:
            return []
        if any("\n" in n or "\r" in n for n in names):
            return [self.read(n, limit=limit) for n in names]
        if self._kept and any(n in self._kept for n in names):
            asked = [n for n in names if n not in self._kept]
            answers = dict(zip(asked, self.read_many(asked, limit=limit), strict=True))
            return [answers[n] if n in answers else self._kept_answer(n, limit) for n in names]
        proc = self._process()
        assert proc.stdin is not None and proc.stdout is not None
        out: list[tuple[str, str, bytes] | None] = []
        for start in range(0, len(names), 256):
            batch = names[start : start + 256]
            proc.stdin.write(b"".join(os.fsencode(n) + b"\n" for n in batch))
            proc.stdin.flush()
            out += [self._answer(proc.stdout, limit) for _ in batch]
        return out

    @staticmethod
    def _answer(stdout: Any, limit: int | None) -> tuple[str, str, bytes] | None:
        # "<id> <type> <size>", else "<name> missing" or "<name> ambiguous" (a name may hold
        # spaces: only the exact shape of a found object counts as one).
        header = _HEADER.fullmatch(stdout.readline().rstrip(b"\n"))
        if header is None:
            return None
        sha, kind, size = header[1].decode(), header[2].decode(), int(header[3])
        if limit is not None and size > limit:
            _skip(stdout, size + 1)
            return sha, f"{kind}:{size}", b""
        data = stdout.read(size)
        stdout.read(1)  # the newline after the content
        return sha, kind, data

    def tree_of(self, commit: str) -> str | None:
        """The id of a commit's tree (None: no such commit)."""
        found = self.read(commit)
        if found is None or found[1] != "commit":
            return None
        first = found[2].partition(b"\n")[0]
        return first[5:].decode("ascii") if first.startswith(b"tree ") else None

    def _read_alone(self, name: str, limit: int | None) -> tuple[str, str, bytes] | None:
        """A name with a newline cannot go through the line-based batch (it would read as two
        requests and every later answer would belong to an earlier question): ask git with
        the name as an argument instead."""
        found = run_full(["rev-parse", "--verify", "--quiet", "--end-of-options", name], self.root)
        if found.returncode != 0:
            return None
        sha = found.stdout.decode("ascii").strip()
        kind = run(["cat-file", "-t", sha], self.root).decode("ascii").strip()
        size = int(run(["cat-file", "-s", sha], self.root))
        if limit is not None and size > limit:
            return sha, f"{kind}:{size}", b""
        return sha, kind, run(["cat-file", kind, sha], self.root)

    def close(self) -> None:
        if self._proc is not None and self._owner != os.getpid():
            self._forget()
        if self._proc is not None:
            with self._proc:  # closes the pipes and waits
                pass
            self._proc = None

    def _forget(self) -> None:
        """In a forked worker: the inherited process answers the parent's questions, on pipes
        the two processes share; this process lets go of its copies and starts its own."""
        assert self._proc is not None
        # Closing flushes nothing into the shared pipe: every request is flushed as written.
        for stream in (self._proc.stdin, self._proc.stdout):
            if stream is not None:
                stream.close()
        self._proc = None


def _skip(stream: Any, n: int) -> None:
    while n > 0:
        chunk = stream.read(min(n, _CHUNK))
        if not chunk:
            return
        n -= len(chunk)


def parse_tree(data: bytes) -> list[tuple[str, str, str]]:
    """Entries of a tree object: (mode, name, object id)."""
    out = []
    i, n = 0, len(data)
    while i < n:
        space = data.index(b" ", i)
        nul = data.index(b"\0", space)
        mode = data[i:space].decode()
        name = decode_path(data[space + 1 : nul])
        out.append((mode, name, data[nul + 1 : nul + 21].hex()))
        i = nul + 21
    return out


def last_commit(root: Path, rev: str, paths: Sequence[str]) -> str | None:
    """The newest commit reachable from ``rev`` that changed any of ``paths`` (None: none)."""
    specs = [f":(literal){p}" for p in paths]
    out = run(["log", "-1", "--format=%H", rev, "--", *specs], root).decode().strip()
    return out or None


def last_change(root: Path, rev: str, path: str) -> tuple[str, str] | None:
    """The sha and author e-mail of the newest commit reachable from ``rev`` that changed
    ``path``. In a shallow clone that may be a boundary commit (see `shallow_boundaries`), whose
    diff is against a parent that is not there: it shows every file as added."""
    out = run(["log", "-1", "--format=%H %ae", rev, "--", f":(literal){path}"], root)
    sha, _, email = out.decode("utf-8", "replace").strip().partition(" ")
    return (sha, email) if sha else None


def shallow_boundaries(root: Path) -> frozenset[str]:
    """The commits a shallow clone was cut at (git's ``shallow`` file): their parents are
    missing, so what they changed is unknown. Empty for a full clone."""
    where = Path(run(["rev-parse", "--git-path", "shallow"], root).decode().strip())
    where = where if where.is_absolute() else root / where
    try:
        text = where.read_text(encoding="ascii", errors="replace")
    except OSError:
        return frozenset()
    return frozenset(line.strip() for line in text.splitlines() if line.strip())


def parents(root: Path, rev: str) -> list[str]:
    """The parents of commit ``rev`` (none for a root commit)."""
    return run(["rev-list", "--parents", "-n", "1", rev, "--"], root).decode().split()[1:]


def is_ancestor(root: Path, older: str, newer: str) -> bool:
    """Whether ``older`` is ``newer`` or one of its ancestors."""
    proc = run_full(["merge-base", "--is-ancestor", older, newer], root)
    if proc.returncode not in (0, 1):
        raise GitCommandError(["merge-base", older, newer], proc.stderr.decode("utf-8", "replace"))
    return proc.returncode == 0


def without_repository_filters(root: Path) -> list[str]:
    """``-c`` settings that switch off every filter driver the repository's own configuration
    defines (``filter.<name>.clean``/``process`` in .git/config or a worktree's), for a command
    that may read the work tree: `git diff-files` hashes a racily clean file again, through the
    clean filter its attributes select, and that program is the repository's choice. Drivers
    the user's own (global or system) configuration installs, such as Git LFS, stay."""
    proc = run_full(["config", "--show-scope", "-z", "--get-regexp", r"^filter\..*\."], root)
    names = set()
    fields = proc.stdout.split(b"\0")  # scope, "key\nvalue", scope, "key\nvalue", ...
    for scope, entry in zip(fields[::2], fields[1::2], strict=False):
        key = entry.partition(b"\n")[0].decode("utf-8", "replace")
        if scope in (b"local", b"worktree") and key.count(".") >= 2:
            names.add(key[len("filter.") : key.rindex(".")])
    out = []
    for name in sorted(names):
        for key, value in (("clean", ""), ("process", ""), ("required", "false")):
            out += ["-c", f"filter.{name}.{key}={value}"]
    return out


def committed_text(root: Path, rev: str, path: str | None) -> str | None:
    """A file as ``rev`` holds it (a symlink's own text, never its target); None when it has
    none. For trust roots such as the allowed signers, which a work tree edit must not move."""
    if not path:
        return None
    proc = run_full(["cat-file", "blob", f"{rev}:{path}"], root)
    return proc.stdout.decode("utf-8", "replace") if proc.returncode == 0 else None


def blob_id(data: bytes, *, sha256: bool = False) -> str:
    """The id git gives a blob of ``data`` (``git hash-object``), computed here: hashing the
    work tree's file through git could run the repository's clean filters."""
    import hashlib

    algorithm = hashlib.sha256 if sha256 else hashlib.sha1
    return algorithm(b"blob %d\0" % len(data) + data).hexdigest()


def blob_sha256(root: Path, blob: str) -> str:
    """sha256 (hex) of a blob's bytes, streamed: weights can be gigabytes."""
    import hashlib

    digest = hashlib.sha256()
    try:
        proc = subprocess.Popen(
            ["git", "cat-file", "blob", blob],
            cwd=root,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=_env(),
        )
    except FileNotFoundError:
        raise WorkspaceError("git is not installed or not on PATH") from None
    with proc:
        assert proc.stdout is not None and proc.stderr is not None
        for chunk in iter(lambda: proc.stdout.read(1 << 20), b""):  # type: ignore[union-attr]
            digest.update(chunk)
        err = proc.stderr.read()
    if proc.returncode != 0:
        raise GitCommandError(["cat-file", "blob", blob], err.decode("utf-8", "replace"))
    return digest.hexdigest()

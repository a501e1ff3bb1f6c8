"""The files of the repository being checked, and how they are read safely.

In a git repository the tracked files are the universe (``git ls-files``: what will be
committed, ``.gitignore`` honoured); elsewhere a plain walk. Reading refuses what must not be
parsed: files over the size cap, binary files, invalid text, and symlinks that lead outside the
repository. Those refusals are `ArtifactError`s, which the engine turns into findings.
"""

from __future__ import annotations

import codecs
import contextlib
import os
import stat
from collections.abc import Collection, Iterable, Iterator
from pathlib import Path
from threading import Lock, get_ident
from typing import Protocol

from roadworthy.forkpool import usable_cores
from roadworthy.formats.globs import GlobSet
from roadworthy.workspace import git, listing

DEFAULT_MAX_FILE_SIZE = 5 * 1024 * 1024
_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
# A file opened before it is known to be regular: a FIFO must not block the open (O_NONBLOCK)
# and a terminal must not become ours (O_NOCTTY); fstat then says what was opened.
_FILE_FLAGS = _READ_FLAGS | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
# A folder opened to read its files by name (openat): O_NOFOLLOW refuses a folder that is a
# link, so its real path is its parent's and its name.
_FOLDER_FLAGS = _FILE_FLAGS | getattr(os, "O_DIRECTORY", 0)
_FOLDER_FDS = os.open in os.supports_dir_fd and all(
    hasattr(os, flag) for flag in ("O_NOFOLLOW", "O_DIRECTORY", "O_NONBLOCK")
)
_CLAIM = Lock()  # taken once per tree, by the first thread to read (WorkTree._folder_fd)
_SKIP_DIRS = frozenset({".git", ".hg", ".svn", ".venv", "venv", "node_modules", "__pycache__"})
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


class ArtifactError(Exception):
    """A file that exists but cannot be read or parsed as the artifact it should be."""

    def __init__(self, path: str, message: str, line: int | None = None) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message
        self.line = line


class Tree(Protocol):
    """A snapshot of the repository's files: the work tree, the index or a commit."""

    root: Path
    label: str  # "work tree", "index" or a revision, for messages

    def find(self, patterns: GlobSet) -> list[str]: ...

    def files_under(self, dirs: Collection[str]) -> dict[str, list[str]]: ...

    def exists(self, path: str) -> bool: ...

    def read_bytes(self, path: str) -> bytes: ...

    def blob_id(self, path: str) -> str | None:
        """The git blob id of a file as this snapshot records it (None when unknown)."""
        ...

    def exists_many(self, paths: Collection[str]) -> set[str]:
        """Which of ``paths`` (files or folders) the snapshot has, asked at once."""
        ...


def content_id(tree: Tree, path: str) -> str | None:
    """What an approval's digest binds to: the blob id, with a symlink in a git tree standing
    for its target's content (see `revtree.GitTree.content_id`)."""
    follow = getattr(tree, "content_id", None)
    result: str | None = follow(path) if follow is not None else tree.blob_id(path)
    return result


class WorkTree:
    """The checked-out files; listed from the index in a repository, walked elsewhere."""

    label = "work tree"

    def __init__(
        self,
        root: Path,
        *,
        is_git: bool,
        max_file_size: int = DEFAULT_MAX_FILE_SIZE,
        listing: git.Pending | None = None,
    ):
        """``listing``: the index's listing, started already (`git.start_ls_files`), for the
        first `listed_once` to read."""
        self.root = root
        self.is_git = is_git
        self.max_file_size = max_file_size
        self._real_root = os.path.realpath(root)
        self._base = str(root)
        self._real_folders: dict[str, str] = {}  # absolute folder → its os.path.realpath
        # The index listed once for `find` and `files_under` (see `listed_once`), each chunk of
        # entries joined by NULs: None outside it; complete once `_listed` is True.
        self._once: list[bytes] | None = None
        self._listed = False
        self._started = listing
        self._open_folder: str | None = None  # the folder read last, kept open (_folder_fd)
        self._open_fd = -1
        self._fd_thread = 0  # the first thread to read keeps it (others read the general way)

    @contextlib.contextmanager
    def listed_once(self) -> Iterator[None]:
        """Within it, `find` and `files_under` answer from one listing of the whole index, made
        when first needed and dropped on leaving: a full check's discovery, which finds the
        markers among every file and then files every file under its component. At 500k
        files one listing and a filter by file name in bulk cost less than git matching 25
        marker pathspecs against each entry and a second listing for the files (0.5 s against
        0.6 s here). The listing is held as it came, in chunks of joined entries (35 MB at 500k
        files, where split into entries it would be 58), and split again when read."""
        self._once, self._listed = [], False
        try:
            yield
        finally:
            self._once, self._listed = None, False

    def _whole_listing(self) -> Iterator[bytes] | None:
        """The index's entries a run at a time, joined by NULs, from the listing kept by
        `listed_once` (None outside it)."""
        if self._once is None or not self.is_git:
            return None
        if self._listed:
            return iter(self._once)
        return self._listing_kept(self._once)

    def _listing_kept(self, kept: list[bytes]) -> Iterator[bytes]:
        kept.clear()  # (a listing left unfinished by an error is made again)
        started, self._started = self._started, None
        for blob in git.ls_files_blobs(self.root, started):
            kept.append(blob)  # never empty: a run holds an entry at least
            yield blob
        self._listed = True

    def _all(self, pathspecs: list[str] | None = None) -> Iterator[str]:
        if self.is_git:
            return git.ls_files(self.root, pathspecs or ())
        return _walk(self.root)

    def find(self, patterns: GlobSet) -> list[str]:
        if not patterns:
            return []
        # git prefilters by a superset pathspec in C; the exact match happens here, by names
        # and suffixes where it can (one expression of the 25 default markers costs 4 us a path).
        specs = patterns.pathspecs() if self.is_git else None
        matches = patterns.fast_matcher()
        split = patterns.name_filter()
        whole = self._whole_listing() if split is not None else None
        if whole is not None and split is not None:
            keep = git.NameFilter(*split)  # a superset, as the pathspecs are
            named = [p for blob in whole for p in keep.scan(blob)]
            return sorted(p for p in map(git.decode_path, named) if matches(p))
        if specs is not None and len(specs) >= listing.SPLIT_FROM and usable_cores() > 1:
            return sorted(p for p in listing.listed_in_halves(self.root, specs) if matches(p))
        return sorted(p for p in self._all(specs) if matches(p))

    def files_under(self, dirs: Collection[str]) -> dict[str, list[str]]:
        """Every file under each of ``dirs``, filed under the deepest of them that holds it."""
        wanted = set(dirs)
        result: dict[str, list[str]] = {d: [] for d in wanted}
        if not wanted:
            return result
        if self.is_git:
            whole = self._whole_listing()
            chunks = (
                (blob.split(b"\0") for blob in whole)
                if whole is not None
                else git.ls_files_chunks(self.root)
            )
            return listing.file_listing(chunks, wanted, result)
        owner_of = listing.owners(wanted)
        for path in self._all():
            owner = owner_of(path)
            if owner is not None:
                result[owner].append(path)
        return result

    def exists(self, path: str) -> bool:
        # (Not for "/…", "…/", "" or ".": pathlib's parent of those is another folder.)
        if path not in ("", ".") and not path.startswith("/") and not path.endswith("/"):
            full_text = f"{self._base}/{path}"
            try:
                info = os.lstat(full_text)
            except FileNotFoundError:
                return False  # the usual answer: an optional file asked of every component
            except ValueError:
                return False  # a NUL or an unencodable character: no such file (as pathlib)
            except OSError:
                info = None  # the general way below says what it means
            if info is not None and not stat.S_ISLNK(info.st_mode):
                return self._folder_inside(full_text[: full_text.rfind("/")])
        full = self.root / path
        return full.exists() and self._inside(full)

    def exists_many(self, paths: Collection[str]) -> set[str]:
        """Tracked files and folders among ``paths``: what a clone would have, not what happens
        to lie in this work tree (an ignored file passes here and fails in CI)."""
        present = {p for p in paths if self.exists(p)}
        if not self.is_git or not present:
            return present
        specs = [f":(literal){p}" for p in sorted(present)]
        tracked = set(git.ls_files(self.root, specs))
        return {p for p in present if p in tracked or any(t.startswith(f"{p}/") for t in tracked)}

    def read_bytes(self, path: str) -> bytes:
        # The common case in two system calls that walk no path: a regular file opened by its
        # name in a folder already open and known to be inside (the files of a component are
        # read one after another), then fstat on the descriptor. O_NOFOLLOW refuses a link in
        # the file's place, O_NONBLOCK keeps a FIFO from blocking; anything but a regular file
        # (a link, a folder, missing, an error) is said by the general way, which reads anew.
        # (os calls on strings: pathlib's and open()'s objects cost more than the system calls)
        folder, _, name = path.rpartition("/")
        if name in ("", ".", "..") or path.startswith("/"):
            return self._read_followed(path)
        folder_fd = self._folder_fd(folder)
        if folder_fd < 0:
            return self._read_followed(path)
        try:
            fd = os.open(name, _FILE_FLAGS, dir_fd=folder_fd)
        except (OSError, ValueError):  # ValueError: a NUL or an unencodable character
            return self._read_followed(path)
        try:
            info = os.fstat(fd)
            if stat.S_ISREG(info.st_mode):
                if info.st_size > self.max_file_size:
                    raise too_large(path, info.st_size, self.max_file_size)
                data = os.read(fd, info.st_size + 1)
                if len(data) > info.st_size:  # it grew since: read on to the end, as open() would
                    data += b"".join(iter(lambda: os.read(fd, 1 << 20), b""))
                return data
        except OSError:
            pass
        finally:
            os.close(fd)
        return self._read_followed(path)  # not a regular file, or it failed: say what it is

    def _folder_fd(self, folder: str) -> int:
        """A descriptor of ``folder`` (relative, "" the root) when it is a folder inside the
        repository that no link leads to: the last one asked is kept open. -1 otherwise."""
        thread = get_ident()
        if thread != self._fd_thread:
            # The first thread to read keeps folders open, for good: were it handed on when none
            # is open, a thread between closing its folder and opening the next could lose it
            # to another, which might close its new descriptor and open another folder under
            # the same number before the first opened a file in it (a file of the wrong folder).
            with _CLAIM:
                if not self._fd_thread:
                    self._fd_thread = thread
            if thread != self._fd_thread:
                return -1  # another thread's: it reads the general way
        if folder == self._open_folder:
            return self._open_fd
        self._close_folder()  # (not `close`: a listing started and not read yet is still wanted)
        if not _FOLDER_FDS or (folder and any(p in ("", ".", "..") for p in folder.split("/"))):
            return -1  # (a name that is no folder's own is resolved by the general way)
        full = f"{self._base}/{folder}" if folder else self._base
        try:
            # The root itself may be a link (its real path is the measure of inside).
            fd = os.open(full, _FOLDER_FLAGS if folder else _FOLDER_FLAGS & ~os.O_NOFOLLOW)
        except (OSError, ValueError):
            return -1
        if folder:
            parent = full[: full.rfind("/")]
            if not self._folder_inside(parent):
                os.close(fd)
                return -1
            # Not a link (O_NOFOLLOW): its real path follows from its parent's.
            real = f"{self._real_folder(parent).rstrip('/')}/{folder.rpartition('/')[2]}"
            self._real_folders.setdefault(full, real)
        self._open_folder, self._open_fd = folder, fd
        return fd

    def close(self) -> None:
        """Close the folder kept open for reading (reading again opens one), and stop a
        listing started for it that nothing read."""
        started, self._started = self._started, None
        if started is not None:
            started.close()
        self._close_folder()

    def _close_folder(self) -> None:
        fd, self._open_folder, self._open_fd = self._open_fd, None, -1
        if fd >= 0:
            os.close(fd)

    def __del__(self) -> None:
        if getattr(self, "_open_fd", -1) >= 0:
            with contextlib.suppress(OSError):  # closed under us already: nothing to give back
                self.close()

    def _read_followed(self, path: str) -> bytes:
        try:
            if b"\0" in os.fsencode(path):
                raise ArtifactError(path, "is no file name (it holds a NUL byte)")
        except UnicodeEncodeError:
            raise ArtifactError(path, "is no file name this system can open") from None
        full = self.root / path
        if not self._inside(full):
            raise ArtifactError(path, "symlink points outside the repository; not read")
        try:
            info = full.stat()
            if stat.S_ISDIR(info.st_mode):
                raise ArtifactError(path, "is a directory, not a file")
            if not stat.S_ISREG(info.st_mode):
                # A FIFO or device would block or never end; only regular files are read.
                raise ArtifactError(path, "is not a regular file; not read")
            size = info.st_size
            if size > self.max_file_size:
                raise too_large(path, size, self.max_file_size)
            return full.read_bytes()
        except IsADirectoryError:
            raise ArtifactError(path, "is a directory, not a file") from None
        except FileNotFoundError:
            raise ArtifactError(path, "tracked but missing from the work tree") from None
        except OSError as exc:
            raise ArtifactError(path, f"cannot be read: {exc.strerror}") from None

    def blob_id(self, path: str) -> str | None:
        return None  # work-tree bytes are not content-addressed; approvals read the index

    def _inside(self, full: Path) -> bool:
        # A symlink anywhere on the way may lead out; folders are checked once each.
        if full.is_symlink():
            return self._within(os.path.realpath(full))
        return self._folder_inside(str(full.parent))

    def _folder_inside(self, folder: str) -> bool:
        return self._within(self._real_folder(folder))

    def _real_folder(self, folder: str) -> str:
        """``os.path.realpath(folder)``, from its parent's: a folder that is no symlink costs
        one lstat, and the folders above it are resolved once for all their files."""
        # Up to the first folder known or resolved by realpath, then down again: a loop, not
        # a recursion (a component a thousand folders deep must not exhaust the stack).
        pending: list[tuple[str, str]] = []  # (folder, its name), from the deepest up
        real = self._real_folders.get(folder)
        while real is None:
            parent, name = os.path.split(folder)
            # ".." or "." would be appended literally: those go through realpath itself.
            if parent == folder or name in ("", ".", "..") or _is_link(folder):
                real = os.path.realpath(folder)
                self._real_folders[folder] = real
                break
            pending.append((folder, name))
            folder = parent
            real = self._real_folders.get(folder)
        for below, name in reversed(pending):
            real = f"{real.rstrip('/')}/{name}"
            self._real_folders[below] = real
        return real

    def _within(self, real: str) -> bool:
        return real == self._real_root or real.startswith(self._real_root + os.sep)


def _is_link(path: str) -> bool:
    try:
        return stat.S_ISLNK(os.lstat(path).st_mode)
    except OSError:
        return False  # missing: realpath would take the name as it is


def _below_any(path: str, folders: Collection[str]) -> bool:
    """Whether one of ``folders`` is a proper ancestor of ``path``."""
    if not folders:
        return False
    if "" in folders and path:
        return True
    head = path.rpartition("/")[0]
    while head:
        if head in folders:
            return True
        head = head.rpartition("/")[0]
    return False


def _walk(root: Path) -> Iterator[str]:
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in _SKIP_DIRS)
        rel = os.path.relpath(dirpath, root)
        prefix = "" if rel == "." else rel.replace(os.sep, "/") + "/"
        for name in sorted(filenames):
            yield prefix + name


def decode(path: str, data: bytes) -> str:
    """Text of a file: a BOM chooses the encoding, otherwise strict UTF-8; binary is refused."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise ArtifactError(path, f"invalid {encoding} text at byte {exc.start}") from None
    if b"\0" in data[:8192]:
        raise ArtifactError(path, "binary file; not read as text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ArtifactError(path, f"invalid UTF-8 at byte {exc.start}", line) from None


def read_text(tree: Tree, path: str) -> str:
    return decode(path, tree.read_bytes(path))


def too_large(path: str, size: int, cap: int) -> ArtifactError:
    return ArtifactError(
        path, f"{size} bytes, over the size cap of {human_size(cap)} (limits.max_file_size)"
    )


def human_size(n: int) -> str:
    """A size as people read it: 200 bytes, 64 KiB, 5 MiB."""
    if n < 1024:
        return f"{n} bytes"
    if n < 1024 * 1024:
        return f"{n / 1024:g} KiB"
    return f"{n / (1024 * 1024):g} MiB"


def relative_files(component_path: str, files: Iterable[str]) -> list[str]:
    """Paths relative to a component folder (``""`` is the repository root)."""
    if not component_path:
        return list(files)
    cut = len(component_path) + 1
    return [f[cut:] for f in files]

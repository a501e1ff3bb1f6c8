"""What a commit's tree and the index share: listings with blob ids, reads from git's objects.

Contents come from git's object database through one ``cat-file --batch`` process, never from
the work tree, so a check of ``--staged`` sees exactly what will be committed and a check of a
pull request sees exactly its head, whatever is checked out. `commit.CommitTree` and
`index.IndexTree` say how each lists its entries.
"""

from __future__ import annotations

import hashlib
import posixpath
import threading
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from roadworthy.formats.globs import GlobSet
from roadworthy.records import NamedTuple
from roadworthy.workspace import git
from roadworthy.workspace.listing import ancestors, owners
from roadworthy.workspace.worktree import ArtifactError, _below_any, too_large

SYMLINK = "120000"
PRELOAD_LIMIT = 256 * 1024  # artifacts are small; weights are not read this way
GITLINK = "160000"
MAX_HOPS = 40  # symlinks followed in a chain, as Linux's ELOOP limit
DVC_PATTERNS = ("**/*.dvc", "**/dvc.lock")
# DVC's committed configuration, in the root project's ``.dvc`` folder or a subproject's
# (``dvc init --subdir``): it names the remote every ``dvc pull`` below fetches from.
DVC_CONFIGS = (".dvc/config", ".dvc/config.local")
# A component's attestations (evidence/attestations.py reads them; the name is here so that
# listings can note them).
ATTESTATIONS = "ATTESTATIONS.yaml"
# What a listing notes on the way (`GitTree.noted`): DVC files, DVC's configuration and
# attestation files.
NOTED_PATTERNS = (*DVC_PATTERNS, *(f"**/{c}" for c in DVC_CONFIGS), f"**/{ATTESTATIONS}")


class _Prefetch(NamedTuple):
    patterns: tuple[str, ...]
    thread: threading.Thread
    result: list[Any]  # [found paths] or [the exception], once the thread is done
    stop: threading.Event


class GitTree:
    """Shared by commits and the index: listings with blob ids, reads through ``cat-file``."""

    label = ""

    def __init__(self, root: Path, objects: git.ObjectReader, max_file_size: int) -> None:
        self.root = root
        self.objects = objects
        self.max_file_size = max_file_size
        self._entries: dict[str, tuple[str, str]] = {}  # path → (mode, blob id)
        self._sizes: dict[str, int] = {}
        self._small: dict[str, bytes] = {}  # contents preloaded in one batch
        self._prefetched: _Prefetch | None = None
        self._listed: set[str] = set()  # folders whose every entry is in _entries
        self._folders: set[str] | None = None  # the folders holding those entries, when asked
        self._paths: list[str] | None = None  # the paths of _entries, sorted, when asked
        self._links: list[str] | None = None
        self._dvc: list[str] | None = None  # see dvc_files
        self._dvc_source: Callable[[], Sequence[str]] | None = None
        self._digesting: set[str] = set()  # folders whose digest is being computed
        self._read_folders: set[str] = set()  # folders whose tree object is in _entries
        self._children: dict[str, list[str]] = {}  # a read folder → the paths directly in it

    # Subclasses provide these three.
    def _names(
        self, keep: git.NameFilter | None = None, stop: threading.Event | None = None
    ) -> Iterator[str]:
        raise NotImplementedError

    def _entries_under(self, dirs: Collection[str]) -> Iterator[tuple[str, str, str]]:
        raise NotImplementedError

    def _object_name(self, path: str) -> str:
        raise NotImplementedError

    def prefetch(self, patterns: GlobSet) -> None:
        """Start ``find(patterns)`` on a thread; git streams while the caller does other work.

        A pending prefetch of other patterns is stopped: it was a guess that proved wrong.
        """
        pending = self._prefetched
        if pending is not None:
            if pending.patterns == patterns.patterns:
                return
            self.cancel_prefetch()
        result: list[list[str] | BaseException] = []
        stop = threading.Event()

        def work() -> None:
            try:
                result.append(self._find(patterns, stop))
            except BaseException as exc:  # re-raised by find() in the caller's thread
                result.append(exc)

        thread = threading.Thread(target=work, name="roadworthy-find", daemon=True)
        thread.start()
        self._prefetched = _Prefetch(patterns.patterns, thread, result, stop)

    def cancel_prefetch(self) -> None:
        pending, self._prefetched = self._prefetched, None
        if pending is not None:
            pending.stop.set()
            pending.thread.join()

    def find(self, patterns: GlobSet) -> list[str]:
        pending = self._prefetched
        if pending is not None and pending.patterns == patterns.patterns:
            self._prefetched = None
            pending.thread.join()
            outcome = pending.result[0]
            if isinstance(outcome, BaseException):
                raise outcome
            found: list[str] = outcome
            return found
        return self._find(patterns)

    def _find(self, patterns: GlobSet, stop: threading.Event | None = None) -> list[str]:
        if not patterns:
            return []
        matches = patterns.fast_matcher()
        split = patterns.name_filter()
        keep = git.NameFilter(*split) if split is not None else None
        return sorted(p for p in self._names(keep, stop) if matches(p))

    def files_under(self, dirs: Collection[str]) -> dict[str, list[str]]:
        wanted = set(dirs)
        result: dict[str, list[str]] = {d: [] for d in wanted}
        if not wanted:
            return result
        owner_of = owners(wanted)
        if all(self.is_listed(d) for d in wanted):
            # Listed already (the head of a staged change and its base share HEAD's folders).
            found = [(m, b, p) for p, (m, b) in self._entries.items() if not m.startswith("4")]
        else:
            found = list(self._entries_under(wanted))
        for mode, blob, path in found:
            self._entries[path] = (mode, blob)
            owner = owner_of(path)
            if owner is not None:
                result[owner].append(path)
        self._listed |= wanted
        self._folders = self._paths = None
        return result

    def is_listed(self, folder: str) -> bool:
        """Whether every entry below ``folder`` is known, from a listing of it or above it."""
        return folder in self._listed or _below_any(folder, self._listed)

    def preload(self, paths: Collection[str], limit: int = PRELOAD_LIMIT) -> None:
        """Read the small files among ``paths`` in one batch: the checks of a component read
        most of its files, and one round trip per file adds up."""
        wanted = [
            p
            for p in paths
            if p in self._entries
            and p not in self._small
            and self._entries[p][0] not in (SYMLINK, GITLINK)
            and self._sizes.get(p, 0) <= limit
        ]
        answers = self.objects.read_many([self._entries[p][1] for p in wanted], limit=limit)
        for path, answer in zip(wanted, answers, strict=True):
            if answer is None:
                continue
            if answer[1].startswith("blob:"):
                self._sizes[path] = int(answer[1].split(":")[1])
            else:
                self._sizes[path] = len(answer[2])
                self._small[path] = answer[2]

    def size(self, path: str) -> int | None:
        """A file's size in bytes, from the listing or the object's header."""
        if path in self._sizes:
            return self._sizes[path]
        entry = self._entries.get(path) or self._lookup(path)
        if entry is None:
            return None
        found = self.objects.read(entry[1], limit=0)
        if found is None:
            return None
        size = int(found[1].split(":")[1]) if found[1].startswith("blob:") else len(found[2])
        self._sizes[path] = size
        return size

    def blob_id(self, path: str) -> str | None:
        entry = self._entries.get(path) or self._lookup(path)
        return entry[1] if entry else None

    def content_id(self, path: str) -> str | None:
        """What an approval binds to: the blob id, except that a symlink inside the repository
        stands for its target's content (a file's blob, a folder's tree), so new bytes behind
        an unchanged link are new content. A link out of the repository is its own text."""
        entry = self._entries.get(path) or self._lookup(path)
        if entry is not None and entry[0] == SYMLINK:
            target = self.link_target(path)  # resolved to the end: never a link itself
            if target is None:
                return entry[1]  # out of the repository, or a loop: its own text
            path, entry = target, self._entries.get(target) or self._lookup(target)
        if entry is not None and not entry[0].startswith("4"):
            return entry[1]
        if entry is None and not (path and self.exists(path)):
            return None  # a target that is not there
        return self._folder_id(path)

    def _followed(self, link: str) -> str:
        """What a link inside a folder stands for in the folder's digest: its final target's
        content id (a folder's own digest for a linked folder), else its text's blob."""
        target = self.link_target(link)
        entry = self._entries.get(link) or self._lookup(link)
        if target is None or target == "" or entry is None:
            return entry[1] if entry else ""
        found = self._entries.get(target) or self._lookup(target)
        if found is not None and not found[0].startswith("4"):
            return found[1]
        if target in self._digesting or not self.exists(target):
            return entry[1]  # a folder linked from inside itself: its text, not a recursion
        return self._folder_id(target)

    def _folder_id(self, folder: str) -> str:
        """A folder's content as every kind of tree can compute it alike (the index has no tree
        ids): sha256 over its files' relative paths, modes and blob ids."""
        self._digesting.add(folder)
        cut = len(folder) + 1
        # A link inside stands for what it leads to, as everywhere: two folders of identical
        # link texts in different places hold different bytes.
        lines = sorted(
            f"{path[cut:]}\0{mode}\0{self._followed(path) if mode == SYMLINK else blob}\n"
            for mode, blob, path in list(self._entries_under([folder]))
            if path.startswith(f"{folder}/")
        )
        self._digesting.discard(folder)
        digest = hashlib.sha256("".join(lines).encode("utf-8", "surrogateescape"))
        return f"folder:sha256:{digest.hexdigest()}"

    def mode(self, path: str) -> str | None:
        entry = self._entries.get(path) or self._lookup(path)
        return entry[0] if entry else None

    def is_folder(self, path: str) -> bool:
        entry = self._entries.get(path) or self._lookup(path)
        if entry is not None:
            return entry[0].startswith("4")
        return path == "" or self.exists(path)  # the index lists files only: a folder holds some

    def link_target(self, path: str) -> str | None:
        """The repository path a symlink at ``path`` leads to, resolved as the system would:
        component by component, through links to folders, ``..`` after a linked folder taken
        from where that link points, and links at the end followed too. None when ``path`` is
        no symlink, or the link leads out of the repository or round in a loop."""
        walked = self._walk_link(path)
        return walked[0] if walked is not None else None

    def link_chain(self, path: str) -> list[str | None] | None:
        """What a symlink at ``path`` passes through, in order: every link on the way, then the
        path it ends at (None: out of the repository). None for a loop or over `MAX_HOPS`
        links (where the system gives up with ELOOP too). A change to any of them is a change
        of what the link serves."""
        walked = self._walk_link(path)
        if walked is None:
            return None
        final, passed = walked
        return [*passed[1:], final]

    def resolve_path(self, folder: str, relative: str) -> str | None:
        """The repository path ``relative`` names from ``folder`` (a DVC output beside its
        ``.dvc`` file), resolved as the system would: ``..`` and links on the way, and at the
        end, followed as `link_target` follows them. None: out of the repository (``..`` past
        the root, an absolute path, a link out of it) or a loop."""
        if not relative or relative.startswith("/"):
            return None
        walked = self._walk(folder, relative, [])
        return walked[0] if walked is not None else None

    def path_chain(self, path: str) -> list[str | None] | None:
        """What opening ``path`` passes through, as the system would walk it: every symlink on
        the way (a linked folder, ``ci`` of ``ci/baseline.json``; ``path`` itself when it is
        one), then the path it ends at (None: out of the repository). None for a loop. A
        change to any of them changes the bytes ``path`` reads."""
        walked = self._walk("", path, [])
        if walked is None:
            return None
        final, passed = walked
        return [*passed, final]

    def _walk_link(self, path: str) -> tuple[str | None, list[str]] | None:
        text = self._link_text(path)
        if text is None:
            return None
        if text.startswith("/"):
            return None, [path]
        return self._walk(posixpath.dirname(path), text, [path])

    def _walk(
        self, folder: str, text: str, passed: list[str]
    ) -> tuple[str | None, list[str]] | None:
        resolved = [p for p in folder.split("/") if p not in ("", ".")]
        queue = text.split("/")
        while queue:
            part = queue.pop(0)
            if part in ("", "."):
                continue
            if part == "..":
                if not resolved:
                    return None, passed  # up past the repository's root
                resolved.pop()
                continue
            candidate = "/".join([*resolved, part])
            if self.mode(candidate) != SYMLINK:
                resolved.append(part)
                continue
            if len(passed) >= MAX_HOPS:
                return None  # a loop, or a chain the system would refuse (ELOOP)
            passed.append(candidate)
            target = self._link_text(candidate) or ""
            if target.startswith("/"):
                return None, passed
            queue = target.split("/") + queue  # relative to the link's own folder
        return "/".join(resolved), passed

    def _link_text(self, path: str) -> str | None:
        entry = self._entries.get(path) or self._lookup(path)
        if entry is None or entry[0] != SYMLINK:
            return None
        found = self.objects.read(entry[1], limit=4096)
        return found[2].decode("utf-8", "surrogateescape") if found else ""

    def symlinks(self) -> list[str]:
        """Every symlink of the tree. Usually noted by the marker listing (`find`), which reads
        the whole tree anyway; otherwise one listing of its own, kept."""
        if self._links is None:
            args = self._listing_args()
            out = git.run(args, self.root) if args is not None else b""
            links = []
            for record in _records_with_mode(out, SYMLINK):
                meta, _, raw = record.partition(b"\t")
                mode, blob, stage = self._listing_meta(meta.decode("ascii"))
                if stage == "0":
                    path = git.decode_path(raw)
                    self._entries[path] = (mode, blob)
                    links.append(path)
            self._links = sorted(links)
        return self._links

    def noted(self) -> list[str]:
        """Every ``*.dvc`` file, ``dvc.lock``, DVC configuration and attestation file
        (`is_noted`) of the tree. Noted by the marker listing (`find`) as symlinks are;
        otherwise one listing of its own, kept."""
        if self._dvc is None and self._dvc_source is not None:
            self._dvc = list(self._dvc_source())
        if self._dvc is None:
            self._dvc = self._find(GlobSet(NOTED_PATTERNS))
        return self._dvc

    def dvc_files(self) -> list[str]:
        """Every ``*.dvc`` file and ``dvc.lock`` of the tree (`is_dvc_file`)."""
        return [p for p in self.noted() if is_dvc_file(p)]

    def dvc_configs(self) -> list[str]:
        """Every DVC configuration file of the tree, at any depth (`is_dvc_config`)."""
        return [p for p in self.noted() if is_dvc_config(p)]

    def attestation_files(self) -> list[str]:
        """Every attestation file of the tree (a file, link or submodule so named; a folder
        so named holds no attestations and is not one)."""
        return [p for p in self.noted() if is_attestation(p)]

    def know_noted(self, source: Callable[[], Sequence[str]]) -> None:
        """Where the tree's noted files come from without listing it, asked on first use: diff
        mode derives the head's as it does its symlinks (`treeindex`)."""
        self._dvc_source = source

    def _note(self, paths: list[str]) -> None:
        if self._dvc is None:
            self._dvc = sorted(set(paths))

    def know_links(self, links: Mapping[str, str]) -> None:
        """The tree's symlinks (path → blob id), known without listing it: diff mode derives
        the head's from the base's and the change (`treeindex`)."""
        for path, blob in links.items():
            self._entries.setdefault(path, (SYMLINK, blob))
        self._links = sorted(links)

    def _listing_args(self) -> list[str] | None:
        """The git command listing every entry with its mode (None: the tree is empty)."""
        raise NotImplementedError

    @staticmethod
    def _listing_meta(meta: str) -> tuple[str, str, str]:
        """(mode, blob id, merge stage) from the part of a listing record before the tab."""
        raise NotImplementedError

    def exists(self, path: str) -> bool:
        if path in self._entries or path == "":
            return True
        if _below_any(path, self._listed):
            # Answered from the listing: a component's own ledger or schema costs no git call.
            if self._folders is None:
                self._folders = ancestors({posixpath.dirname(p) for p in self._entries})
            return path in self._folders
        return self._exists(path)

    def _exists(self, path: str) -> bool:
        if not path.endswith("/") and path.rpartition("/")[0] in self._read_folders:
            return path in self._entries  # ("a/b/" is git's "a/b": asked of git below)
        return self.objects.read(self._object_name(path), limit=0) is not None

    def exists_many(self, paths: Collection[str]) -> set[str]:
        return {p for p in paths if self.exists(p)}

    def _lookup(self, path: str) -> tuple[str, str] | None:
        parent = path.rpartition("/")[0]
        self.load_folders([parent])
        return self._entries.get(path) if parent in self._read_folders else None

    def load_folders(self, folders: Collection[str]) -> None:
        """Read the tree objects of ``folders`` and of the folders above them in one round trip
        per batch, and note every entry they hold: a lookup in them then costs no git call.

        A folder counts only when its parent lists it as a folder (mode 040000), from the root
        down. ``rev:path`` names whatever object the entry points at: a submodule pinned to
        the id of a tree the repository holds reads as that tree, a folder git does not see
        (its path ends at the submodule). A name that is no folder is left alone."""
        wanted = sorted(ancestors(set(folders)) | {""}, key=lambda f: (f.count("/"), f))
        wanted = [f for f in wanted if f not in self._read_folders]
        if not wanted:
            return
        answers = self.objects.read_many([self._object_name(f) for f in wanted], limit=None)
        for folder, found in zip(wanted, answers, strict=True):  # parents before children
            if found is None or found[1] != "tree" or not self._a_folder(folder):
                continue
            prefix = f"{folder}/" if folder else ""
            children = []
            for mode, entry, sha in git.parse_tree(found[2]):
                self._entries.setdefault(prefix + entry, (mode, sha))
                children.append(prefix + entry)
            self._children[folder] = children
            self._read_folders.add(folder)

    def children(self, folder: str) -> list[str]:
        """The paths directly in ``folder`` (files, links, folders, submodules), as git sees the
        folder: [] when it is none (missing, a file, a link, a submodule)."""
        self.load_folders([folder])
        return list(self._children.get(folder, ()))

    def _a_folder(self, folder: str) -> bool:
        """Whether ``folder`` is a folder of this tree, as its parent (read already) lists it."""
        if not folder:
            return True
        if folder.rpartition("/")[0] not in self._read_folders:
            return False
        entry = self._entries.get(folder)
        return entry is not None and entry[0] == "40000"

    def read_bytes(self, path: str) -> bytes:
        entry = self._entries.get(path) or self._lookup(path)
        if entry is None:
            raise ArtifactError(path, f"not in {self.label}")
        mode, blob = entry
        if path in self._small and mode != SYMLINK:
            return self._small[path]
        if mode == GITLINK or mode.startswith("4"):
            raise ArtifactError(path, "is a directory or submodule, not a file")
        if mode == SYMLINK:
            return self._read_link(path, blob)
        found = self.objects.read(blob, limit=self.max_file_size)
        if found is None:
            raise ArtifactError(path, f"object {blob[:12]} is missing")
        if found[1].startswith("blob:"):
            size = int(found[1].split(":")[1])
            raise too_large(path, size, self.max_file_size)
        return found[2]

    def _read_link(self, path: str, blob: str) -> bytes:
        hops = self.link_chain(path)
        if hops is None:
            raise ArtifactError(path, "symlink loop (or a chain over 40 links); not read")
        if not hops or hops[-1] is None:
            raise ArtifactError(path, "symlink points outside the repository; not read")
        return self.read_bytes(hops[-1])


def is_dvc_file(path: str) -> bool:
    """A ``*.dvc`` file or a ``dvc.lock``: what DVC records about content git does not hold."""
    return path.endswith((".dvc", "/dvc.lock")) or path == "dvc.lock"


def is_dvc_config(path: str) -> bool:
    """A DVC project's committed configuration, the root's or a subproject's."""
    return path in DVC_CONFIGS or path.endswith(_DVC_CONFIG_ENDS)


_DVC_CONFIG_ENDS = tuple(f"/{c}" for c in DVC_CONFIGS)  # asked of every changed path


def is_attestation(path: str) -> bool:
    return path == ATTESTATIONS or path.endswith(_ATTESTATION_END)


_ATTESTATION_END = f"/{ATTESTATIONS}"  # asked of every changed path


def is_noted(path: str) -> bool:
    """What a listing notes on the way (`GitTree.noted`)."""
    return is_dvc_file(path) or is_dvc_config(path) or is_attestation(path)


def _records_with_mode(listing: bytes, mode: str) -> Iterator[bytes]:
    """The NUL-separated records of ``listing`` that start with ``mode``, found with
    ``bytes.find`` (in C): symlinks are a handful among a 100k-entry listing."""
    needle = b"\0" + mode.encode("ascii") + b" "
    listing = b"\0" + listing
    start = listing.find(needle)
    while start != -1:
        end = listing.find(b"\0", start + 1)
        yield listing[start + 1 : end if end != -1 else len(listing)]
        start = listing.find(needle, end) if end != -1 else -1


def resolve_link(path: str, target: str) -> str | None:
    """The repository path a link at ``path`` with text ``target`` names, or None outside."""
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(path), target))
    if not target or target.startswith("/") or joined == ".." or joined.startswith("../"):
        return None
    return "" if joined == "." else joined

"""A commit's tree (``git ls-tree``): the base and head of a pull request, a --policy-ref."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Collection, Iterator
from pathlib import Path

from roadworthy.workspace import git
from roadworthy.workspace.listing import inside
from roadworthy.workspace.revtree import GitTree, is_noted
from roadworthy.workspace.worktree import DEFAULT_MAX_FILE_SIZE


class CommitTree(GitTree):
    def __init__(
        self,
        root: Path,
        rev: str,
        objects: git.ObjectReader,
        max_file_size: int = DEFAULT_MAX_FILE_SIZE,
    ) -> None:
        super().__init__(root, objects, max_file_size)
        self.rev = rev
        self._expected: tuple[frozenset[str], git.Pending] | None = None  # expect_files_under
        self.label = rev[:12] if len(rev) == 40 else rev

    def _names(
        self, keep: git.NameFilter | None = None, stop: threading.Event | None = None
    ) -> Iterator[str]:
        if self.rev == git.EMPTY_TREE:
            return iter(())
        return self._names_and_links(keep, stop)

    def _names_and_links(
        self, keep: git.NameFilter | None, stop: threading.Event | None
    ) -> Iterator[str]:
        """The whole tree's names, noting its symlinks and noted files on the way: diff mode needs
        them too, and one listing costs half of two (see `GitTree.symlinks`)."""
        args = ["ls-tree", "-r", "-z", "--full-tree", self.rev]
        links: list[tuple[str, str]] = []
        dvc: list[str] = []
        for record in git.iter_z(args, self.root, git.ListingFilter(keep), stop):
            meta, _, path = record.partition("\t")
            noted = meta.startswith("120000 ")
            if noted:
                links.append((path, meta.split(" ")[2]))
            if is_noted(path):
                dvc.append(path)
                noted = True
            # Noted on the way, yielded only when the patterns asked for it.
            if (
                noted
                and keep is not None
                and not keep.apply([path.encode("utf-8", "surrogateescape")])
            ):
                continue
            yield path
        if stop is None or not stop.is_set():
            for path, blob in links:
                self._entries.setdefault(path, ("120000", blob))
            if self._links is None:
                self._links = sorted(path for path, _ in links)
            self._note(dvc)

    def expect_files_under(self, dirs: Collection[str]) -> None:
        """Start listing ``dirs`` now: git lists them while the caller does other work, and the
        `files_under` of exactly these reads the answer (`drop_expected`: none will). The
        listing of these started already goes on."""
        if self._expected is not None and self._expected[0] == frozenset(dirs):
            return
        self.drop_expected()
        if self.rev != git.EMPTY_TREE and dirs:
            self._expected = (frozenset(dirs), git.Pending(self._listing_of(dirs), self.root))

    def drop_expected(self) -> None:
        expected, self._expected = self._expected, None
        if expected is not None:
            expected[1].close()

    def _listing_of(self, dirs: Collection[str]) -> list[str]:
        # Literal: git reads a pathspec that begins with ":" as magic (":m/" is "m/" from the
        # top, ":!m/" an exclude ls-tree refuses), and the listing answers the folder's children.
        specs = [] if "" in dirs else [f":(literal){d}/" for d in sorted(dirs)]
        # -l adds sizes: a file over 1 KiB cannot be a Git LFS pointer, no need to read it.
        return ["ls-tree", "-r", "-l", "-z", "--full-tree", self.rev, "--", *specs]

    def _entries_under(self, dirs: Collection[str]) -> Iterator[tuple[str, str, str]]:
        if self.rev == git.EMPTY_TREE:
            return
        expected, self._expected = self._expected, None
        if expected is not None and expected[0] == frozenset(dirs):
            chunks = expected[1].chunks()
        else:
            if expected is not None:
                expected[1].close()
            chunks = git.iter_z_chunks(self._listing_of(dirs), self.root)
        for record in map(git.decode_path, itertools.chain.from_iterable(chunks)):
            meta, _, path = record.partition("\t")
            mode, _, blob, size = meta.split()
            if size.isdigit():
                self._sizes[path] = int(size)
            yield mode, blob, path

    def _object_name(self, path: str) -> str:
        return f"{self.rev}:{path}"

    def children(self, folder: str) -> list[str]:
        """As `GitTree.children`; a folder inside one listed already is answered from the
        listing. Reading its tree object would read every folder above it too, to see that
        each holds the next as a folder: at 10,000 components those are thousands of entries
        for each component's parent (30 ms for the folders of a hundred components)."""
        if not folder or folder in self._read_folders or not self.is_listed(folder):
            return super().children(folder)
        # A listing names files (and submodules) only: a folder is there when a path below it
        # is. Whatever git does not descend into (a link, a submodule, a file) lists nothing.
        if self._paths is None:
            self._paths = sorted(self._entries)
        paths, prefix = self._paths, f"{folder}/"
        cut = len(prefix)
        return sorted({prefix + paths[i][cut:].partition("/")[0] for i in inside(paths, folder)})

    def _listing_args(self) -> list[str] | None:
        if self.rev == git.EMPTY_TREE:
            return None
        return ["ls-tree", "-r", "-z", "--full-tree", self.rev]

    @staticmethod
    def _listing_meta(meta: str) -> tuple[str, str, str]:
        mode, _, blob = meta.split(" ")
        return mode, blob, "0"

"""The index (``git ls-files``): the commit about to be made, what --staged and the hook check."""

from __future__ import annotations

import threading
from collections.abc import Collection, Iterator

from roadworthy.formats.globs import GlobSet
from roadworthy.workspace import git
from roadworthy.workspace.revtree import GitTree, is_noted


class IndexTree(GitTree):
    label = "index"

    def _names(
        self, keep: git.NameFilter | None = None, stop: threading.Event | None = None
    ) -> Iterator[str]:
        return git.iter_z(["ls-files", "-z", "--cached"], self.root, keep, stop)

    def _entries_under(self, dirs: Collection[str]) -> Iterator[tuple[str, str, str]]:
        # Many pathspecs make git slow (each entry is matched against each); past a few dozen
        # folders one full listing filtered here is cheaper.
        # Literal: a folder named ":m", "c*" or "[ab]" is no magic or glob (see CommitTree).
        specs = [] if "" in dirs or len(dirs) > 48 else [f":(literal){d}/" for d in sorted(dirs)]
        args = ["ls-files", "-s", "-z", "--", *specs]
        for record in git.iter_z(args, self.root):
            meta, _, path = record.partition("\t")
            mode, blob, stage = meta.split(" ")
            if stage == "0":
                yield mode, blob, path

    def _object_name(self, path: str) -> str:
        return f":{path}"

    def _listing_args(self) -> list[str] | None:
        return ["ls-files", "-s", "-z"]

    @staticmethod
    def _listing_meta(meta: str) -> tuple[str, str, str]:
        mode, blob, stage = meta.split(" ")
        return mode, blob, stage

    def _find(self, patterns: GlobSet, stop: threading.Event | None = None) -> list[str]:
        # One listing with modes answers the patterns and notes every symlink on the way (diff
        # mode needs both; see `GitTree.symlinks`).
        if not patterns:
            return []
        matches = patterns.fast_matcher()
        split = patterns.name_filter()
        keep = git.NameFilter(*split) if split is not None else None
        links: list[tuple[str, str]] = []
        found = []
        dvc = []
        for record in git.iter_z(
            ["ls-files", "-s", "-z"], self.root, git.ListingFilter(keep), stop
        ):
            meta, _, path = record.partition("\t")
            mode, blob, stage = meta.split(" ")
            if mode == "120000" and stage == "0":
                links.append((path, blob))
            if stage == "0" and is_noted(path):
                dvc.append(path)
            if matches(path):  # an unmerged path too, once per stage: approve refuses it
                found.append(path)
        if stop is None or not stop.is_set():
            for path, blob in links:
                self._entries.setdefault(path, ("120000", blob))
            if self._links is None:
                self._links = sorted(path for path, _ in links)
            self._note(dvc)
        return sorted(set(found))

    def _lookup(self, path: str) -> tuple[str, str] | None:
        for mode, blob, found in self._literal(path):
            if found == path:
                self._entries[path] = (mode, blob)
                return mode, blob
        return None

    def _exists(self, path: str) -> bool:
        # One listing answers both "a file?" (its entry, kept for reading it) and "a folder?".
        for mode, blob, found in self._literal(path):
            if found == path:
                self._entries[path] = (mode, blob)
            return True
        return False

    def _literal(self, spec: str) -> Iterator[tuple[str, str, str]]:
        for record in git.iter_z(["ls-files", "-s", "-z", "--", f":(literal){spec}"], self.root):
            meta, _, found = record.partition("\t")
            mode, blob, stage = meta.split(" ")
            if stage == "0":
                yield mode, blob, found

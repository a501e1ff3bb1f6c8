"""The index as ``--staged`` sees it: HEAD's tree with the staged change laid over it.

Every read of the index makes git parse all of it (73 MB and ~80 ms at 500k files), and a
check asks many small questions (is there a CODEOWNERS? what is in this folder?). The staged
diff (``diff-index --cached``, the one read of the index a run needs) says exactly where the
index differs from HEAD, with modes and blob ids, so every other answer comes from HEAD's
tree, which git reads folder by folder.

What the diff says of the index's own states, as a listing of it would: a path added with
``git add -N`` is an added empty blob; an unmerged path (status U) has no stage-0 entry, so it
is neither a file nor does it keep a folder in existence (`IndexTree` skips it too).
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from pathlib import Path
from typing import Protocol

from roadworthy.workspace import git
from roadworthy.workspace.commit import CommitTree
from roadworthy.workspace.index import IndexTree


class Change(Protocol):
    """What `stage` reads of a `changes.Change` (which imports this module)."""

    @property
    def status(self) -> str: ...
    @property
    def before(self) -> str | None: ...
    @property
    def after(self) -> str | None: ...
    @property
    def new_mode(self) -> str: ...
    @property
    def new_blob(self) -> str | None: ...


class StagedTree(IndexTree):
    """The index, answered from ``head`` (HEAD's tree) and the staged change once it is known
    (`stage`); before that, from the index itself."""

    def __init__(
        self, root: Path, objects: git.ObjectReader, max_file_size: int, head: CommitTree
    ) -> None:
        super().__init__(root, objects, max_file_size)
        self.head = head
        self._added: dict[str, tuple[str, str]] | None = None  # path → (mode, blob)
        self._gone: set[str] = set()  # HEAD's paths the index does not hold at stage 0

    def stage(self, changes: Sequence[Change]) -> None:
        added: dict[str, tuple[str, str]] = {}
        for change in changes:
            if change.before is not None and change.status != "C":
                self._gone.add(change.before)
        for change in changes:
            after = change.after
            if after is not None and change.status != "U" and change.new_blob is not None:
                added[after] = (change.new_mode, change.new_blob)
                self._gone.discard(after)
            elif after is not None:
                self._gone.add(after)  # unmerged: stages 1-3 only
        self._added = added

    def _entries_under(self, dirs: Collection[str]) -> Iterator[tuple[str, str, str]]:
        if self._added is None:
            yield from super()._entries_under(dirs)
            return
        self.head.max_file_size = self.max_file_size
        for paths in self.head.files_under(dirs).values():
            for path in paths:
                if path in self._gone or path in self._added:
                    continue
                mode, blob = self.head._entries[path]
                size = self.head._sizes.get(path)
                if size is not None:
                    self._sizes[path] = size
                yield mode, blob, path
        whole = "" in dirs
        prefixes = tuple(f"{d}/" for d in dirs)
        for path, (mode, blob) in sorted(self._added.items()):
            if whole or path.startswith(prefixes):
                yield mode, blob, path

    def _lookup(self, path: str) -> tuple[str, str] | None:
        if self._added is None:
            return super()._lookup(path)
        entry = self._added.get(path)
        if entry is None and path not in self._gone:
            entry = self.head._entries.get(path) or self.head._lookup(path)
            if entry is not None and entry[0].startswith("4"):
                entry = None  # the index holds files only: a folder has no entry
        if entry is not None:
            self._entries[path] = entry
        return entry

    def load_folders(self, folders: Collection[str]) -> None:
        if self._added is None:
            super().load_folders(folders)
        else:
            self.head.load_folders(folders)  # lookups here go to HEAD's tree, then the diff

    def _exists(self, path: str) -> bool:
        if self._added is None:
            return super()._exists(path)
        if self._lookup(path) is not None:
            return True
        inside = f"{path}/"
        if any(p.startswith(inside) for p in self._added):
            return True
        if path in self._gone or not self.head.is_folder(path):
            return False
        if not any(p.startswith(inside) for p in self._gone):
            return True  # a folder of HEAD's the change took nothing from
        # Something under it left the index: it is there if anything else is.
        return any(p not in self._gone for _, _, p in self.head._entries_under([path]))

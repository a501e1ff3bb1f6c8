"""The head's marker files and symlinks in diff mode, at the cost of the change.

The head of a change is its base plus the diff: the base's entry (`treecache`, or one listing
of the base, kept for the next run) with the removed paths taken out and the added ones put
in gives the head's, and only the folders the change touches are qualified again. Qualifying
a marker (`markers.qualify`) looks at its own folder alone — its companion, the marker's own
text, the other markers beside it — except through a symlink, whose target can be anywhere:
so the markers in every folder holding a changed path, and every marker that is a symlink,
are qualified on the head; the others keep the base's answer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from roadworthy.formats.globs import GlobSet
from roadworthy.workspace import git
from roadworthy.workspace.changes import Change, Sides, changed_folders, parse_changes
from roadworthy.workspace.revtree import SYMLINK, GitTree, is_noted
from roadworthy.workspace.treecache import Entry, TreeCache

ANCESTORS = 32  # commits before the base looked at for a kept entry (one git log)

# markers.qualify with the patterns bound: the files among ``found`` that really mark a model.
Qualify = Callable[[GitTree, list[str]], list[str]]


class HeadIndex:
    """Finds the head's `Entry` for a change between ``sides``."""

    def __init__(self, root: Path, sides: Sides, objects: git.ObjectReader) -> None:
        self.sides = sides
        self.objects = objects
        try:
            common = git.common_dir(root)
            # With a replace ref or grafts a tree id does not pin what git reads under it.
            rewritten = git.rewrites_objects(root, common)
        except git.GitCommandError:
            common, rewritten = root, True
        self.rewritten = rewritten
        self.cache = TreeCache(None) if rewritten else TreeCache.at(common)
        self._trees: dict[str, str | None] = {}
        self._loaded: dict[tuple[str, tuple[str, ...]], Entry | None] = {}
        self._ancestors: list[str] | None = None  # tree ids of the commits before the base
        self._base: Entry | None = None  # the base's, once settled

    def prefetch(self, patterns: GlobSet) -> None:
        """List the base on a thread, unless an entry for these patterns is kept."""
        key = tuple(patterns.patterns)
        if (
            self._kept(self.sides.head_rev, key)
            or self._kept(self.sides.base_rev, key)
            or self._older(key)
        ):
            self.sides.base.cancel_prefetch()
            return
        self.sides.base.prefetch(patterns)

    def close(self) -> None:
        self.sides.base.cancel_prefetch()
        self.cache.close()

    def guess(self, patterns: GlobSet) -> Entry | None:
        """The head's entry as it most likely is, from what is kept alone (no listing): the
        head's own, else the base's (most changes add and remove no marker). `settle` says
        what it is; a guess is only ever compared with that."""
        key = tuple(patterns.patterns)
        size = self.sides.head.max_file_size
        for rev in (self.sides.head_rev, self.sides.base_rev):
            entry = self._kept(rev, key)
            if entry is not None and entry.max_file_size == size:
                return entry
        return None

    def settle(self, changes: Sequence[Change], patterns: GlobSet, qualify: Qualify) -> Entry:
        """The head's entry, after the policy set the trees' file size limit."""
        key = tuple(patterns.patterns)
        size = self.sides.head.max_file_size
        head_tree = self._tree(self.sides.head_rev)
        entry = self._kept(self.sides.head_rev, key)
        if entry is not None and not covers(entry, changes, patterns):
            # A kept entry that lacks a marker the change adds is not this tree's: list it.
            entry = listed(self.sides.head, patterns, qualify)
            if head_tree is not None:
                self.cache.store(head_tree, key, entry)
        elif entry is None or entry.max_file_size != size:
            base = self._base_entry(patterns, qualify)
            entry = derive(base, changes, patterns, self.sides.head, qualify)
            if head_tree is not None:
                self.cache.store(head_tree, key, entry)
        head = self.sides.head
        head.know_links(dict(entry.links))
        head.know_noted(lambda: entry.noted)
        # The base's noted files too, should a digest of the base ask (kept, or listed then).
        self.sides.base.know_noted(lambda: self._base_entry(patterns, qualify).noted)
        return entry

    def _base_entry(self, patterns: GlobSet, qualify: Qualify) -> Entry:
        if self._base is not None:
            return self._base
        key = tuple(patterns.patterns)
        tree = self.sides.base
        size = tree.max_file_size
        kept = self._kept(self.sides.base_rev, key)
        if kept is not None and kept.max_file_size == size:
            self._base = kept
            return kept
        older = self._older(key) if kept is None else None
        if older is not None and older[1].max_file_size == size:
            # A commit before the base is kept (the last commit's run, before this one):
            # the base is that commit plus the difference, like any head.
            tree.cancel_prefetch()
            entry = derive(older[1], self._between(older[0]), patterns, tree, qualify)
        else:
            if kept is not None:
                found = list(kept.markers)  # listed, but qualified under another size limit
                unqualified = frozenset(found) - set(qualify(tree, found))
                entry = Entry(tuple(found), unqualified, size, kept.links, kept.noted)
            else:
                entry = listed(tree, patterns, qualify)
        base_tree = self._tree(self.sides.base_rev)
        if base_tree is not None:
            self.cache.store(base_tree, key, entry)
        self._base = entry
        return entry

    def _older(self, key: tuple[str, ...]) -> tuple[str, Entry] | None:
        """The nearest of the base's first-parent ancestors whose entry is kept: (its tree
        id, the entry)."""
        rev = self.sides.base_rev
        if rev is None or self.cache.folder is None:
            return None
        if self._ancestors is None:
            args = ["log", "--first-parent", f"--max-count={ANCESTORS}", "--format=%T", rev]
            try:
                found = git.run([*args, "--"], self.sides.base.root).decode("ascii").split()
            except git.GitCommandError:
                found = []
            self._ancestors = found[1:]
        for tree in self._ancestors:
            if (tree, key) not in self._loaded:
                self._loaded[tree, key] = self.cache.load(tree, key)
            entry = self._loaded[tree, key]
            if entry is not None:
                return tree, entry
        return None

    def _between(self, older: str) -> tuple[Change, ...]:
        base = self._tree(self.sides.base_rev)
        raw = git.raw_diff(self.sides.base.root, ["diff-tree", "-r", older, str(base)])
        return parse_changes(raw)

    def _kept(self, rev: str | None, key: tuple[str, ...]) -> Entry | None:
        tree = self._tree(rev)
        if tree is None:
            return None
        if (tree, key) not in self._loaded:
            self._loaded[tree, key] = self.cache.load(tree, key)
        return self._loaded[tree, key]

    def _tree(self, rev: str | None) -> str | None:
        """The tree id of a commit (None: the index, or nothing committed yet)."""
        if rev is None or rev == git.EMPTY_TREE:
            return None
        if rev not in self._trees:
            self._trees[rev] = self.objects.tree_of(rev)
        return self._trees[rev]


def listed(tree: GitTree, patterns: GlobSet, qualify: Qualify) -> Entry:
    """A tree's entry from a listing of the whole tree."""
    found = tree.find(patterns)
    links = tuple((p, tree.blob_id(p) or "") for p in tree.symlinks())
    unqualified = frozenset(found) - set(qualify(tree, found))
    return Entry(tuple(found), unqualified, tree.max_file_size, links, tuple(tree.noted()))


def covers(entry: Entry, changes: Sequence[Change], patterns: GlobSet) -> bool:
    """Whether ``entry`` lists every marker the change adds or modifies, and none it removes:
    a cheap check that a kept head entry belongs to this change's head (one that does not is
    never used)."""
    matches = patterns.fast_matcher()
    markers = set(entry.markers)
    after = {c.after for c in changes if c.after is not None}
    if not all(path in markers for path in after if matches(path)):
        return False
    gone = {c.before for c in changes if c.before is not None and c.status != "C"} - after
    return markers.isdisjoint(gone)


def derive(
    base: Entry, changes: Sequence[Change], patterns: GlobSet, head: GitTree, qualify: Qualify
) -> Entry:
    """The head's entry: the base's with the change applied, qualified again where it can
    differ (see the module's docstring)."""
    matches = patterns.fast_matcher()
    markers = set(base.markers)
    links = dict(base.links)
    noted = set(base.noted)
    for change in changes:
        # A copy leaves its source in place; everything else moves or removes it.
        if change.before is not None and change.status != "C":
            markers.discard(change.before)
            links.pop(change.before, None)
            noted.discard(change.before)
    for change in changes:
        after = change.after
        if after is None:
            continue
        if matches(after):
            markers.add(after)  # an unmerged path too, as a listing of the index has it
        if change.status == "U":
            continue  # no stage-0 entry: neither a link nor a noted file of the index
        if change.new_mode == SYMLINK and change.new_blob is not None:
            links[after] = change.new_blob
        if is_noted(after):
            noted.add(after)
    again = set(changed_folders(changes))
    again |= {link.rpartition("/")[0] for link in links if link in markers}
    redo = sorted(m for m in markers if m.rpartition("/")[0] in again)
    kept = {m for m in base.unqualified if m in markers and m.rpartition("/")[0] not in again}
    unqualified = kept | (set(redo) - set(qualify(head, redo)))
    size = head.max_file_size
    pairs = tuple(sorted(links.items()))
    return Entry(tuple(sorted(markers)), frozenset(unqualified), size, pairs, tuple(sorted(noted)))

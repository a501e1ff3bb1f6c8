"""What a change does to each component: the context diff-mode checks are given.

Everything here is computed at most once per component and only for the components the change
touches, so its cost follows the size of the change.
"""

from __future__ import annotations

import hashlib
import posixpath
from collections.abc import Callable, Iterable, Sequence
from functools import cached_property
from pathlib import Path
from typing import Any

from roadworthy.artifacts import ArtifactReader
from roadworthy.change import dvc_reach, ledger, provenance
from roadworthy.change.verdict import Review
from roadworthy.discovery import Found, Guessed, KeptDocuments
from roadworthy.errors import Location, PolicyError
from roadworthy.formats import contract_diff, dvc, keys, lfs, yamlio
from roadworthy.formats.codeowners_file import CodeOwners
from roadworthy.formats.globs import GlobSet, matcher
from roadworthy.metadata import Component, Metadata, resolve
from roadworthy.policy.model import (
    DEFAULT_MARKERS,
    MARKER_COMPANIONS,
    STAGES,
    ChangeControl,
    Owner,
    Policy,
)
from roadworthy.records import NamedTuple
from roadworthy.workspace.changes import Change, ChangeSet, changed_paths
from roadworthy.workspace.listing import inside
from roadworthy.workspace.revtree import GITLINK, SYMLINK, GitTree, is_dvc_file
from roadworthy.workspace.worktree import ArtifactError, Tree

EMPTY_DIGEST = "sha256:" + hashlib.sha256(b"").hexdigest()


class MaterialChange(NamedTuple):
    kind: str  # a material name ("weights", ...), or stage, risk, owners, added, removed, contract
    path: str | None
    detail: str

    def __str__(self) -> str:
        return self.detail


class Relink(NamedTuple):
    """A symlink outside every component that a change adds, re-points or removes."""

    link: str
    old: str | None  # what it pointed at in the base (None: no link there, or out of the repo)
    new: str | None  # what it points at in the head

    def serves(self, component_path: str) -> bool:
        """Whether either end is the component, inside it, or a folder holding it."""
        return any(
            t is not None
            and (t == component_path or _inside(t, component_path) or _inside(component_path, t))
            for t in (self.old, self.new)
        )

    def describe(self) -> str:
        link = f"weights: {self.link}, a symlink outside any component,"
        if self.old is None:
            return f"{link} now serves {self.new}"
        if self.new is None:
            return f"{link} no longer serves {self.old} (removed, or pointed out of the repository)"
        return f"{link} now points at {self.new} (was {self.old})"


class HeadPolicy(NamedTuple):
    """The policy as the change leaves it: loaded, or the reason it does not load."""

    policy: Policy | None
    error: PolicyError | None


class ChangeInputs(NamedTuple):
    """Diff mode: the change, the policy it leaves behind, who wrote it."""

    changes: ChangeSet
    root: Path
    head_policy: HeadPolicy
    authors: Callable[[Sequence[str]], frozenset[str]]  # e-mails of who changed these paths
    review_approvals: tuple[Review, ...] = ()  # PR reviews approving the head (verdict.Review)
    # The head's marker files, found without listing it (`workspace.treeindex`); None: list.
    head_markers: tuple[str, ...] | None = None
    kept: KeptDocuments | None = None  # where discovery's layout of them is kept between runs
    # The base's and the head's readers, when made already (CODEOWNERS read while git diffs).
    readers: tuple[ArtifactReader, ArtifactReader] | None = None
    # The layout kept for the markers the head most likely has, read while git diffed.
    guessed: Guessed | None = None


class ChangeView:
    """Read-only to its callers: every answer is computed once, on first use, and kept."""

    def __init__(self, policy: Policy, inputs: ChangeInputs) -> None:
        self.policy = policy
        self.config: ChangeControl = policy.change_control
        self.inputs = inputs
        self.changes = inputs.changes
        self.root = inputs.root
        self.review_approvals = inputs.review_approvals
        made = inputs.readers
        if (
            made is not None
            and made[0].tree is self.changes.base
            and made[1].tree is self.changes.head
        ):
            self.base, self.head = made
        else:
            self.head = ArtifactReader(inputs.changes.head)
            self.base = ArtifactReader(inputs.changes.base)
        # Answers keyed by what they are about (component path, path set).
        self._material: dict[str, list[MaterialChange]] = {}
        self._base_components: dict[str, Component | None] = {}
        self._touched: dict[str, list[Change]] = {}
        self._base_files: dict[str, list[str]] = {}
        self._authors_of: dict[tuple[str, ...], frozenset[str]] = {}
        self._removed: dict[str, Found] = {}  # components only the base has, by path
        self._inherited: dict[str, list[Component]] = {}
        self._base_roots: dict[str, str | None] = {}  # folder → its component folder at the base
        self._links: dict[str, str] = {}  # see find_links
        self._looked = False  # whether find_links looked
        self._relinks: list[Relink] | None = None  # see relinked
        self._marker_check: tuple[Any, list[tuple[Any, str]]] | None = None  # see marks
        self._dvc_moved: tuple[list[dvc_reach.Reach], list[dvc_reach.Out]] | None = None

    def is_removed(self, component: Component) -> bool:
        return component.path in self._removed

    def removed_components(self, head_roots: set[str], names: set[str]) -> list[Found]:
        """Components the base had and the change removes, found from the removed paths alone
        (``head_roots``, ``names``: every component folder and name of the head)."""
        found = _find_removed(self, head_roots, names)
        self._removed = {f.path: f for f in found}
        return found

    # -- who may approve ----------------------------------------------------------------------
    def author_handles(self, paths: Sequence[str]) -> frozenset[str]:
        """Handles of whoever authored the change to ``paths`` in this range."""
        key = tuple(sorted(paths))
        if key not in self._authors_of:
            people = self.policy.people
            emails = self.inputs.authors(key)  # git is asked only when an approval is judged
            self._authors_of[key] = frozenset(
                h for e in emails for h in provenance.every_handle(e, people)
            )
        return self._authors_of[key]

    def base_codeowners(self) -> CodeOwners | None:
        """CODEOWNERS as the base revision has it: a change cannot make its author an owner."""
        return self.base.codeowners()

    def owners_of(
        self, path: str, metadata_owners: tuple[Owner, ...], *, is_dir: bool
    ) -> frozenset[str]:
        handles = {o.handle.lower() for o in metadata_owners}
        codeowners = self.base_codeowners()
        match = codeowners.owners_of(path, is_dir=is_dir) if codeowners else None
        handles |= {h.lower() for h in match.owners} if match else set()
        return frozenset(handles)

    def added_owners(self, component: Component) -> frozenset[str]:
        """Who approves a component the change adds: what the base records, never the card the
        change wrote (it could name an accomplice). The base CODEOWNERS rule for its folder;
        without one, the owners of the policy file; without either rule, nobody (a rule is added
        first, as a governance change). Only a base without CODEOWNERS falls back to the card."""
        codeowners = self.base_codeowners()
        policy_file = self.policy.location.path
        if codeowners is None:
            return frozenset(o.handle.lower() for o in component.meta.owners)
        for path, is_dir in ((component.path, True), (policy_file, False)):
            match = codeowners.owners_of(path, is_dir=is_dir) if path or is_dir else None
            if match is not None and match.owners:
                return frozenset(h.lower() for h in match.owners)
        return frozenset()  # nobody at the base: a CODEOWNERS rule for it must come first

    @cached_property
    def _checker(self) -> provenance.Checker | None:
        if self.config.verify == "entry" or self.changes.head_rev is None:
            return None
        signers = None
        allowed = self.config.allowed_signers
        if allowed and self.base.tree.exists(allowed):
            signers = self.base.text(allowed)
        return provenance.Checker(self.root, self.changes.head_rev, signers)

    def checker(self) -> provenance.Checker | None:
        """Verification beyond the entry, for committed history only (not a commit being made)."""
        return self._checker

    # -- which changes belong to a component ------------------------------------------------
    def touched(self, component_path: str) -> list[Change]:
        """The changes inside a component folder (either side of a rename counts), in the
        change set's order. A submodule's own change is inside the folder it is."""
        found = self._touched.get(component_path)
        if found is None:
            found = self._touched[component_path] = self._inside(component_path)
        return found

    def _inside(self, folder: str) -> list[Change]:
        changes = self.changes.changes
        if not folder:
            return list(changes)  # the root holds everything
        paths, owners, gitlinks = self._sorted_sides
        # The paths below a folder are one run of the sorted paths: a thousand changed files
        # and a few dozen components cost a few dozen binary searches, not a walk up from each.
        hits = set(gitlinks.get(folder, ())) | {owners[k] for k in inside(paths, folder)}
        return [changes[i] for i in sorted(hits)]

    @cached_property
    def _sorted_sides(self) -> tuple[list[str], list[int], dict[str, list[int]]]:
        """Both sides' paths of every change, sorted, each with its change's index; and the
        submodules' changes by their path."""
        pairs = sorted(
            (path, i)
            for i, change in enumerate(self.changes.changes)
            for path in {change.before, change.after}
            if path
        )
        gitlinks: dict[str, list[int]] = {}
        for i, change in enumerate(self.changes.changes):
            if change.is_gitlink:
                gitlinks.setdefault(change.path, []).append(i)
        return [p for p, _ in pairs], [i for _, i in pairs], gitlinks

    def changed_paths(self) -> frozenset[str]:
        return self._changed_paths

    def linked(self) -> dict[str, str]:
        """Symlinks of the head whose in-repository target the change touches → their targets
        (empty until `find_links` looked)."""
        return self._links

    def find_links(self) -> dict[str, str]:
        """Look for such symlinks. Any changed file can be what a link elsewhere serves as a
        component's weights (a content store's ``blobs/9f2c41``, another component's file), so
        every change is looked up in the head's symlinks (listed while the policy loads)."""
        from roadworthy.workspace.changes import linked

        self._links = linked(self.changes)
        self._looked = True
        return self._links

    def links(self) -> dict[str, str]:
        """`linked`, looked for now if nobody has yet."""
        return self._links if self._looked else self.find_links()

    def relinked(self) -> list[Relink]:
        """Symlinks that the change adds, re-points or removes, with what they point at on each
        side. Such a link is a serving path (``models/credit -> ../store/credit-v1``, also from
        inside a serving component): re-pointed, it serves other weights, so the components at
        either end are changed by it (the link's own component judges it as its file too)."""
        if self._relinks is None:
            self._relinks = []
            for change in self.changes.changes:
                link = change.after or change.before
                if SYMLINK not in (change.old_mode, change.new_mode) or link is None:
                    continue
                old = self._target(self.changes.base, change.before, change.old_mode)
                new = self._target(self.changes.head, change.after, change.new_mode)
                if old is not None or new is not None:
                    self._relinks.append(Relink(link, old, new))
        return self._relinks

    def _target(self, tree: GitTree, path: str | None, mode: str) -> str | None:
        """What a serving link leads to, when it serves weights: a folder, a file named like
        weights, a Git LFS pointer or a submodule (a re-pointed link to a README is no one's
        weights)."""
        target = tree.link_target(path) if path is not None and mode == SYMLINK else None
        if target is None:
            return None
        globs = [m.globs for m in self.config.material]
        if _stands_for_weights(tree, target, [target], globs):
            return target
        reader = self.head if tree is self.changes.head else self.base
        return target if self._pointer(reader, target) is not None else None  # Git LFS weights

    def outside_links(self, component: Component) -> list[str]:
        """The component's material symlinks (and DVC files, which stand for weights) that
        point out of what git records — out of the repository, or at a path the commit does not
        hold (``.git/…``, an ignored file): what they stand for cannot be seen in git, so no
        approval can name it."""
        tree, globs = self.changes.head, [m.globs for m in self.config.material]
        out = []
        for f in component.found.files:
            if tree.mode(f) != SYMLINK:
                continue
            if not (is_dvc_file(f) or f.endswith("dvc.yaml") or any(g.match(f) for g in globs)):
                continue
            target = tree.link_target(f)
            if target is None or not tree.exists(target):
                out.append(f)
        return out

    @cached_property
    def _changed_paths(self) -> frozenset[str]:
        return changed_paths(self.changes.changes)

    # -- the component as it was --------------------------------------------------------------
    def before(self, component: Component) -> Component | None:
        path = component.path
        if path not in self._base_components:
            self._base_components[path] = self._resolve_base(component.found)
        return self._base_components[path]

    def prefetch(self, founds: list[Found]) -> None:
        """List the base files of many components in one git call, and read the small files
        of both sides in one batch each."""
        # The listing also answers the folders `_was_component` asks of the base (each is a
        # component's folder or one inside it). Both sides of every changed file are kept:
        # placing a finding on its first changed line reads them.
        self._base_files.update(self.changes.base.files_under([f.path for f in founds]))
        changed = [c for f in founds for c in self.touched(f.path)]
        self.changes.base.objects.keep(
            [b for c in changed for b in (c.old_blob, c.new_blob) if b and c.new_mode != GITLINK]
        )
        self.changes.base.preload([p for f in founds for p in self._base_files.get(f.path, ())])
        self.changes.head.preload([p for f in founds for p in f.files])

    def inherited(self, component: Component) -> list[Component]:
        """The base's components, other than this one, that owned files the change touches in
        ``component``. A marker added above an existing component (``models/model.yaml`` over
        ``models/credit/``) folds it into a new one; the approval still needs what it needed."""
        if component.path not in self._inherited and not self._may_fold(component):
            self._inherited[component.path] = []
        if component.path not in self._inherited:
            roots = {self._base_root_of(c.before) for c in self.touched(component.path) if c.before}
            # A marker added above existing components folds them in even when none of their
            # files changes now (later changes would need only the new owners): every folder
            # of the component is asked what it belonged to at the base.
            roots |= {self._base_root_of(f) for f in component.found.files}
            roots.discard(component.path)
            found = sorted(r for r in roots if r is not None)
            self._inherited[component.path] = [self._base_component(r) for r in found]
        return self._inherited[component.path]

    def _may_fold(self, component: Component) -> bool:
        """Whether another component can live inside this one: a marker in a subfolder, or a
        declared folder below it. (Without one, the base had no component in here to fold; one
        whose markers the change removed is a removal, approved as such.)"""
        path = component.path
        return any(posixpath.dirname(m) != path for m in component.found.markers) or any(
            _inside(d.path, path) for d in self.policy.discovery.declare
        )

    def _base_root_of(self, path: str) -> str | None:
        folder = posixpath.dirname(path)
        if folder not in self._base_roots:
            markers = GlobSet(self.policy.discovery.markers).fast_matcher()
            declared = {d.path: d for d in self.policy.discovery.declare}
            self._base_roots[folder] = _base_root(self, path, markers, declared)
        return self._base_roots[folder]

    def _base_component(self, root: str) -> Component:
        """The component at ``root`` as the base has it (found from the base's files alone)."""
        declared = next((d for d in self.policy.discovery.declare if d.path == root), None)
        nested = [d.path for d in self.policy.discovery.declare if _inside(d.path, root)]
        files = [
            f
            for f in self.changes.base.files_under([root])[root]
            if not any(_inside(f, n) for n in nested if n != root)
        ]
        matcher = GlobSet(self.policy.discovery.markers).fast_matcher()
        markers = tuple(f for f in files if posixpath.dirname(f) == root and matcher(f))
        name = (declared.name if declared else None) or posixpath.basename(root) or "."
        anchor = Location(markers[0] if markers else root, 1)
        found = Found(str(name), root, anchor, markers, tuple(sorted(files)), declared)
        return resolve(found, self.base, self.policy)

    def _resolve_base(self, found: Found) -> Component | None:
        if not self._was_component(found):
            return None
        if found.path not in self._base_files:
            self.prefetch([found])
        files = self._base_files.get(found.path, [])
        nested = [
            d.path for d in self.policy.discovery.declare if d.path.startswith(f"{found.path}/")
        ]
        files = [f for f in files if not any(_inside(f, n) for n in nested)]
        base_found = Found(
            found.name,
            found.path,
            found.anchor,
            found.markers,
            tuple(sorted(files)),
            found.declared,
        )
        return resolve(base_found, self.base, self.policy)

    def _was_component(self, found: Found) -> bool:
        if found.declared is not None:
            return True
        folders = {posixpath.dirname(m) for m in found.markers} | {found.path}
        return any(self.marks(self.base_children(f)) for f in sorted(folders))

    def marks(self, children: list[str]) -> bool:
        """Whether a folder with these files (full paths) holds a marker at the base, as
        discovery counts them: with the default markers, a ``*.bin`` only beside its
        ``config.json`` (a tokenizer's ``vocab.bin`` marks nothing)."""
        if self._marker_check is None:
            patterns = tuple(self.policy.discovery.markers or DEFAULT_MARKERS)
            gated = {p: c for p, c in MARKER_COMPANIONS.items() if p in patterns}
            if patterns != DEFAULT_MARKERS:
                gated = {}
            plain = GlobSet([p for p in patterns if p not in gated]).fast_matcher()
            companions = [(GlobSet([p]).fast_matcher(), c) for p, c in gated.items()]
            self._marker_check = (plain, companions)
        plain, companions = self._marker_check
        names = {posixpath.basename(c) for c in children}
        return any(
            plain(c) or any(m(c) and companion in names for m, companion in companions)
            for c in children
        )

    def base_children(self, folder: str) -> list[str]:
        # As git sees the folder: a submodule pinned to a tree's id is no folder of the base.
        return self.changes.base.children(folder)

    # -- what is material -------------------------------------------------------------------
    def material(self, component: Component) -> list[MaterialChange]:
        if component.path not in self._material:
            self._material[component.path] = self._classify(component)
        return self._material[component.path]

    def _classify(self, component: Component) -> list[MaterialChange]:
        before = self.before(component)
        if before is None:
            return [
                MaterialChange("added", None, f"component {component.found.display_path} added")
            ]
        out: list[MaterialChange] = []
        for change in self.touched(component.path):
            out += self._file_change(change)
        out += [
            MaterialChange("weights", link, f"weights: {link} links to {target}, which changed")
            for link, target in sorted(self.linked().items())
            if _inside(link, component.path) and self._serves_weights(link, target)
        ]
        out += [
            MaterialChange("weights", r.link, r.describe())
            for r in self._relinks or ()
            if r.serves(component.path)
        ]
        out += self._reached(component)
        out += _metadata_changes(before.meta, component.meta, self.policy)
        out += self._contract_change(before, component)
        return out

    def dvc_moved(self) -> tuple[list[dvc_reach.Reach], list[dvc_reach.Out]]:
        """The DVC outputs whose records the change alters, wherever the DVC file sits; and
        the changed DVC files' outputs that leave the repository (see `dvc_reach`)."""
        if self._dvc_moved is None:
            # A DVC file that is a link reads through it: new bytes at its target are its own.
            self._dvc_moved = dvc_reach.moved(
                self.changes.base, self.changes.head, self.changes.changes, self.links()
            )
        return self._dvc_moved

    def _reached(self, component: Component) -> list[MaterialChange]:
        """New content a DVC file outside the component records for an output inside it (a
        file inside is judged as the component's own, by `_file_change`)."""
        own = {c.after or c.before for c in self.touched(component.path)}
        return [
            MaterialChange("weights", r.source, r.describe())
            for r in self.dvc_moved()[0]
            if r.source not in own and r.reaches(component.path)
        ]

    def _serves_weights(self, link: str, target: str) -> bool:
        """Whether a link whose target changed stands for weights: it or what it leads to is
        named like them, or it links a folder. A LICENSE linked from a component is not."""
        globs = [m.globs for m in self.config.material]
        tree = self.changes.head
        final = tree.link_target(link) or target
        return _stands_for_weights(tree, final, (link, target, final), globs)

    def removed(self, before: Component) -> list[MaterialChange]:
        return [MaterialChange("removed", None, f"component {before.found.display_path} removed")]

    def _file_change(self, change: Change) -> list[MaterialChange]:
        path = change.after or change.before or change.path
        if SYMLINK in (change.old_mode, change.new_mode):
            link = self._link_change(change, path)
            if link is not None:
                return [link]
        if change.is_gitlink:
            # A submodule inside (or as) a component pins content roadworthy cannot see: a new
            # commit there is new weights as far as anyone reviewing this change can tell.
            old, new = (change.old_blob or "")[:12], (change.new_blob or "")[:12]
            if change.old_mode == GITLINK == change.new_mode:
                what = f"now at commit {new} (was {old})"
            elif change.new_mode == GITLINK and old:
                what = f"replaces a file: now at commit {new}"
            elif change.old_mode == GITLINK and new:
                what = f"replaced by a file (was at commit {old})"
            else:
                what = _verb(change)
            return [MaterialChange("weights", path, f"weights: submodule {path} {what}")]
        tracked = self._dvc_change(change, path)
        if tracked is not None:
            return tracked
        pointers = (self._pointer(self.base, change.before), self._pointer(self.head, change.after))
        if pointers[0] is not None or pointers[1] is not None:
            return self._weights_pointer(change, path, pointers)
        for material in self.config.material:
            # Name and suffix lookups: a small change's few files need no compiled expression.
            matches = matcher(material.globs.patterns)
            if not any(matches(p) for p in (change.after, change.before) if p):
                continue
            if material.keys:
                return self._keyed(change, path, material.name, material.keys)
            return [MaterialChange(material.name, path, f"{material.name}: {path} {_verb(change)}")]
        return []

    def _dvc_change(self, change: Change, path: str) -> list[MaterialChange] | None:
        """A ``*.dvc`` file or ``dvc.lock`` inside a component stands for the content DVC
        tracks, as an LFS pointer does: any change to what it records (an output's md5, a
        folder's ``.dir`` hash, an import's URL or etag, a stage added beside another) is new
        content though git holds a few lines of text. Comments and formatting are not. None:
        not a DVC file (judged as any other file)."""
        name = posixpath.basename(path)
        if not (name.endswith(".dvc") or name == "dvc.lock"):
            return None
        keys = ("stages",) if name == "dvc.lock" else ("outs", "deps")
        sides: list[Any] = []
        for reader, side in ((self.base, change.before), (self.head, change.after)):
            try:
                data = yamlio.load(reader.text(side)).data if side else None
            except (ArtifactError, yamlio.YamlError):
                detail = f"weights: {path} changed and cannot be read to compare"
                return [MaterialChange("weights", path, detail)]
            sides.append({k: data.get(k) for k in keys} if isinstance(data, dict) else data)
        old, new = sides
        if old == new:
            return []  # the text changed, what it tracks did not
        was = dvc.locked_outs(old) if name == "dvc.lock" else dvc.tracked_outs(old)
        now = dvc.locked_outs(new) if name == "dvc.lock" else dvc.tracked_outs(new)
        moved = sorted(p for p in set(was) | set(now) if was.get(p) != now.get(p))
        shown = ""
        if moved:
            shown = f" for {moved[0]}" + (f" and {len(moved) - 1} more" if len(moved) > 1 else "")
        detail = f"weights: {path} tracks new content{shown}"
        return [MaterialChange("weights", path, detail)]

    def _link_change(self, change: Change, path: str) -> MaterialChange | None:
        """A symlink added, changed or removed: material when it or what it points to is
        material (or a folder, or out of the repository)."""
        tree = self.changes.head if change.after else self.changes.base
        target = tree.link_target(path) if tree.mode(path) == SYMLINK else None
        globs = [m.globs for m in self.config.material]
        outside = tree.mode(path) == SYMLINK and target is None
        if target is None and not outside and not any(g.match(path) for g in globs):
            return None
        if target is not None and not _stands_for_weights(tree, target, (path, target), globs):
            return None
        where = "out of the repository" if outside else f"to {target}"
        detail = f"weights: {path} (a symlink {where}) {_verb(change)}"
        return MaterialChange("weights", path, detail)

    def _pointer(self, reader: ArtifactReader, path: str | None) -> lfs.Pointer | None:
        if path is None:
            return None
        try:
            return (
                lfs.parse(reader.tree.read_bytes(path)) if self._small(reader.tree, path) else None
            )
        except ArtifactError:
            return None

    @staticmethod
    def _small(tree: Tree, path: str) -> bool:
        """Whether a file is small enough to be a Git LFS pointer (sizes come from the listing)."""
        size_of = getattr(tree, "size", None)
        size = size_of(path) if size_of is not None else None
        return size is not None and size <= lfs.MAX_POINTER_SIZE

    def _weights_pointer(
        self, change: Change, path: str, pointers: tuple[lfs.Pointer | None, lfs.Pointer | None]
    ) -> list[MaterialChange]:
        old, new = pointers
        if old is not None and new is not None:
            if (old.oid, old.size) == (new.oid, new.size) and change.status != "R":
                return []  # the pointer's text changed, the weights did not
            moved = f"{old.describe()} → {new.describe()}"
            detail = f"weights: {path} now points at other LFS content ({moved})"
        else:
            detail = f"weights: {path} (Git LFS) {_verb(change)}"
        return [MaterialChange("weights", path, detail)]

    def _keyed(
        self, change: Change, path: str, name: str, patterns: tuple[str, ...]
    ) -> list[MaterialChange]:
        try:
            old = self.base.yaml(change.before).data if change.before else None
            new = self.head.yaml(change.after).data if change.after else None
        except ArtifactError:
            return [
                MaterialChange(
                    name, path, f"{name}: {path} changed and cannot be parsed to compare"
                )
            ]
        differing = keys.changed(old, new, patterns)
        if not differing:
            differing = self._keyed_as_yaml11(change, patterns)
        if not differing:
            return []  # comments, formatting or other keys only
        shown = ", ".join(differing[:5]) + (
            f" and {len(differing) - 5} more" if len(differing) > 5 else ""
        )
        return [MaterialChange(name, path, f"{name}: {path} values changed at {shown}")]

    def _keyed_as_yaml11(self, change: Change, patterns: tuple[str, ...]) -> list[str]:
        """The keys whose values differ as the training code's YAML 1.1 reader (PyYAML,
        OmegaConf) sees them: ``depth: 10`` → ``010`` is ten to YAML 1.2 and eight to it, and
        PyYAML resolves merge keys its own way. Read by PyYAML itself, after the YAML 1.2 reading
        succeeded (which bounds alias expansion, so PyYAML's cannot explode)."""
        try:
            old, new = (
                yamlio.load_as_pyyaml(reader.text(path)) if path else None
                for reader, path in ((self.base, change.before), (self.head, change.after))
            )
        except ArtifactError:
            return []
        except yamlio.YamlError:
            # The training code could not read it either way: say so rather than call it equal.
            return ["(the file as YAML 1.1 readers see it)"]
        return keys.changed(old, new, patterns)

    def _contract_change(self, before: Component, after: Component) -> list[MaterialChange]:
        found = self.contract_breaking(before, after)
        if found is None:
            return []
        path, changes = found
        return (
            [MaterialChange("contract", path, f"data contract {path}: {'; '.join(changes)}")]
            if changes
            else []
        )

    def contract_breaking(
        self, before: Component, after: Component
    ) -> tuple[str, list[str]] | None:
        candidates = self.policy.artifacts.get("data_contract", ())
        old = self.base.locate(before.path, before.found.files, candidates)
        new = self.head.locate(after.path, after.found.files, candidates)
        if old is None or new is None:
            return None
        try:
            return new, contract_diff.breaking(self.base.yaml(old).data, self.head.yaml(new).data)
        except ArtifactError:
            return None

    def contract_versions(self, before: Component, after: Component) -> tuple[Any, Any, str] | None:
        candidates = self.policy.artifacts.get("data_contract", ())
        old = self.base.locate(before.path, before.found.files, candidates)
        new = self.head.locate(after.path, after.found.files, candidates)
        if old is None or new is None:
            return None
        return (
            contract_diff.version(self.base.yaml(old).data),
            contract_diff.version(self.head.yaml(new).data),
            new,
        )

    # -- what an approval names ---------------------------------------------------------------
    def material_files(self, component: Component, reader: ArtifactReader) -> list[str]:
        return material_files(component, reader, self.policy, self.config)

    def ledger_path(self, component: Component) -> str:
        return ledger_path(component, self.config)


def material_files(
    component: Component, reader: ArtifactReader, policy: Policy, config: ChangeControl
) -> list[str]:
    """The files whose bytes an approval covers: material patterns, Git LFS pointers, the data
    contract and where the metadata comes from (card, component.yaml)."""
    globs = [m.globs for m in config.material]
    matchers = [matcher(m.paths) for m in config.material]
    files = component.found.files
    chosen = {f for f in files if any(m(f) for m in matchers)}
    # A link to a folder or to material bytes stands for them (`GitTree.content_id`).
    chosen |= {f for f in files if _is_material_link(reader.tree, f, globs)}
    chosen |= {f for f in files if _is_pointer(reader, f)}
    # DVC's pointers: what they track is the weights' identity, as an LFS oid is; wherever
    # they sit (a root dvc.lock, a .dvc file in a data folder), they are bound with the weights.
    chosen |= {f for f in files if is_dvc_file(f)}
    chosen |= set(dvc_reach.tracking(reader.tree, component.path, files))
    contract = reader.locate(component.path, files, policy.artifacts.get("data_contract", ()))
    chosen |= {contract} if contract else set()
    chosen |= {s for s in component.meta.sources.values() if s != policy.location.path}
    return sorted(chosen - {ledger_path(component, config)})


def ledger_path(component: Component, config: ChangeControl) -> str:
    """The component's ledger: beside the model card, else in the component folder."""
    folder = posixpath.dirname(component.card) if component.card else component.path
    return f"{folder}/{config.ledger}" if folder else config.ledger


def _is_material_link(tree: Tree, path: str, globs: list[GlobSet]) -> bool:
    if not isinstance(tree, GitTree) or tree.mode(path) != SYMLINK:
        return False
    target = tree.link_target(path)
    if target is None:
        return True  # out of the repository: the approval covers the link's text
    return _stands_for_weights(tree, target, [target], globs)


def _stands_for_weights(
    tree: GitTree, final: str, names: Iterable[str], globs: Sequence[GlobSet]
) -> bool:
    """Whether a link stands for weights: one of ``names`` (the link, the paths it leads
    through) is named like weights, or what it finally leads to is a folder or a submodule."""
    if tree.is_folder(final) or tree.mode(final) == GITLINK:
        return True
    return any(g.match(n) for g in globs for n in names)


def _is_pointer(reader: ArtifactReader, path: str) -> bool:
    if not ChangeView._small(reader.tree, path):
        return False
    try:
        return lfs.parse(reader.tree.read_bytes(path)) is not None
    except ArtifactError:
        return False


def read_ledger(reader: ArtifactReader, path: str) -> ledger.Ledger:
    """A ledger as a tree has it (absent: empty); a YAML error is the file's RW001."""
    text = reader.text(path) if reader.tree.exists(path) else None
    try:
        return ledger.parse(path, text)
    except yamlio.YamlError as exc:
        raise reader.fail(ArtifactError(path, exc.message, exc.line)) from None


def content_digest(files: list[tuple[str, str]], component_path: str) -> str:
    """sha256 over the sorted (path relative to the component, git blob id) pairs (a file
    outside it, such as a DVC file tracking its weights, as ``../`` from the folder)."""
    cut = len(component_path) + 1 if component_path else 0
    lines = sorted(
        f"{path[cut:] if _inside(path, component_path) else _up(path, component_path)}\0{blob}\n"
        for path, blob in files
    )
    return "sha256:" + hashlib.sha256("".join(lines).encode("utf-8", "surrogateescape")).hexdigest()


def _up(path: str, folder: str) -> str:
    return posixpath.relpath(path, folder)


def _inside(path: str | None, folder: str) -> bool:
    if path is None:
        return False
    return not folder or path.startswith(f"{folder}/")


def _verb(change: Change) -> str:
    return {"A": "added", "D": "deleted", "R": f"renamed from {change.old_path}"}.get(
        change.status, "changed"
    )


def _metadata_changes(old: Metadata, new: Metadata, policy: Policy) -> list[MaterialChange]:
    out = []
    if STAGES.index(new.stage) > STAGES.index(old.stage):
        out.append(
            MaterialChange(
                "stage", new.sources.get("stage"), f"stage promoted from {old.stage} to {new.stage}"
            )
        )
    if policy.risk_rank(new.risk) < policy.risk_rank(old.risk):
        out.append(
            MaterialChange(
                "risk", new.sources.get("risk"), f"risk lowered from {old.risk} to {new.risk}"
            )
        )
    if {(o.handle, o.role) for o in old.owners} != {(o.handle, o.role) for o in new.owners}:
        before = ", ".join(sorted(o.handle for o in old.owners)) or "none"
        after = ", ".join(sorted(o.handle for o in new.owners)) or "none"
        out.append(
            MaterialChange(
                "owners", new.sources.get("owners"), f"owners changed from {before} to {after}"
            )
        )
    return out


def _find_removed(view: ChangeView, head_roots: set[str], names: set[str]) -> list[Found]:
    """Components the base had and the change removes, found from the removed paths alone."""
    markers = GlobSet(view.policy.discovery.markers or ()).fast_matcher()
    declared = {d.path: d for d in view.policy.discovery.declare}
    roots: dict[str, list[str]] = {}
    # A component disappears only when its marker files go, or the companion a marker needs
    # (a `*.bin` counts beside a `config.json`): look at those removed paths alone.
    companions = set(MARKER_COMPANIONS.values())
    gone = [
        c.before
        for c in view.changes.changes
        if c.status in "DR"
        and c.before
        and (markers(c.before) or posixpath.basename(c.before) in companions)
    ]
    for path in gone:
        root = _base_root(view, path, markers, declared)
        if root is not None and root not in head_roots:
            roots.setdefault(root, [])
    if not roots:
        return []
    listed = view.changes.base.files_under(roots)
    out = []
    for root in sorted(roots):
        files = tuple(sorted(listed.get(root, [])))
        found_markers = tuple(f for f in files if markers(f) and posixpath.dirname(f) == root)
        base_name = posixpath.basename(root) or "."
        name = (
            declared[root].name
            if root in declared and declared[root].name
            else (root if base_name in names else base_name)
        )
        anchor_path = found_markers[0] if found_markers else (files[0] if files else root)

        out.append(
            Found(
                str(name), root, Location(anchor_path, 1), found_markers, files, declared.get(root)
            )
        )
    return out


def _base_root(view: ChangeView, path: str, markers: Any, declared: dict[str, Any]) -> str | None:
    """The deepest component folder holding ``path`` at the base (the outermost marker folder
    of a chain, or a declared folder)."""
    folders = []
    folder = posixpath.dirname(path)
    while True:
        folders.append(folder)
        if not folder:
            break
        folder = posixpath.dirname(folder)
    root = None
    for folder in reversed(folders):  # from the repository root down
        if folder in declared or (root is None and view.marks(view.base_children(folder))):
            root = folder
    return root

"""Which folders are model components.

A component is the folder of a discovery marker (a weights file, ``MLmodel``, ``model.yaml``,
a DVC file that tracks or makes weights; a Git LFS pointer carries the name of the weights it
stands for, so it is a marker too; `markers.py` says which matches count) or a folder the policy
declares. Excludes skip marker files, except inside a declared component. The outermost folder
wins: markers inside an existing component (an MLflow model's ``data/model.pth``, a declared
component's ``weights/``) belong to it. Each file belongs to the deepest component folder that
holds it.

A component's name is its folder's name, or its path where two folders share a name; a declared
component may name itself.
"""

from __future__ import annotations

import functools
import posixpath
import re
from collections import Counter
from collections.abc import Callable, Collection, Sequence
from contextlib import nullcontext
from typing import Any, Protocol

from roadworthy import lazyre
from roadworthy.errors import Location
from roadworthy.formats.globs import GlobSet, normalize, translate
from roadworthy.markers import default_markers_in_words, qualify
from roadworthy.policy.model import DEFAULT_MARKERS, Declared, Discovery
from roadworthy.records import NamedTuple
from roadworthy.workspace.listing import inside
from roadworthy.workspace.worktree import Tree, WorkTree, _below_any

# Folder names that hold one model's weights or versions rather than name a model. `models/`
# too, except at the repository root, where it is the usual namespace of a repository's models.
WEIGHTS_SUBFOLDERS = frozenset({"model", "models", "weights", "checkpoints"})
NAMESPACES = frozenset({"models"})
# A version (1, v2, 1.4.0) or a training step's snapshot (Hugging Face's checkpoint-500, epoch_3).
_VERSION = lazyre.compile(r"(?:v|(?:checkpoint|ckpt|epoch|step)[-_]?)?[0-9]+(?:\.[0-9]+)*", re.I)


class Found(NamedTuple):
    name: str
    path: str  # POSIX, relative to the repository root; "" is the root itself
    anchor: Location  # where findings about the component as a whole point
    markers: tuple[str, ...]
    files: tuple[str, ...]  # repository-relative, sorted
    declared: Declared | None

    @property
    def display_path(self) -> str:
        return self.path or "."

    def join(self, relative: str) -> str:
        return f"{self.path}/{relative}" if self.path else relative


class Discovered(NamedTuple):
    components: tuple[Found, ...]  # the selected ones, with their files
    undeclared: tuple[str, ...]  # marker files in folders no declared component covers
    roots: frozenset[str] = frozenset()  # every component folder of the repository
    names: frozenset[str] = frozenset()  # and every component name
    # Marker files an exclude skipped (under the PATHs), each with the outermost path it named.
    excluded: tuple[tuple[str, str], ...] = ()


class Layout(NamedTuple):
    """What discovery settles over the whole repository before it chooses any component: a
    function of the marker files, the policy's discovery section and the repository's name
    alone (`layout_key`), so diff mode keeps it from one run to the next (`kept_layout`)."""

    markers: tuple[str, ...]  # the marker files discovery uses: the excludes' taken out
    excluded: tuple[tuple[str, str], ...]  # each skipped marker, with the path its exclude named
    roots: tuple[str, ...]  # every component folder, sorted
    names: tuple[str, ...]  # each root's component name, in the order of ``roots``
    undeclared: tuple[str, ...]  # with ``declared_only``: markers no declared component covers


def lay_out(markers: Sequence[str], spec: Discovery, repo_name: str) -> Layout:
    declared = {d.path: d for d in spec.declare}
    marker_files, excluded = _split_excluded(list(markers), spec, declared)
    roots = set(declared)
    undeclared: list[str] = []
    homes: dict[str, list[str]] = {}  # the folder a marker makes a component → its markers
    for marker, home in _homes(marker_files).items():
        homes.setdefault(home, []).append(marker)
    # Outermost first: a folder at one depth can only be covered by one above it.
    for folder in sorted(homes, key=lambda f: (_depth(f), f)):
        if _covered(folder, roots):
            continue
        if spec.declared_only:
            undeclared += homes[folder]
        else:
            roots.add(folder)
    ordered = sorted(roots)
    names = _names(roots, declared, repo_name)
    return Layout(
        tuple(marker_files),
        tuple(sorted(excluded)),
        tuple(ordered),
        tuple(names[r] for r in ordered),
        tuple(sorted(undeclared)),
    )


class KeptDocuments(Protocol):
    """Where diff mode keeps signed documents between runs (`workspace.treecache.TreeCache`)."""

    def load_document(self, kind: str, key: str) -> Any: ...

    def store_document(self, kind: str, key: str, document: dict[str, Any]) -> None: ...


LAYOUT_FORMAT = 1


def layout_key(markers: Sequence[str], spec: Discovery, repo_name: str) -> str:
    """A digest of everything `lay_out` reads, and of the code that reads it: the version
    number is not bumped for every change to discovery's rules, its source is."""
    import hashlib
    import json

    declared = [[d.path, d.name] for d in spec.declare]
    parts = [LAYOUT_FORMAT, _code_digest(), repo_name, spec.markers, spec.exclude, spec.include]
    digest = hashlib.sha256(json.dumps([*parts, declared], separators=(",", ":")).encode("ascii"))
    # The markers (30,000 at 500k files) joined, not written as JSON, in a third of the time.
    # JSON writes no NUL and no path holds one: with their number, the text reads one way only.
    digest.update(f"\0{len(markers)}\0".encode("ascii"))
    digest.update("\0".join(markers).encode("utf-8", "surrogatepass"))  # one-to-one
    return digest.hexdigest()


@functools.cache
def _code_digest() -> str:
    """The digest of the modules that lay out a repository (this one and the glob dialect its
    excludes speak)."""
    from pathlib import Path

    from roadworthy.formats import codestamp, globs

    return codestamp.digest((Path(__file__), Path(globs.__file__)))


class Guessed(NamedTuple):
    """A layout read for markers the head most likely has, while git diffs (`guess_layout`)."""

    markers: tuple[str, ...]
    spec: Discovery
    repo_name: str
    layout: Layout


def guess_layout(
    markers: Sequence[str], spec: Discovery, repo_name: str, kept: KeptDocuments
) -> Guessed | None:
    """The kept layout of ``markers``, if there is one: never laid out, never stored. Diff
    mode reads it while git diffs (a 500k-file repository's layout takes 12 ms to read), for
    the markers the head most likely has; `kept_layout` uses it when they are the head's."""
    found = _read_layout(kept, layout_key(markers, spec, repo_name), markers)
    return None if found is None else Guessed(tuple(markers), spec, repo_name, found)


def kept_layout(
    markers: Sequence[str],
    spec: Discovery,
    repo_name: str,
    kept: KeptDocuments | None,
    guessed: Guessed | None = None,
) -> Layout:
    """`lay_out`, or what an earlier run made of the same markers, spec and name. Of a
    500k-file repository's 10,000 components discovery's names and roots cost 50 ms a run."""
    if kept is None:
        return lay_out(markers, spec, repo_name)
    if (
        guessed is not None
        and guessed.repo_name == repo_name
        and guessed.spec == spec
        and guessed.markers == tuple(markers)
    ):
        return guessed.layout
    key = layout_key(markers, spec, repo_name)
    found = _read_layout(kept, key, markers)
    if found is not None:
        return found
    layout = lay_out(markers, spec, repo_name)
    kept.store_document(
        "layout",
        key,
        {
            "excluded": [list(e) for e in layout.excluded],
            "roots": list(layout.roots),
            "names": list(layout.names),
            "undeclared": list(layout.undeclared),
        },
    )
    return layout


def _read_layout(kept: KeptDocuments, key: str, markers: Sequence[str]) -> Layout | None:
    """The layout kept under ``key`` for ``markers``, if one of the right shape is."""
    return _layout_from(kept.load_document("layout", key), markers)


def _layout_from(document: Any, markers: Sequence[str]) -> Layout | None:
    """The layout a kept document holds for ``markers`` (its kept markers are the others than
    it excluded), when the document has exactly the shape `kept_layout` writes."""
    if document is None:
        return None
    try:
        excluded, roots = document["excluded"], document["roots"]
        names, undeclared = document["names"], document["undeclared"]
    except (KeyError, TypeError):
        return None
    strings = (roots, names, undeclared)
    if not all(isinstance(v, list) and all(isinstance(x, str) for x in v) for v in strings):
        return None
    pairs = isinstance(excluded, list) and all(
        isinstance(e, list) and len(e) == 2 and all(isinstance(x, str) for x in e) for e in excluded
    )
    if not pairs or len(roots) != len(names) or roots != sorted(set(roots)):
        return None
    skipped = {e[0] for e in excluded}
    given = set(markers)
    if not skipped <= given or not set(undeclared) <= given:
        return None
    return Layout(
        tuple(m for m in markers if m not in skipped),
        tuple((e[0], e[1]) for e in excluded),
        tuple(roots),
        tuple(names),
        tuple(undeclared),
    )


def discover(
    tree: Tree,
    spec: Discovery,
    repo_name: str,
    only: Sequence[str] | None = None,
    select: Callable[[str], bool] | None = None,
    markers: Sequence[str] | None = None,
    layout: Layout | None = None,
) -> Discovered:
    """Components of ``tree``: every folder's name is settled over the whole repository, but
    files are listed only for the selected folders (PATH arguments, or what a change touches).
    ``markers``: the tree's marker files as `markers.qualify` leaves them, when already known;
    ``layout``: what `lay_out` makes of them, when already known."""
    whole = layout is None and markers is None and only is None and select is None
    # A full check of a work tree lists its index once, for the markers and the files.
    with tree.listed_once() if whole and isinstance(tree, WorkTree) else nullcontext():
        return _discover(tree, spec, repo_name, only, select, markers, layout)


def listed_roots(layout: Layout, chosen: Collection[str]) -> set[str]:
    """The component folders whose files a discovery of the ``chosen`` ones lists: those, and
    the folders of components nested in them, which keep their own files. (Diff mode starts
    git's listing of them before discovery asks: `CommitTree.expect_files_under`.)"""
    if _most(chosen, layout.roots):
        return {r for r in layout.roots if r in chosen or _below_any(r, chosen)}
    # A few of thousands: the components below each are a run of the sorted roots.
    return {*chosen, *(layout.roots[i] for root in chosen for i in inside(layout.roots, root))}


def _most(chosen: Collection[str], roots: Collection[str]) -> bool:
    """Whether ``chosen`` is the whole repository or every component (a full check)."""
    return "" in chosen or len(chosen) == len(roots)


def _discover(
    tree: Tree,
    spec: Discovery,
    repo_name: str,
    only: Sequence[str] | None,
    select: Callable[[str], bool] | None,
    markers: Sequence[str] | None,
    layout: Layout | None,
) -> Discovered:
    if layout is None:
        if markers is None:
            patterns = spec.markers or DEFAULT_MARKERS
            markers = qualify(tree, tree.find(GlobSet(patterns)), patterns)
        layout = lay_out(markers, spec, repo_name)
    declared = {d.path: d for d in spec.declare}
    roots = frozenset(layout.roots)
    chosen = {
        r for r in roots if (only is None or _selected(r, only)) and (select is None or select(r))
    }
    candidates: Collection[str] = layout.markers  # every marker is filed under its component
    if not _most(chosen, roots):
        # A change touches a few of thousands: what lies below each is a run of the sorted
        # markers, found by binary search.
        ordered = sorted(layout.markers)
        below_markers = [inside(ordered, root) for root in chosen]
        candidates = {ordered[i] for run in below_markers for i in run}
    files = tree.files_under(listed_roots(layout, chosen))
    by_root: dict[str, list[str]] = {root: [] for root in chosen}
    owners: dict[str, str | None] = {}  # a marker's folder → its component folder
    for marker in candidates:  # only the chosen components' markers are wanted
        folder = _folder(marker)
        if folder not in owners:
            owners[folder] = _owner(folder, roots)
        owner = owners[folder]
        if owner in by_root:
            by_root[owner].append(marker)
    names = dict(zip(layout.roots, layout.names, strict=True))
    found = [
        Found(
            name=names[root],
            path=root,
            anchor=_anchor(root, sorted(by_root[root]), declared.get(root)),
            markers=tuple(sorted(by_root[root])),
            files=tuple(sorted(files[root])),
            declared=declared.get(root),
        )
        for root in chosen
    ]
    return Discovered(
        tuple(sorted(found, key=lambda c: c.path)),
        layout.undeclared,
        roots,
        frozenset(layout.names),
        tuple(e for e in layout.excluded if only is None or _selected(_folder(e[0]), only)),
    )


def looked_for(spec: Discovery) -> str:
    """What discovery searched for, in words: the first line a repository without a component
    gets says this, not just "0 components"."""
    if spec.declared_only:
        return "the components declared in the policy only (components.markers is empty)"
    if tuple(spec.markers) == DEFAULT_MARKERS:
        what = default_markers_in_words()
    else:
        shown = [normalize(p) for p in spec.markers[:4]]
        more = len(spec.markers) - len(shown)
        what = "files matching " + ", ".join(shown) + (f" and {more} more" if more else "")
    return what + (" and the declared components" if spec.declare else "")


def _homes(markers: list[str]) -> dict[str, str]:
    """The folder each marker makes a component: a version folder (Triton's ``simple/1/``,
    TF Serving's ``churn/2/``, ``v2/``, a trainer's ``checkpoint-500/``) or a weights subfolder
    (``model/``, ``weights/``, ``checkpoints/``; ``models/`` below the root) belongs to the
    folder above, which documents and names the model. An MLflow model folder describes itself
    (its ``MLmodel``), whatever its name."""
    self_described = {_folder(m) for m in markers if m.rpartition("/")[2] == "MLmodel"}
    by_folder: dict[str, str] = {}  # markers share folders: each is walked up once
    homes = {}
    for marker in markers:
        start = _folder(marker)
        if start not in by_folder:
            folder = start
            while folder and folder not in self_described and _holds_weights_only(folder):
                folder = _folder(folder)
            by_folder[start] = folder
        homes[marker] = by_folder[start]
    return homes


def _holds_weights_only(folder: str) -> bool:
    name = posixpath.basename(folder)
    if folder == name and name.lower() in NAMESPACES:
        return False
    return name.lower() in WEIGHTS_SUBFOLDERS or _VERSION.fullmatch(name) is not None


def _depth(folder: str) -> int:
    return folder.count("/") + 1 if folder else 0


def _split_excluded(
    markers: list[str], spec: Discovery, declared: Collection[str]
) -> tuple[list[str], list[tuple[str, str]]]:
    """The markers discovery uses, and those an exclude skips with the outermost path it names.
    An include takes a path back, and a declared component keeps the markers inside it whatever
    the excludes say."""
    excluded, included = _Namer(spec.exclude), _Namer(spec.include)
    kept: list[str] = []
    skipped: list[tuple[str, str]] = []
    for marker in markers:
        named = excluded.named(marker)
        if (
            named is None
            or included.named(marker) is not None
            or _covered(_folder(marker), declared)
        ):
            kept.append(marker)
        else:
            skipped.append((marker, named))
    return kept, skipped


def excluded_by(marker: str, patterns: Sequence[str]) -> str | None:
    """The first of ``patterns`` that excludes ``marker``: what ``--show-excluded`` names."""
    return next((p for p in patterns if _Namer([p]).named(marker) is not None), None)


class _Namer:
    """The outermost of a marker's folders (or the marker itself) some pattern names: ``tests``
    covers tests/a/b/m.pkl. Discovery asks this of every marker of the repository, in diff mode
    too, so ``**/NAME/**`` patterns (all the preset's) are looked up segment by segment, and
    each folder is matched against the other patterns once."""

    def __init__(self, patterns: Sequence[str]) -> None:
        names: set[str] = set()
        segments: list[str] = []
        rest: list[str] = []
        for pattern in patterns:
            inner = normalize(pattern).removeprefix("**/").removesuffix("/**")
            if not pattern.startswith("**/") or not pattern.endswith("/**") or "/" in inner:
                rest.append(pattern)
            elif any(c in inner for c in "*?["):
                segments.append(translate(inner, f"s{len(segments)}_"))
            else:
                names.add(inner)
        self.names = frozenset(names)
        self.segment = re.compile("|".join(f"(?:{s})" for s in segments)) if segments else None
        self.rest = GlobSet(rest)
        self.folders: dict[str, str | None] = {}
        self.empty = not patterns

    def named(self, marker: str) -> str | None:
        if self.empty:
            return None
        named = self._outermost(marker.rpartition("/")[0])
        if named is not None:
            return named
        return marker if self.rest and self.rest.match(marker) else None

    def _outermost(self, folder: str) -> str | None:
        """The outermost of ``folder`` and the folders above it that a pattern names. Markers
        share their folders: each folder is judged once, its parent's answer reused."""
        unknown = []  # from this folder up to the first one already judged
        while folder and folder not in self.folders:
            unknown.append(folder)
            folder = folder.rpartition("/")[0]
        named = self.folders.get(folder) if folder else None
        for folder in reversed(unknown):  # from the root down
            if named is None and (
                self._names_folder(folder.rpartition("/")[2])
                or (bool(self.rest) and self.rest.match_dir(folder))
            ):
                named = folder
            self.folders[folder] = named
        return named

    def _names_folder(self, segment: str) -> bool:
        return segment in self.names or (
            self.segment is not None and self.segment.fullmatch(segment) is not None
        )


def _folder(path: str) -> str:
    return path.rpartition("/")[0]


def _covered(folder: str, roots: Collection[str]) -> bool:
    return _owner(folder, roots) is not None


def _owner(folder: str, roots: Collection[str]) -> str | None:
    """The deepest root that is ``folder`` or one of its ancestors."""
    path = folder
    while path not in roots:
        if not path:
            return None
        path = _folder(path)
    return path


def _names(roots: Collection[str], declared: dict[str, Declared], repo_name: str) -> dict[str, str]:
    def base(root: str) -> str:
        return root.rpartition("/")[2] if root else repo_name

    explicit = {root: d.name for root, d in declared.items() if d.name}
    counts = Counter(base(r) for r in roots if r not in explicit)
    counts.update(explicit.values())
    return {
        root: explicit.get(root) or (base(root) if counts[base(root)] == 1 else root or ".")
        for root in roots
    }


def _anchor(root: str, markers: list[str], declared: Declared | None) -> Location:
    if markers:
        return Location(markers[0], 1)
    if declared is not None:
        return declared.location
    return Location(root or ".", 1)


def _selected(component_path: str, only: Sequence[str]) -> bool:
    for wanted in only:
        wanted = wanted.strip("/")
        if wanted in ("", "."):
            return True
        inside = component_path == wanted or component_path.startswith(f"{wanted}/")
        holds = wanted.startswith(f"{component_path}/") or not component_path
        if inside or holds:
            return True
    return False

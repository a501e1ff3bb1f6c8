"""Reading artifacts once: text, Markdown structure, YAML data and front matter, cached by path.

Every read or parse failure is an `ArtifactError`, remembered here so that the engine reports it
once as ``RW001 unparseable-artifact`` however many rules looked at the file.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from roadworthy.discovery import WEIGHTS_SUBFOLDERS
from roadworthy.formats import markdown, markdown_kept, yamlio
from roadworthy.formats.codeowners_file import CANDIDATE_PATHS, CodeOwners
from roadworthy.formats.codeowners_file import parse as parse_codeowners
from roadworthy.formats.globs import GlobSet, normalize
from roadworthy.policy.model import Candidate
from roadworthy.workspace.worktree import ArtifactError, Tree, read_text

# Characters: a smaller CODEOWNERS parses faster than a kept one is read (ownerscache).
KEEP_CODEOWNERS_FROM = 8192


class ArtifactReader:
    def __init__(self, tree: Tree) -> None:
        self.tree = tree
        self.errors: dict[str, ArtifactError] = {}
        self._text: dict[str, str] = {}
        self._markdown: dict[str, markdown.MarkdownDocument] = {}
        self._yaml: dict[str, yamlio.YamlDocument] = {}
        self._front: dict[str, dict[str, Any] | None] = {}
        # (folder, its files, candidates) → the artifact found: several rules and the metadata
        # ask for the same one (the model card: its front matter, file-exists, sections).
        self._located: dict[tuple[str, tuple[str, ...], tuple[Candidate, ...]], str | None] = {}
        # (the file, why it could not be read), kept across clear().
        self._codeowners: tuple[CodeOwners | None, ArtifactError | None] | None = None
        self._folders: dict[str, tuple[str, ...]] = {}  # kept across clear()
        # Files that cannot be read as text, kept across clear(): not read again. A file that
        # reads but does not parse is parsed again by the next component that asks, so that
        # what a component finds does not depend on what was evaluated before it.
        self._unreadable: dict[str, ArtifactError] = {}

    def clear(self) -> None:
        """Forget parsed files (called between components to keep memory flat)."""
        self._text.clear()
        self._markdown.clear()
        self._yaml.clear()
        self._front.clear()
        self._located.clear()

    def codeowners(self) -> CodeOwners | None:
        """The CODEOWNERS file GitHub would use in this tree (the first of its three places),
        parsed once: the one place roadworthy locates and reads CODEOWNERS. An unreadable file
        is remembered like any artifact and reported once as RW001."""
        self.read_codeowners()
        assert self._codeowners is not None
        found, error = self._codeowners
        if error is not None:
            self.fail(error)  # reported only when asked for (not when read ahead)
        return found

    def read_codeowners(self) -> None:
        """Read and parse CODEOWNERS ahead of need (while git diffs): an unreadable file is
        recorded as an error only when `codeowners` is asked for, as if read then."""
        if self._codeowners is None:
            self._codeowners = self._find_codeowners()

    def _find_codeowners(self) -> tuple[CodeOwners | None, ArtifactError | None]:
        for path in CANDIDATE_PATHS:
            if self.tree.exists(path):
                if path in self._unreadable:
                    return None, self._unreadable[path]
                try:
                    text = self._text[path] = read_text(self.tree, path)
                except ArtifactError as exc:
                    self._unreadable[path] = exc
                    return None, exc
                try:
                    return _parse_codeowners(text, path), None
                except ArtifactError:
                    return None, None  # (as before: a file that reads but does not parse)
        return None, None

    def fail(self, error: ArtifactError) -> ArtifactError:
        """Remember a file that cannot be used; returns the error to raise."""
        self.errors.setdefault(error.path, error)
        return error

    def text(self, path: str) -> str:
        if path not in self._text:
            if path in self._unreadable:
                raise self.fail(self._unreadable[path])
            try:
                self._text[path] = read_text(self.tree, path)
            except ArtifactError as exc:
                self._unreadable[path] = exc
                raise self.fail(exc) from None
        return self._text[path]

    def markdown(self, path: str) -> markdown.MarkdownDocument:
        if path not in self._markdown:
            self._markdown[path] = markdown_kept.parse(self.text(path))
        return self._markdown[path]

    def yaml(self, path: str) -> yamlio.YamlDocument:
        """A YAML or JSON file (JSON is YAML) as JSON data."""
        if path not in self._yaml:
            text = self.text(path)
            try:
                self._yaml[path] = yamlio.load(text)
            except yamlio.YamlError as exc:
                raise self.fail(ArtifactError(path, exc.message, exc.line)) from None
        return self._yaml[path]

    def line_of(self, path: str, where: yamlio.JsonPath) -> int:
        """The line of a value in a YAML file; positions are recorded only when a finding asks."""
        doc = self._yaml.get(path)
        if doc is None or not doc.positions:
            doc = yamlio.load(self.text(path), positions=True)
            self._yaml[path] = doc
        return doc.position(where)[0]

    def front_matter(self, path: str) -> dict[str, Any] | None:
        """The YAML front matter of a Markdown file as a mapping; None when it has none."""
        if path not in self._front:
            self._front[path] = self._load_front_matter(path)
        return self._front[path]

    def front_matter_line(self, path: str, key: str) -> int | None:
        doc = self.markdown(path)
        if doc.front_matter is None:
            return None
        data = yamlio.load(
            doc.front_matter.text, positions=True, line_offset=doc.front_matter.line - 1
        )
        return data.position((key,))[0]

    def _load_front_matter(self, path: str) -> dict[str, Any] | None:
        doc = self.markdown(path)
        if doc.front_matter_error is not None:
            raise self.fail(ArtifactError(path, doc.front_matter_error, 1))
        if doc.front_matter is None:
            return None
        offset = doc.front_matter.line - 1
        try:
            data = yamlio.load(doc.front_matter.text, line_offset=offset).data
        except yamlio.YamlError as exc:
            raise self.fail(ArtifactError(path, f"front matter: {exc.message}", exc.line)) from None
        if data is None:
            return {}
        if not isinstance(data, dict):
            kind = type(data).__name__.replace("list", "a list").replace("str", "a string")
            message = f"front matter must be a mapping of keys, not {kind}"
            raise self.fail(ArtifactError(path, message, doc.front_matter.line))
        return data

    def has_front_matter(self, path: str) -> bool:
        try:
            doc = self.markdown(path)
        except ArtifactError:
            return True  # an unreadable README that was meant to be a card is still the card
        return doc.front_matter is not None or doc.front_matter_error is not None

    def is_candidate(self, path: str, candidate: Candidate) -> bool:
        """Whether the file at ``path`` (which matches ``candidate``) is the artifact: a README
        is a card only with front matter, or with one of the candidate's keys in it."""
        if not candidate.front_matter:
            return True
        if not self.has_front_matter(path):
            return False
        if not candidate.keys:
            return True
        try:
            front = self.front_matter(path)
        except ArtifactError:
            return True  # front matter YAML cannot read: meant as a card, reported as RW001
        return front is not None and any(key in front for key in candidate.keys)

    def locate(
        self, component_path: str, files: Iterable[str], candidates: Iterable[Candidate]
    ) -> str | None:
        """The first candidate present among a component's files (repository-relative path);
        for weights kept in a ``model/`` (or ``weights/``...) folder, the first in the folder
        above, which documents them."""
        key = (component_path, tuple(files), tuple(candidates))
        if key not in self._located:
            path, files, candidates = key
            found = self._first(path, files, candidates)
            if found is None and documented_above(path):
                parent = path.rpartition("/")[0]
                found = self._first(parent, self._files_of_folder(parent), candidates)
            self._located[key] = found
        return self._located[key]

    def _first(
        self, folder: str, files: Iterable[str], candidates: tuple[Candidate, ...]
    ) -> str | None:
        cut = len(folder) + 1 if folder else 0
        relative = [f[cut:] for f in files]
        present: set[str] | None = None
        for candidate in candidates:
            literal = _literal(candidate.pattern)
            if literal is not None:
                # A name without wildcards (most candidates: MODEL_CARD.md, RUNBOOK.md) is a
                # set lookup, not a regular expression tried on each of the folder's files.
                if present is None:
                    present = set(relative)
                matched = [literal] if literal in present else []
            else:
                pattern = _glob(candidate.pattern)
                matched = [rel for rel in relative if pattern.match(rel)]
            for rel in matched:
                full = f"{folder}/{rel}" if folder else rel
                if self.is_candidate(full, candidate):
                    return full
        return None

    def _files_of_folder(self, folder: str) -> tuple[str, ...]:
        """The files directly in ``folder`` (not in its subfolders), listed once per run."""
        if folder not in self._folders:
            below = self.tree.files_under([folder])[folder]
            cut = len(folder) + 1 if folder else 0
            self._folders[folder] = tuple(f for f in below if "/" not in f[cut:])
        return self._folders[folder]


def _parse_codeowners(text: str, path: str) -> CodeOwners:
    if len(text) < KEEP_CODEOWNERS_FROM:
        return parse_codeowners(text, path)
    # Imported here: a small file, the common case, never pays for the keeping machinery.
    from roadworthy.workspace import ownerscache

    return ownerscache.parse(text, path)


@lru_cache(maxsize=256)
def _glob(pattern: str) -> GlobSet:
    return GlobSet([pattern])


@lru_cache(maxsize=1024)
def _literal(pattern: str) -> str | None:
    """The one relative path ``pattern`` names when it has no wildcard; else None."""
    name = normalize(pattern)
    return None if any(c in name for c in "*?[") else name


def documented_above(component_path: str) -> bool:
    """A component whose folder is a weights folder (an MLflow model saved as ``model/``, a
    declared ``churn/weights``): its card is usually in the folder above."""
    name = component_path.rpartition("/")[2]
    return bool(component_path) and name.lower() in WEIGHTS_SUBFOLDERS

"""A component's weights as an evaluation binds to them: which files, and their digests."""

from __future__ import annotations

import posixpath
from collections.abc import Mapping

from roadworthy.artifacts import ArtifactReader
from roadworthy.formats import dvc, yamlio
from roadworthy.formats.globs import matcher
from roadworthy.metadata import Component
from roadworthy.policy.model import Policy
from roadworthy.workspace.digest import weights_digest
from roadworthy.workspace.worktree import ArtifactError


def weights_files(component: Component, policy: Policy) -> list[str]:
    """The component's files that the policy's ``weights`` material names (every material
    without keys when the policy has no entry of that name), and its ``*.dvc`` files."""
    material = policy.change_control.material
    named = [m for m in material if m.name == "weights"] or [m for m in material if not m.keys]
    matches = matcher(tuple(p for m in named for p in m.paths))
    return sorted(f for f in component.found.files if matches(f) or f.endswith(".dvc"))


class Digests:
    """Digests of a component's weights, computed on first use (weights can be gigabytes)."""

    def __init__(self, component: Component, reader: ArtifactReader, policy: Policy) -> None:
        self.folder = component.path
        self.reader = reader
        self.files = weights_files(component, policy)
        self._known: dict[str, str] | None = None  # repository path → digest

    def relative(self, path: str) -> str:
        return posixpath.relpath(path, self.folder) if self.folder else path

    def full(self, path: str) -> str:
        """A report's path (relative to the component, ``./`` and ``..`` allowed) as a
        repository path."""
        return posixpath.normpath(posixpath.join(self.folder, path) if self.folder else path)

    def of(self, path: str) -> str | None:
        """The digest of the weights at ``path`` (relative to the component), None if absent."""
        return self.all().get(self.full(path))

    def watched(self) -> list[str]:
        """The paths whose history dates the weights: the files, and what links among them
        lead to (new bytes behind a link are new weights)."""
        out = set(self.files)
        tree = self.reader.tree
        chain = getattr(tree, "link_chain", None)
        for path in self.files:
            if chain is not None:
                out |= {hop for hop in chain(path) or () if hop}
            else:
                target = _work_tree_target(tree, path)
                if target:
                    out.add(target)
        return sorted(out)

    def all(self) -> Mapping[str, str]:
        if self._known is None:
            known: dict[str, str] = {}
            for path in self.files:
                if path.endswith(".dvc"):
                    known.update(self._dvc(path))
                    continue
                try:
                    known[path] = weights_digest(self.reader.tree, path)
                except ArtifactError:
                    continue  # a file that cannot be read has no digest to match
            self._known = known
        return self._known

    def _dvc(self, path: str) -> dict[str, str]:
        folder = posixpath.dirname(path)
        try:
            outs = dvc.tracked_md5(self.reader.text(path))
        except (ArtifactError, yamlio.YamlError):
            return {}
        return {posixpath.normpath(posixpath.join(folder, out)): md5 for out, md5 in outs.items()}


def _work_tree_target(tree: object, path: str) -> str | None:
    """Where a link in the work tree leads, inside the repository (None: not a link, or out)."""
    from pathlib import Path

    root = getattr(tree, "root", None)
    if root is None or not (Path(root) / path).is_symlink():
        return None
    real, top = (Path(root) / path).resolve(), Path(root).resolve()
    return real.relative_to(top).as_posix() if real.is_relative_to(top) else None

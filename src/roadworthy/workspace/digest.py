"""The digest an evaluation report binds to: sha256 of a weights file's bytes, or, for a Git
LFS pointer, the oid it names (which is the sha256 of the weights it stands for)."""

from __future__ import annotations

import hashlib
import stat

from roadworthy.formats import lfs
from roadworthy.workspace import git
from roadworthy.workspace.revtree import SYMLINK, GitTree
from roadworthy.workspace.worktree import ArtifactError, Tree, WorkTree

_CHUNK = 1 << 20


def weights_digest(tree: Tree, path: str) -> str:
    """``sha256:<hex>`` of ``path`` as ``tree`` has it; raises `ArtifactError` when unreadable."""
    if isinstance(tree, WorkTree):
        return _work_tree_digest(tree, path)
    objects = getattr(tree, "objects", None)
    if objects is None:  # a tree of neither kind (tests): its bytes, under the size cap
        return _small_digest(tree.read_bytes(path))
    if isinstance(tree, GitTree) and tree.mode(path) == SYMLINK:
        # A link stands for what it leads to, as in the work tree: never for its own text.
        target = tree.link_target(path)
        if target is None:
            raise ArtifactError(path, "symlink out of what git records; not read")
        if tree.is_folder(target):
            raise ArtifactError(path, "links a folder: an evaluation names the files in it")
        return weights_digest(tree, target)
    blob = tree.blob_id(path)
    if blob is None:
        raise ArtifactError(path, f"not in {tree.label}")
    found = objects.read(blob, limit=lfs.MAX_POINTER_SIZE)
    if found is None:
        raise ArtifactError(path, f"not in {tree.label}")
    _, kind, data = found
    if kind == "blob":  # small enough to be read whole: maybe a pointer
        return _small_digest(data)
    return f"sha256:{git.blob_sha256(tree.root, blob)}"


def _work_tree_digest(tree: WorkTree, path: str) -> str:
    if not tree.exists(path):
        raise ArtifactError(path, "tracked but missing from the work tree")
    full = tree.root / path
    if full.is_symlink() and not full.resolve().is_relative_to(tree.root.resolve()):
        raise ArtifactError(path, "symlink out of the repository; not read")
    if full.is_dir():
        raise ArtifactError(path, "links a folder: an evaluation names the files in it")
    try:
        info = full.stat()
        if not stat.S_ISREG(info.st_mode):
            raise ArtifactError(path, "is not a regular file; not read")
        if info.st_size <= lfs.MAX_POINTER_SIZE:
            return _small_digest(full.read_bytes())
        digest = hashlib.sha256()
        with full.open("rb") as stream:
            for chunk in iter(lambda: stream.read(_CHUNK), b""):
                digest.update(chunk)
    except OSError as exc:
        raise ArtifactError(path, f"cannot be read: {exc.strerror or exc}") from None
    return f"sha256:{digest.hexdigest()}"


def _small_digest(data: bytes) -> str:
    pointer = lfs.parse(data)
    if pointer is not None:
        return pointer.oid
    return f"sha256:{hashlib.sha256(data).hexdigest()}"


__all__ = ["weights_digest"]

"""The digests of a component's weights, read without loading them into memory.

A weights file in git is either a Git LFS pointer, whose ``oid`` is the SHA-256 of the weights
it stands for (so the digest is right whether or not the weights were pulled), or the weights
themselves, hashed in 1 MiB blocks. A ``.dvc`` file that marks the component records an MD5 per
output; a folder output's MD5 (``….dir``) names DVC's listing of the folder, not bytes, so it
gives no digest.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
import re
import stat
from collections.abc import Iterator
from pathlib import Path

from roadworthy.bom.model import BYTES, DVC, LFS, Digest, Weights
from roadworthy.discovery import Found
from roadworthy.formats import lfs, yamlio
from roadworthy.formats.globs import GlobSet

# Markers that describe a model rather than hold its weights.
_DESCRIPTORS = GlobSet(["**/MLmodel", "**/model.yaml", "**/dvc.yaml", "**/*.dvc"])
_DVC_FILES = GlobSet(["**/*.dvc"])
_BLOCK = 1 << 20
_MD5 = re.compile(r"[0-9a-fA-F]{32}")


def component_weights(root: Path, found: Found) -> tuple[Weights, ...]:
    """Every weights file of the component and every DVC output its markers track, by path."""
    entries = [_hashed(root, marker) for marker in found.markers if not _DESCRIPTORS.match(marker)]
    for marker in found.markers:
        if _DVC_FILES.match(marker):
            entries += _dvc_outputs(root, marker)
    return tuple(sorted(entries, key=lambda w: (w.path, w.record)))


def _hashed(root: Path, path: str) -> Weights:
    full = root / path
    try:
        info = full.stat()
        if not stat.S_ISREG(info.st_mode) or not _inside(root, full):
            return Weights(path, None, BYTES, None, path)
        if info.st_size <= lfs.MAX_POINTER_SIZE:
            pointer = lfs.parse(full.read_bytes())
            if pointer is not None:
                digest = Digest("SHA-256", pointer.oid.partition(":")[2])
                return Weights(path, digest, LFS, pointer.size, path)
        return Weights(path, Digest("SHA-256", _sha256(full)), BYTES, info.st_size, path)
    except OSError:
        return Weights(path, None, BYTES, None, path)  # listed in git, absent from the work tree


def _sha256(full: Path) -> str:
    digest = hashlib.sha256()
    with full.open("rb") as stream:
        for block in iter(lambda: stream.read(_BLOCK), b""):
            digest.update(block)
    return digest.hexdigest()


def _inside(root: Path, full: Path) -> bool:
    # A symlinked weights file that leads out of the repository is not the repository's.
    real, base = os.path.realpath(full), os.path.realpath(root)
    return real.startswith(base + os.sep)


def _dvc_outputs(root: Path, dvc_file: str) -> Iterator[Weights]:
    try:
        data = yamlio.load((root / dvc_file).read_text(encoding="utf-8")).data
    except (OSError, UnicodeDecodeError, yamlio.YamlError):
        return  # check reports an unreadable marker; the BOM lists what it can read
    outs = data.get("outs") if isinstance(data, dict) else None
    folder = posixpath.dirname(dvc_file)
    for out in outs if isinstance(outs, list) else ():
        if not isinstance(out, dict) or not isinstance(out.get("path"), str):
            continue
        path = posixpath.normpath(posixpath.join(folder, out["path"]))
        md5 = out.get("md5")
        size = out.get("size") if isinstance(out.get("size"), int) else None
        digest = None
        if isinstance(md5, str) and _MD5.fullmatch(md5):
            digest = Digest("MD5", md5.lower())
        yield Weights(path, digest, DVC, size, dvc_file)

"""The digests of a component's weights, read without loading them into memory.

A weights file in git is either a Git LFS pointer, whose ``oid`` is the SHA-256 of the weights
it stands for (so the digest is right whether or not the weights were pulled), or the weights
themselves, hashed in 1 MiB blocks. A ``.dvc`` file that marks the component records an MD5 per
output, and a ``dvc.yaml`` that marks it gives the weights its stages produce (outputs named
like weights, under each stage's ``wdir``, and artifacts of ``type: model``) with the MD5 its
``dvc.lock`` records. A folder
output's MD5 (``….dir``) names DVC's listing of the folder, not bytes, so it gives no digest.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
import stat
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from roadworthy import lazyre
from roadworthy.bom.model import BYTES, DVC, LFS, Digest, Weights
from roadworthy.discovery import Found
from roadworthy.formats import dvc, lfs, yamlio
from roadworthy.formats.globs import GlobSet
from roadworthy.markers import WEIGHTS

# Markers that describe a model rather than hold its weights.
_DESCRIPTORS = GlobSet(["**/MLmodel", "**/model.yaml", "**/dvc.yaml", "**/*.dvc"])
_DVC_FILES = GlobSet(["**/*.dvc"])
_DVC_YAML = GlobSet(["**/dvc.yaml", "dvc.yaml"])
_WEIGHTS = GlobSet([*WEIGHTS, "**/*.bin"])
_BLOCK = 1 << 20
_MD5 = lazyre.compile(r"[0-9a-fA-F]{32}")


def component_weights(root: Path, found: Found) -> tuple[Weights, ...]:
    """Every weights file of the component and every DVC output its markers track, by path."""
    entries = [_hashed(root, marker) for marker in found.markers if not _DESCRIPTORS.match(marker)]
    for marker in found.markers:
        if _DVC_FILES.match(marker):
            entries += _dvc_outputs(root, marker)
        elif _DVC_YAML.match(marker):
            entries += _stage_outputs(root, marker)
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


_MAX_TEXT = 5 * 1024 * 1024  # a DVC file is a few lines; as check caps every artifact


def _text(root: Path, path: str) -> str | None:
    """A small text file of the repository: never through a link out of it, never a device
    or FIFO, never more than `_MAX_TEXT` bytes (a link to /dev/zero must not fill memory)."""
    full = root / path
    try:
        info = full.stat()
        if not stat.S_ISREG(info.st_mode) or not _inside(root, full):
            return None
        with full.open("rb") as stream:
            # At its size (a byte more, should it grow): read(n) makes an n-byte buffer first.
            data = stream.read(min(info.st_size, _MAX_TEXT) + 1)
        return None if len(data) > _MAX_TEXT else data.decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _yaml(root: Path, path: str) -> Any:
    text = _text(root, path)
    if text is None:
        return None  # check reports an unreadable marker; the BOM lists what it can read
    try:
        return yamlio.load(text).data
    except yamlio.YamlError:
        return None


def _dvc_outputs(root: Path, dvc_file: str) -> Iterator[Weights]:
    """Each output a ``.dvc`` file records, where DVC places it: under the file's ``wdir``
    (`dvc.in_wdir`, as change control places it). One whose place only DVC's templating
    knows, or that leaves the repository, is not the component's."""
    folder = posixpath.dirname(dvc_file)
    data = _yaml(root, dvc_file)
    wdir = dvc.file_wdir(data)
    if wdir is None:
        return
    for out_path, out in dvc.tracked_outs(data).items():
        path = posixpath.normpath(posixpath.join(folder, dvc.in_wdir(wdir, out_path)))
        if not (path.startswith(("/", "../")) or path == ".."):
            yield _recorded(path, out, dvc_file)


def _stage_outputs(root: Path, dvc_yaml: str) -> Iterator[Weights]:
    """The weights a ``dvc.yaml``'s stages produce, with what its ``dvc.lock`` records. A
    stage's outputs are under its ``wdir`` (as change control places them, `dvc.in_wdir`); an
    artifact's path is the file's own. One whose place only DVC's templating knows, or that
    leaves the repository, is not the component's."""
    data = _yaml(root, dvc_yaml)
    if not isinstance(data, dict):
        return
    folder = posixpath.dirname(dvc_yaml)
    lock_file = posixpath.join(folder, "dvc.lock")
    locked = dvc.locked_stage_outs(_yaml(root, lock_file))
    wdirs = dvc.stage_wdirs(data)
    seen: set[str] = set()
    for stage, written in sorted(dvc.stage_outs(data).items()):
        wdir = wdirs[stage]
        # A foreach/matrix stage is locked once per item, as ``stage@item``.
        records = [o for n, o in sorted(locked.items()) if n.partition("@")[0] == stage]
        for out in sorted(p for p in written if _WEIGHTS.match(p)):
            if wdir is not None:
                record = next((r[out] for r in records if out in r), None)
                yield from _placed(
                    folder, dvc.in_wdir(wdir, out), record, dvc_yaml, lock_file, seen
                )
    for out in sorted(dvc.artifact_models(data)):
        record = next((r[out] for r in locked.values() if out in r), None)
        yield from _placed(folder, out, record, dvc_yaml, lock_file, seen)


def _placed(
    folder: str,
    named: str,
    record: Mapping[str, Any] | None,
    dvc_yaml: str,
    lock_file: str,
    seen: set[str],
) -> Iterator[Weights]:
    path = posixpath.normpath(posixpath.join(folder, named))
    if path.startswith(("/", "../")) or path == ".." or path in seen:
        return
    seen.add(path)
    if record is None:
        yield Weights(path, None, DVC, None, dvc_yaml)
    else:
        yield _recorded(path, record, lock_file)


def _recorded(path: str, out: Mapping[str, Any], record: str) -> Weights:
    """An output as DVC records it: ``md5`` and ``size`` (DVC 3 adds ``hash: md5``)."""
    md5 = out.get("md5")
    size = out.get("size")
    digest = Digest("MD5", md5.lower()) if isinstance(md5, str) and _MD5.fullmatch(md5) else None
    return Weights(path, digest, DVC, size if isinstance(size, int) else None, record)

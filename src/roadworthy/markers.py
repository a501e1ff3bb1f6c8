"""Which files matched by a marker pattern really mark a model.

A name alone is not always enough. With the default markers a ``*.bin`` counts only beside its
``config.json`` (``MARKER_COMPANIONS``). Whatever the markers, a file whose kind says what it is
gets read: a ``*.dvc`` file marks a model when it tracks weights, a ``dvc.yaml`` when a stage
produces weights or an artifact is ``type: model``, and a ``model.yaml`` that is a Kubernetes
manifest (``apiVersion`` and ``kind``: a KServe or Seldon resource) does not mark one.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Sequence
from functools import lru_cache

from roadworthy import lazyre
from roadworthy.formats import dvc
from roadworthy.formats.globs import GlobSet
from roadworthy.formats.yamlio import YamlError
from roadworthy.policy.model import DEFAULT_MARKERS, MARKER_COMPANIONS
from roadworthy.workspace.worktree import ArtifactError, Tree, read_text

Test = Callable[[Tree, str], bool]

# Default markers that name weights by themselves: what a DVC output is compared with.
_NOT_WEIGHTS = ("**/*.bin", "**/MLmodel", "**/model.yaml", "**/*.dvc", "**/dvc.yaml")
WEIGHTS = tuple(p for p in DEFAULT_MARKERS if p not in _NOT_WEIGHTS)
# Folders DVC tracks whole that hold weights by their name.
WEIGHTS_FOLDERS = frozenset({"model", "models", "weights", "checkpoints", "ckpt", "saved_model"})

# A few of the weights formats, as a run that found no component names them.
_SHOWN = ("*.onnx", "*.safetensors", "*.pt", "*.gguf", "*.pkl")

_LIST_ITEM = lazyre.compile(r"^[ \t]*-[ \t]+['\"]?([^\s'\":]+)", re.M)
_MANIFEST = (lazyre.compile(r"^apiVersion:[ \t]*\S", re.M), lazyre.compile(r"^kind:[ \t]*\S", re.M))


def default_markers_in_words() -> str:
    """DEFAULT_MARKERS as a person would say them."""
    more = len(WEIGHTS) - len(_SHOWN)
    return (
        f"weights files ({', '.join(_SHOWN)} and {more} more formats), MLflow MLmodel, "
        "model.yaml, DVC-tracked weights (*.dvc, dvc.yaml outs and model artifacts)"
    )


def qualify(tree: Tree, found: Sequence[str], patterns: Sequence[str]) -> list[str]:
    """``found`` without the files whose pattern needs more than a name and that lack it. A
    file another, unconditional pattern matches is kept as that pattern says, and so is a file
    that needs reading in a folder such a file already makes a component: reading it could not
    change which folders are components (diff mode reads from git objects, so this counts)."""
    companions, readers = _tests(patterns)
    tests = {**companions, **readers}
    if not tests:
        return list(found)
    # Name and suffix lookups: this runs over every marker of the repository.
    plain = GlobSet([p for p in patterns if p not in tests]).fast_matcher()
    needs = [(GlobSet([p]).fast_matcher(), test, p in readers) for p, test in tests.items()]
    unconditional = [plain(m) for m in found]
    settled = {posixpath.dirname(m) for m, hit in zip(found, unconditional, strict=True) if hit}

    def counts(marker: str) -> bool:
        wanted = [(test, reads) for matches, test, reads in needs if matches(marker)]
        if not wanted:
            return True
        if any(reads for _, reads in wanted) and posixpath.dirname(marker) in settled:
            return True
        return any(test(tree, marker) for test, _ in wanted)

    return [m for m, hit in zip(found, unconditional, strict=True) if hit or counts(m)]


def _tests(patterns: Sequence[str]) -> tuple[dict[str, Test], dict[str, Test]]:
    """The tests by pattern: companions (with the default markers only, since a policy's own
    markers mean each as written) and readers of the file's text (whatever the markers)."""
    companions: dict[str, Test] = {}
    if tuple(patterns) == DEFAULT_MARKERS:
        for pattern, companion in MARKER_COMPANIONS.items():
            companions[pattern] = _beside(companion)
    readers: dict[str, Test] = {
        "**/*.dvc": _dvc_tracks_weights,
        "**/dvc.yaml": _pipeline_makes_a_model,
        "**/model.yaml": _not_a_manifest,
    }
    return companions, {p: test for p, test in readers.items() if p in patterns}


def _beside(companion: str) -> Test:
    def test(tree: Tree, marker: str) -> bool:
        folder = posixpath.dirname(marker)
        return tree.exists(f"{folder}/{companion}" if folder else companion)

    return test


def _dvc_tracks_weights(tree: Tree, marker: str) -> bool:
    # `dvc add` names the file after what it tracks (model.pkl.dvc): that needs no read, and a
    # file DVC cannot read still says it.
    if is_weights(marker.removesuffix(".dvc")):
        return True
    outputs = _read(tree, marker)
    return outputs is not None and any(is_weights(out) for out in outputs.outs)


def _pipeline_makes_a_model(tree: Tree, marker: str) -> bool:
    outputs = _read(tree, marker)
    if outputs is None:
        # A pipeline file YAML cannot read (a stray indent) still lists its outputs as items.
        return any(is_weights(item) for item in _list_items(tree, marker))
    return bool(outputs.models) or any(is_weights(out) for out in outputs.outs)


def _list_items(tree: Tree, marker: str) -> list[str]:
    try:
        return _LIST_ITEM.findall(read_text(tree, marker))
    except ArtifactError:
        return []


def _not_a_manifest(tree: Tree, marker: str) -> bool:
    try:
        text = read_text(tree, marker)
    except ArtifactError:
        return True  # the metadata reader reports it (RW001)
    return not all(pattern.search(text) for pattern in _MANIFEST)


def _read(tree: Tree, marker: str) -> dvc.DvcOutputs | None:
    try:
        return dvc.read(read_text(tree, marker))
    except (ArtifactError, YamlError):
        return None


def is_weights(path: str) -> bool:
    """A path whose name is a weights format's, or a folder named for weights."""
    path = path.strip().rstrip("/")
    name = posixpath.basename(path)
    return _weights()(name) or name in WEIGHTS_FOLDERS


@lru_cache(maxsize=1)
def _weights() -> Callable[[str], bool]:
    return GlobSet(WEIGHTS).fast_matcher()

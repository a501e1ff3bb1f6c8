"""treeindex: the head's markers and symlinks derived from the base's and the change are exactly
what a listing of the head finds, whatever the change does and wherever the base's came from
(a listing, the kept entry of the base, of the head, or of an older commit)."""

from __future__ import annotations

import os
import random
import shutil
from pathlib import Path

import pytest
from testing.gitrepo import GitRepo

from roadworthy.formats.globs import GlobSet
from roadworthy.markers import qualify
from roadworthy.policy.model import DEFAULT_MARKERS
from roadworthy.workspace import changes, git
from roadworthy.workspace.revtree import GitTree
from roadworthy.workspace.treecache import Entry
from roadworthy.workspace.treeindex import HeadIndex

FOLDERS = ("", "a", "a/b", "m1", "m1/weights", "m2", "m2/v1", "store", "x/y/z", ".dvc", "m2/.dvc")
NAMES = (
    "model.onnx",
    "model.yaml",
    "pytorch_model.bin",
    "shard.bin",
    "config.json",
    "data.dvc",
    "model.pkl.dvc",
    "dvc.yaml",
    "dvc.lock",
    "config",
    "config.local",
    "MLmodel",
    "ATTESTATIONS.yaml",
    "README.md",
    "blob",
)
TEXTS = {
    "model.yaml": ("name: credit\n", "apiVersion: v1\nkind: InferenceService\n"),
    "data.dvc": ("outs:\n- path: model.pt\n", "outs:\n- path: data.csv\n"),
    "dvc.yaml": (
        "stages:\n  t:\n    outs:\n    - model.pkl\n",
        "stages:\n  t:\n    outs: [a.csv]\n",
    ),
    "blob": ("apiVersion: v1\nkind: Pod\n", "outs:\n- path: w.onnx\n", "weights\n"),
}
CUSTOM = ("**/*.onnx", "**/model.yaml", "**/*.dvc", "**/weights/**")


def _free(root: Path, rel: str) -> bool:
    """Whether every folder above ``rel`` is missing or a real folder (not a file, not a link)."""
    parts = rel.split("/")[:-1]
    for i in range(1, len(parts) + 1):
        here = root.joinpath(*parts[:i])
        if here.is_symlink() or (here.exists() and not here.is_dir()):
            return False
    return True


def _remove(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.is_dir():
        shutil.rmtree(path)


def _tracked(root: Path) -> list[str]:
    out = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d != ".git" and not os.path.islink(os.path.join(folder, d))]
        links = [d for d in os.listdir(folder) if os.path.islink(os.path.join(folder, d))]
        for name in sorted(set(files) | set(links)):
            out.append(os.path.relpath(os.path.join(folder, name), root).replace(os.sep, "/"))
    return sorted(out)


def _mutate(repo: GitRepo, rng: random.Random, steps: int) -> None:
    """Random edits of the work tree: files written, removed and moved, links made and
    re-pointed (to files, to folders, named like markers), a file replaced by a folder."""
    root = repo.path
    for _ in range(steps):
        existing = _tracked(root)
        op = rng.choice(("write", "write", "write", "remove", "move", "link", "link", "folder"))
        name = rng.choice(NAMES)
        rel = "/".join(p for p in (rng.choice(FOLDERS), name) if p)
        if op == "write" and _free(root, rel):
            _remove(root / rel)
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            text = rng.choice(TEXTS.get(name, (f"{rng.random()}\n",)))
            (root / rel).write_text(text)
        elif op == "remove" and existing:
            _remove(root / rng.choice(existing))
        elif op == "move" and existing:
            old = rng.choice(existing)
            if _free(root, rel) and not (root / rel).exists() and old != rel:
                (root / rel).parent.mkdir(parents=True, exist_ok=True)
                os.rename(root / old, root / rel)
        elif op == "link" and _free(root, rel):
            targets = [*existing, *(f for f in FOLDERS if f)] or ["store"]
            target = rng.choice(targets)
            _remove(root / rel)
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            os.symlink(os.path.relpath(target, os.path.dirname(rel) or "."), root / rel)
        elif op == "folder" and existing:
            victim = rng.choice(existing)
            _remove(root / victim)
            (root / victim).mkdir()
            (root / victim / "config.json").write_text("{}\n")


def _listed(tree: GitTree, patterns: tuple[str, ...]) -> tuple[object, ...]:
    """What a listing of the tree itself says: the qualified markers, the symlinks and the DVC
    files and configuration."""
    found = tree.find(GlobSet(patterns))
    links = [(p, tree.blob_id(p) or "") for p in tree.symlinks()]
    return qualify(tree, found, patterns), sorted(links), sorted(tree.noted())


def _derived(root: Path, sides: changes.Sides, patterns: tuple[str, ...]) -> Entry:
    objects = sides.base.objects
    change_set = changes.diff(root, sides)
    index = HeadIndex(root, sides, objects)
    index.prefetch(GlobSet(patterns))
    return index.settle(
        change_set.changes, GlobSet(patterns), lambda tree, found: qualify(tree, found, patterns)
    )


def _fresh(root: Path, head: str | None) -> tuple[GitTree, git.ObjectReader]:
    objects = git.ObjectReader(root)
    if head is None:
        return changes.staged_sides(root, objects).head, objects
    return changes.range_sides(root, f"{head}..{head}", objects).head, objects


def _compare(root: Path, base: str, head: str | None, patterns: tuple[str, ...]) -> None:
    objects = git.ObjectReader(root)
    try:
        if head is None:
            sides = changes.staged_sides(root, objects)
        else:
            sides = changes.range_sides(root, f"{base}..{head}", objects)
        entry = _derived(root, sides, patterns)
        derived = (entry.qualified(), sorted(entry.links), sorted(entry.noted))
        assert sorted(sides.head.symlinks()) == [p for p, _ in entry.links]
        assert sorted(sides.head.noted()) == sorted(entry.noted)
        base_dvc = sorted(sides.base.noted())
    finally:
        objects.close()
    tree, objects = _fresh(root, head)
    try:
        assert derived == _listed(tree, patterns)
    finally:
        objects.close()
    tree, objects = _fresh(root, base)
    try:
        assert base_dvc == sorted(tree.noted())
    finally:
        objects.close()


def _forget(root: Path) -> None:
    shutil.rmtree(root / ".git" / "roadworthy", ignore_errors=True)


@pytest.mark.parametrize("patterns", [DEFAULT_MARKERS, CUSTOM], ids=["default", "custom"])
@pytest.mark.parametrize("seed", range(12))
def test_derived_head_equals_a_listing_of_it(tmp_path: Path, seed: int, patterns) -> None:
    rng = random.Random(seed)
    repo = GitRepo.init(tmp_path / "r")
    _mutate(repo, rng, 25)
    first = repo.commit("base")
    _mutate(repo, rng, rng.randint(1, 12))
    second = repo.commit("head")
    # Nothing kept: the base is listed (and kept, with the head).
    _compare(repo.path, first, second, patterns)
    # The head kept.
    _compare(repo.path, first, second, patterns)
    # Only the base kept.
    _forget(repo.path)
    _compare(repo.path, first, first, patterns)
    _compare(repo.path, first, second, patterns)
    # Staged on top of the head: the head kept as the base, the index derived.
    _mutate(repo, rng, rng.randint(1, 8))
    repo.add_all()
    _compare(repo.path, second, None, patterns)
    # Committed: only an older commit is kept, the base is derived from it.
    third = repo.commit("more")
    _forget(repo.path)
    _compare(repo.path, first, first, patterns)
    _compare(repo.path, third, None, patterns)


def test_a_companion_that_is_a_folder_deep_in_the_change(tmp_path: Path) -> None:
    # `*.bin` marks a model beside a config.json, and a folder of that name is one: the change
    # is two levels below the marker's folder, which must be qualified again all the same.
    repo = GitRepo.init(tmp_path / "r", {"m/shard.bin": "w\n", "README.md": "r\n"})
    first = repo.head
    repo.write({"m/config.json/notes.txt": "n\n"})
    second = repo.commit("companion")
    _compare(repo.path, first, second, DEFAULT_MARKERS)
    assert _derived_markers(repo.path, first, second) == ["m/shard.bin"]


def _derived_markers(root: Path, base: str, head: str) -> list[str]:
    objects = git.ObjectReader(root)
    try:
        sides = changes.range_sides(root, f"{base}..{head}", objects)
        return _derived(root, sides, DEFAULT_MARKERS).qualified()
    finally:
        objects.close()


def test_staged_unmerged_and_intent_to_add_paths(tmp_path: Path) -> None:
    # An unmerged marker is in the index at stages 1-3 (a listing of the index finds it); a file
    # added with `git add -N` is in it with no content yet.
    repo = GitRepo.init(tmp_path / "r", {"m/model.onnx": "w0\n", "m/README.md": "r\n"})
    repo.git("checkout", "-q", "-b", "other")
    repo.write({"m/model.onnx": "w1\n", "n/model.onnx": "n1\n"})
    repo.commit("theirs")
    repo.git("checkout", "-q", "main")
    repo.write({"m/model.onnx": "w2\n", "n/model.onnx": "n2\n"})
    ours = repo.commit("ours")
    repo.git("merge", "-q", "other", check=False)
    assert "UU m/model.onnx" in repo.git("status", "--short")
    repo.write({"p/model.pt": "p\n"})
    repo.git("add", "-N", "p/model.pt")
    _compare(repo.path, ours, None, DEFAULT_MARKERS)
    _compare(repo.path, ours, None, DEFAULT_MARKERS)
    _same_as_the_index(repo)


def _same_as_the_index(repo: GitRepo) -> None:
    from roadworthy.workspace.index import IndexTree

    probes = _probes(repo)
    objects = git.ObjectReader(repo.path)
    try:
        change_set = changes.resolve_staged(repo.path, objects)
        staged = _answers(change_set.head, probes)
        index = _answers(IndexTree(repo.path, objects, change_set.head.max_file_size), probes)
    finally:
        objects.close()
    assert staged == index


def _probes(repo: GitRepo) -> list[str]:
    """Every path HEAD or the index holds, every folder above one, and a few that are not."""
    paths = set(repo.git("ls-files", "-z").split("\0")) | set(
        repo.git("ls-tree", "-r", "-z", "--name-only", "HEAD").split("\0")
    )
    paths.discard("")
    folders = {p.rsplit("/", i)[0] for p in paths for i in range(1, p.count("/") + 1)}
    return sorted(paths | folders | {"nowhere", "a/nowhere", "m1/weights/none"})


def _answers(tree: GitTree, probes: list[str]) -> dict[str, object]:
    folders = [p for p in probes if tree.is_folder(p)]
    listed = tree.files_under([*folders, ""])
    return {
        "entries": [(p, tree.exists(p), tree.mode(p), tree.blob_id(p)) for p in probes],
        "folders": folders,
        "listed": {k: sorted(v) for k, v in listed.items()},
        "sizes": [(p, tree.size(p)) for p in probes if tree.mode(p) not in (None, "160000")],
    }


@pytest.mark.parametrize("seed", range(8))
def test_the_staged_tree_answers_as_the_index_does(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    repo = GitRepo.init(tmp_path / "r")
    _mutate(repo, rng, 25)
    repo.commit("base")
    _mutate(repo, rng, rng.randint(1, 10))
    repo.add_all()
    if seed % 3 == 0:
        repo.write({"late/model.onnx": "not yet\n"})
        repo.git("add", "-N", "late/model.onnx")
    _same_as_the_index(repo)

"""CommitTree.children: a folder inside a listed one is answered from the listing, with what
its tree object says (files, links, submodules and folders; nothing for what git does not
descend into), and without reading a tree object."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from testing.gitrepo import GitRepo

from roadworthy.workspace import git
from roadworthy.workspace.commit import CommitTree

FILES = {
    "models/a/model.yaml": "name: a\n",
    "models/a/MODEL_CARD.md": "# a\n",
    "models/a/weights/model.onnx": "w",
    "models/a/weights/deep/er/x.bin": "x",
    "models/a/model.yaml.d/part": "a folder named like a marker",
    "models/b/model.yaml": "name: b\n",
    "models/ab/model.yaml": "a sibling whose name starts like a",
    "other/file": "o",
}
FOLDERS = (
    "models/a",
    "models/a/weights",
    "models/a/weights/deep",
    "models/a/model.yaml.d",
    "models/a/link",  # a link to a folder: no folder of the tree
    "models/a/sub",  # a submodule pinned to a tree's id: no folder of the tree either
    "models/a/model.yaml",  # a file
    "models/a/missing",
    "models/b",
)


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> GitRepo:
    repo = GitRepo.init(tmp_path_factory.mktemp("children"), FILES)
    os.symlink("../b", repo.path / "models/a/link")
    repo.git("add", "models/a/link")
    tree = repo.git("rev-parse", "HEAD^{tree}").strip()
    repo.git("update-index", "--add", "--cacheinfo", f"160000,{tree},models/a/sub")
    repo.commit("a link and a submodule", stage_all=False)
    return repo


def _tree(repo: GitRepo, objects: git.ObjectReader) -> CommitTree:
    head = repo.git("rev-parse", "HEAD").strip()
    return CommitTree(Path(repo.path), head, objects)


@pytest.mark.parametrize("listed", [["models/a", "models/b"], ["models"]])
def test_children_from_a_listing_are_those_of_the_tree_objects(repo: GitRepo, listed: list[str]):
    objects = git.ObjectReader(repo.path)
    try:
        read = _tree(repo, objects)
        expected = {folder: sorted(read.children(folder)) for folder in FOLDERS}
        tree = _tree(repo, objects)
        tree.files_under(listed)
        reads: list[object] = []
        real = objects.read_many
        objects.read_many = lambda *a, **k: reads.append(a) or real(*a, **k)  # type: ignore[method-assign]
        assert {folder: tree.children(folder) for folder in FOLDERS} == expected
        assert reads == []  # answered from the listing
    finally:
        objects.close()
    assert expected["models/a"] == [
        "models/a/MODEL_CARD.md",
        "models/a/link",
        "models/a/model.yaml",
        "models/a/model.yaml.d",
        "models/a/sub",
        "models/a/weights",
    ]
    assert expected["models/a/weights"] == ["models/a/weights/deep", "models/a/weights/model.onnx"]
    for nothing in ("models/a/link", "models/a/sub", "models/a/model.yaml", "models/a/missing"):
        assert expected[nothing] == []


def test_a_folder_outside_the_listing_is_read_from_git(repo: GitRepo):
    objects = git.ObjectReader(repo.path)
    try:
        tree = _tree(repo, objects)
        tree.files_under(["models/a"])
        assert tree.children("other") == ["other/file"]
        assert tree.children("models") == ["models/a", "models/ab", "models/b"]
    finally:
        objects.close()

"""CommitTree.expect_files_under: a listing started ahead is what `files_under` of the same
folders reads, gives what a listing started then gives, and is never left running."""

from __future__ import annotations

from pathlib import Path

import pytest
from testing.gitrepo import GitRepo

from roadworthy.workspace import git
from roadworthy.workspace.commit import CommitTree

FILES = {
    "models/a/model.yaml": "name: a\n",
    "models/a/weights/w.onnx": "w",
    "models/b/model.yaml": "name: b\n",
    "models/b c/x.txt": "a folder with a space",
    "other/file": "o",
}


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> GitRepo:
    return GitRepo.init(tmp_path_factory.mktemp("expected"), FILES)


@pytest.fixture()
def objects(repo: GitRepo):
    reader = git.ObjectReader(repo.path)
    yield reader
    reader.close()


def _tree(repo: GitRepo, objects: git.ObjectReader) -> CommitTree:
    return CommitTree(Path(repo.path), repo.head, objects)


def _listed(tree: CommitTree, dirs: list[str]) -> dict[str, list[str]]:
    return {d: sorted(paths) for d, paths in tree.files_under(dirs).items()}


def test_the_listing_started_ahead_is_read_and_says_the_same(repo, objects, monkeypatch):
    dirs = ["models/a", "models/b c"]
    expected = _listed(_tree(repo, objects), dirs)
    tree = _tree(repo, objects)
    tree.expect_files_under(dirs)
    started: list[object] = []
    monkeypatch.setattr(git, "iter_z_chunks", lambda *a, **k: started.append(a))
    assert _listed(tree, dirs) == expected
    assert started == []  # no second git process: the one started ahead was read
    assert expected == {
        "models/a": ["models/a/model.yaml", "models/a/weights/w.onnx"],
        "models/b c": ["models/b c/x.txt"],
    }
    assert tree.size("models/a/weights/w.onnx") == 1  # the sizes came with it


def test_other_folders_are_listed_afresh_and_the_one_ahead_is_stopped(repo, objects):
    tree = _tree(repo, objects)
    tree.expect_files_under(["models/a"])
    pending = tree._expected
    assert pending is not None
    assert _listed(tree, ["models/b"]) == {"models/b": ["models/b/model.yaml"]}
    assert tree._expected is None
    assert pending[1]._proc is None  # stopped and reaped


def test_a_listing_nobody_reads_is_stopped(repo, objects):
    tree = _tree(repo, objects)
    tree.expect_files_under(["models"])
    pending = tree._expected
    assert pending is not None
    process = pending[1]._proc
    assert process is not None
    tree.drop_expected()
    assert tree._expected is None and process.returncode is not None
    tree.drop_expected()  # twice: nothing left to do


def test_expecting_the_same_folders_again_keeps_the_listing_and_others_replace_it(repo, objects):
    # Diff mode starts the touched components' listing on the layout it guessed, and starts
    # it again on the layout it settles: the same folders go on being listed, others not.
    tree = _tree(repo, objects)
    tree.expect_files_under(["models/a", "models/b"])
    first = tree._expected
    assert first is not None
    tree.expect_files_under(("models/b", "models/a"))  # the same set, however given
    assert tree._expected is first and first[1]._proc is not None
    tree.expect_files_under(["models/a"])
    assert tree._expected is not first and first[1]._proc is None  # stopped and reaped
    assert _listed(tree, ["models/a"]) == {
        "models/a": ["models/a/model.yaml", "models/a/weights/w.onnx"]
    }

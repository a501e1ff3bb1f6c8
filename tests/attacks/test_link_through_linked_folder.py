"""A weights symlink whose target lies under a *linked folder*: ``models/credit/model.onnx ->
../../store/current/w.npy`` with ``store/current -> v1`` (the release layout: a "current"
folder link). Git's objects have no ``store/current/w.npy`` (git does not follow links in a
path), so the chain stops there: re-pointing ``store/current`` at other weights, or new bytes in
``store/v1/w.npy``, touches nothing the chain names. No component is judged: 0 findings."""

from __future__ import annotations

import os

import pytest
from testing.gitrepo import GitRepo

from tests.change.conftest import MALLORY, codes


@pytest.fixture()
def through_folder(credit_repo: GitRepo) -> GitRepo:
    repo = credit_repo
    repo.write(
        {
            "models/credit/model.onnx": None,
            "store/v1/w.npy": b"weights-v1\n",
            "store/v2/w.npy": b"weights-EVIL\n",
        }
    )
    os.symlink("../../store/current/w.npy", repo.path / "models/credit/model.onnx")
    os.symlink("v1", repo.path / "store/current")
    repo.commit("serve the current release")
    repo.git("branch", "-f", "base")
    assert (repo.path / "models/credit/model.onnx").read_bytes() == b"weights-v1\n"
    return repo


def test_repointing_the_linked_folder_is_a_weights_change(through_folder, judge):
    repo = through_folder
    (repo.path / "store/current").unlink()
    os.symlink("v2", repo.path / "store/current")
    repo.commit("promote v2", author=MALLORY)
    assert (repo.path / "models/credit/model.onnx").read_bytes() == b"weights-EVIL\n"
    code, found = judge(repo)
    assert "RW401" in codes(found), found
    assert code == 1


def test_new_bytes_under_the_linked_folder_are_a_weights_change(through_folder, judge):
    repo = through_folder
    repo.write({"store/v1/w.npy": b"weights-EVIL\n"})
    repo.commit("hotfix v1 in place", author=MALLORY)
    assert (repo.path / "models/credit/model.onnx").read_bytes() == b"weights-EVIL\n"
    code, found = judge(repo)
    assert "RW401" in codes(found), found
    assert code == 1


def test_staged_new_bytes_under_the_linked_folder(through_folder, judge):
    repo = through_folder
    repo.write({"store/v1/w.npy": b"weights-EVIL\n"})
    repo.add_all()
    code, found = judge(repo, "--staged")
    assert "RW401" in codes(found), found
    assert code == 1

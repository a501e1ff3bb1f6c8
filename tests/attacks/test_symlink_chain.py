"""A weights symlink is followed one hop when the change is matched to it, but the approval's
digest follows the whole chain. ``models/credit/model.onnx -> ../../store/current.npy`` and
``store/current.npy -> blobs/w.npy`` (a "current" pointer into a store, every name material):
new bytes in ``store/blobs/w.npy`` are new weights for the credit model, yet only links whose
*own* target the change touches are judged, and ``store/current.npy`` did not change. No
component is judged: 0 findings, exit 0, in every diff mode."""

from __future__ import annotations

import os

import pytest
from testing.gitrepo import GitRepo

from tests.change.conftest import MALLORY, codes


@pytest.fixture()
def chained(credit_repo: GitRepo) -> GitRepo:
    repo = credit_repo
    repo.write({"models/credit/model.onnx": None, "store/blobs/w.npy": b"weights-v1\n"})
    os.symlink("../../store/current.npy", repo.path / "models/credit/model.onnx")
    os.symlink("blobs/w.npy", repo.path / "store/current.npy")
    repo.commit("weights behind a current pointer")
    repo.git("branch", "-f", "base")
    repo.write({"store/blobs/w.npy": b"weights-EVIL\n"})
    return repo


def test_diff_follows_a_symlink_chain_to_the_bytes_that_changed(chained, judge):
    chained.commit("refresh the store", author=MALLORY)
    code, found = judge(chained)
    assert "RW401" in codes(found), found
    assert code == 1


def test_staged_follows_a_symlink_chain_to_the_bytes_that_changed(chained, judge):
    chained.add_all()
    code, found = judge(chained, "--staged")
    assert "RW401" in codes(found), found
    assert code == 1

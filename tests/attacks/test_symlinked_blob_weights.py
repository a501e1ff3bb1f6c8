"""A component's weights are a committed symlink into a content store (the Hugging Face cache
layout: ``model.onnx -> ../../blobs/<sha>``). The change rewrites the blob, whose name matches
no material pattern and no marker: the weights the component serves are new, nobody approved
them, and every diff mode passes."""

from __future__ import annotations

import os

import pytest
from testing.gitrepo import GitRepo

from tests.change.conftest import MALLORY, codes

# (blob, link target): a store at the repository root, or inside the component itself
STORES = [("blobs/9f2c41", "../../blobs/9f2c41"), ("models/credit/blobs/9f2c41", "blobs/9f2c41")]


@pytest.fixture(params=STORES, ids=["store-outside", "store-inside"])
def linked_repo(credit_repo: GitRepo, request) -> tuple[GitRepo, str]:
    blob, target = request.param
    repo = credit_repo
    repo.write({"models/credit/model.onnx": None, blob: b"weights-v1\n"})
    os.symlink(target, repo.path / "models/credit/model.onnx")
    repo.commit("weights live in the blob store")
    repo.git("branch", "-f", "base")
    return repo, blob


def test_diff_flags_new_bytes_behind_a_weights_symlink(linked_repo, judge):
    repo, blob = linked_repo
    repo.write({blob: b"weights-EVIL\n"})
    repo.commit("refresh blob store", author=MALLORY)
    code, found = judge(repo)
    assert "RW401" in codes(found), found
    assert code == 1


def test_staged_flags_new_bytes_behind_a_weights_symlink(linked_repo, judge):
    repo, blob = linked_repo
    repo.write({blob: b"weights-EVIL\n"})
    repo.add_all()
    code, found = judge(repo, "--staged")
    assert "RW401" in codes(found), found
    assert code == 1

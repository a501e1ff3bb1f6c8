"""A link's target is resolved by ``posixpath.normpath``, which removes ``x/..`` by spelling; the
system resolves ``x`` first and, when ``x`` is a link, goes up from where it leads. With
``store/current -> sub/rel``, the link ``model.onnx -> ../../store/current/../v2/w.npy`` is
``store/v2/w.npy`` to roadworthy (which exists, so nothing looks wrong, and an approval digests
those bytes) but ``store/sub/v2/w.npy`` to the system that serves it. New bytes there are new
weights for the credit model: 0 findings."""

from __future__ import annotations

import os

import pytest
from testing.gitrepo import GitRepo

from tests.change.conftest import MALLORY, codes


@pytest.fixture()
def planted(credit_repo: GitRepo) -> GitRepo:
    repo = credit_repo
    repo.write(
        {
            "models/credit/model.onnx": None,
            "store/v2/w.npy": b"weights-v1\n",
            "store/sub/v2/w.npy": b"weights-v1\n",
            "store/sub/rel/README": "release folder\n",
        }
    )
    os.symlink("sub/rel", repo.path / "store/current")
    os.symlink("../../store/current/../v2/w.npy", repo.path / "models/credit/model.onnx")
    repo.commit("serve through the current release")
    repo.git("branch", "-f", "base")
    return repo


@pytest.mark.parametrize("mode", ["diff", "staged"])
def test_the_bytes_the_system_reads_through_the_link_are_judged(planted, judge, mode):
    repo = planted
    repo.write({"store/sub/v2/w.npy": b"weights-EVIL\n"})
    assert (repo.path / "models/credit/model.onnx").read_bytes() == b"weights-EVIL\n"
    if mode == "diff":
        repo.commit("refresh", author=MALLORY)
        code, found = judge(repo)
    else:
        repo.add_all()
        code, found = judge(repo, "--staged")
    assert "RW401" in codes(found), found
    assert code == 1

"""A component's weights folder is a link (``models/credit/weights -> ../../store/w``) and the
store's folder holds links into a blob store (``store/w/shard.npy -> ../blobs/9f2c41``, the
Hugging Face cache layout). New bytes in the blob reach the credit model through two links, but
the change is looked up only among the links whose own chain reaches it (``store/w/shard.npy``,
in no component), and the folder digest an approval binds covers the link's *text*, which did
not change: no component is judged, and an old approval would still match."""

from __future__ import annotations

import os

import pytest
from testing.gitrepo import GitRepo

from tests.change.conftest import ALICE, MALLORY, approve, codes


@pytest.fixture()
def stored(credit_repo: GitRepo) -> GitRepo:
    repo = credit_repo
    repo.write({"store/blobs/9f2c41": b"weights-v1\n", "store/w/README": "snapshot\n"})
    os.symlink("../blobs/9f2c41", repo.path / "store/w/shard.npy")
    os.symlink("../../store/w", repo.path / "models/credit/weights")
    repo.commit("weights from the snapshot store")
    repo.git("branch", "-f", "base")
    return repo


@pytest.mark.parametrize("mode", ["diff", "staged"])
def test_new_bytes_behind_a_link_in_a_linked_folder_are_judged(stored, judge, mode):
    repo = stored
    repo.write({"store/blobs/9f2c41": b"weights-EVIL\n"})
    assert (repo.path / "models/credit/weights/shard.npy").read_bytes() == b"weights-EVIL\n"
    if mode == "diff":
        repo.commit("refresh the blob", author=MALLORY)
        code, found = judge(repo)
    else:
        repo.add_all()
        code, found = judge(repo, "--staged")
    assert "RW401" in codes(found), found
    assert code == 1


def test_an_approval_of_one_linked_folder_does_not_cover_another_with_other_bytes(
    credit_repo: GitRepo, judge, run_cli
):
    """The folder digest (relative paths, modes, blob ids) is the same for two folders whose
    links have the same text but resolve elsewhere (``store/w/shard.npy -> ../blobs/9f2c41``
    and ``other/w/shard.npy -> ../blobs/9f2c41``): alice's approval of the store's weights
    covers mallory's re-pointing of the weights folder at other bytes."""
    repo = credit_repo
    policy = (repo.path / "roadworthy.yaml").read_text()
    repo.write(
        {
            "roadworthy.yaml": policy + "change_control:\n  require_version_bump: false\n",
            "store/blobs/9f2c41": b"weights-v1\n",
            "store/w/README": "snapshot\n",
        }
    )
    os.symlink("../blobs/9f2c41", repo.path / "store/w/shard.npy")
    os.symlink("../../store/w", repo.path / "models/credit/weights")
    repo.commit("weights from the snapshot store", author=MALLORY)

    approve(run_cli, repo, "models/credit", "--by", "@alice")
    repo.commit("alice approves the snapshot", author=ALICE)
    repo.git("branch", "-f", "base")

    repo.write({"other/blobs/9f2c41": b"weights-EVIL\n", "other/w/README": "snapshot\n"})
    os.symlink("../blobs/9f2c41", repo.path / "other/w/shard.npy")
    (repo.path / "models/credit/weights").unlink()
    os.symlink("../../other/w", repo.path / "models/credit/weights")
    repo.commit("weights from the other store", author=MALLORY)
    assert (repo.path / "models/credit/weights/shard.npy").read_bytes() == b"weights-EVIL\n"
    code, found = judge(repo)
    assert "RW401" in codes(found), found
    assert code == 1

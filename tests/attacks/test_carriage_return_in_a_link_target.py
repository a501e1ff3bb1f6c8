"""``git cat-file --batch`` reads its requests with ``strbuf_getline``, which drops a carriage
return before the newline: ``<rev>:store\\r`` is answered with the tree of ``store``. The newline
fix sends names with ``\\n`` alone, but a name *ending* in ``\\r`` still goes through the batch. A
weights link re-pointed at ``store\\r/w.npy`` (a folder whose name differs by an invisible
character) is resolved by roadworthy to ``store/w.npy``, the approved bytes: alice's old
approval covers mallory's new weights, and no RW401 is reported."""

from __future__ import annotations

import os

import pytest
from testing.gitrepo import GitRepo

from tests.change.conftest import ALICE, MALLORY, approve, codes


@pytest.mark.parametrize("folder", ["store2", "store\r"], ids=["other-name", "trailing-cr"])
def test_a_link_into_a_folder_named_with_a_trailing_cr_is_judged_by_its_own_bytes(
    credit_repo: GitRepo, judge, run_cli, folder
):
    repo = credit_repo
    policy = (repo.path / "roadworthy.yaml").read_text()
    repo.write(
        {
            "roadworthy.yaml": policy + "change_control:\n  require_version_bump: false\n",
            "models/credit/model.onnx": None,
            "store/w.npy": b"weights-v1\n",
        }
    )
    os.symlink("../../store/w.npy", repo.path / "models/credit/model.onnx")
    repo.commit("weights in the store", author=MALLORY)
    approve(run_cli, repo, "models/credit", "--by", "@alice")
    repo.commit("alice approves the stored weights", author=ALICE)
    repo.git("branch", "-f", "base")

    repo.write({f"{folder}/w.npy": b"weights-EVIL\n"})
    (repo.path / "models/credit/model.onnx").unlink()
    os.symlink(f"../../{folder}/w.npy", repo.path / "models/credit/model.onnx")
    repo.commit("move the store", author=MALLORY)
    assert (repo.path / "models/credit/model.onnx").read_bytes() == b"weights-EVIL\n"
    code, found = judge(repo)
    assert "RW401" in codes(found), found
    assert code == 1

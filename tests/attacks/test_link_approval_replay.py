"""An approval is bound to a digest "over the component's material files"; a weights folder
reached through a committed symlink (``models/credit/savedmodel -> ../../store/credit``) is not
in that digest. The change to the weights behind the link is seen (RW401 names it), but the
approval the owners gave for the *old* weights still matches the digest and is accepted: the
approval survives a change of the approved bytes."""

from __future__ import annotations

import os

from testing.gitrepo import GitRepo

from tests.change.conftest import ALICE, MALLORY, approve, codes

VARS = "store/credit/variables/variables.data-00000-of-00001"


def test_old_approval_does_not_cover_new_weights_behind_a_folder_link(
    credit_repo: GitRepo, judge, run_cli
):
    repo = credit_repo
    repo.write({VARS: b"weights-v1\n"})
    os.symlink("../../store/credit", repo.path / "models/credit/savedmodel")
    repo.add_all()
    approve(run_cli, repo, "models/credit", "--by", "@alice")
    repo.commit("savedmodel v1, approved by alice", author=ALICE)
    repo.git("branch", "-f", "base")

    repo.write({VARS: b"weights-EVIL\n"})
    repo.commit("new variables", author=MALLORY)
    code, found = judge(repo)
    # Today: only RW404/RW405 (version, card); RW401 is satisfied by alice's approval of v1.
    assert "RW401" in codes(found), found
    assert code == 1

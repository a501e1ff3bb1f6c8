"""Authorship from ``git log --name-only`` names a renamed file by its *new* path only. An owner
who removes a component by moving it to an attic (``git mv models/credit attic/credit``, the
weights renamed ``model.onnx.bak`` so that the attic is no component) is credited with
``attic/…`` and with nothing of ``models/credit``: she approves her own removal. (Deleting the
folder instead is caught as self-approval.)"""

from __future__ import annotations

import pytest
from testing.gitrepo import GitRepo

from tests.change.conftest import ALICE, approve


@pytest.mark.parametrize("how", ["delete", "rename"])
def test_the_remover_of_a_component_cannot_approve_its_removal(
    credit_repo: GitRepo, judge, run_cli, how
):
    repo = credit_repo
    if how == "rename":
        (repo.path / "attic").mkdir()
        repo.git("mv", "models/credit", "attic/credit")
        repo.git("mv", "attic/credit/model.onnx", "attic/credit/model.onnx.bak")
    else:
        repo.git("rm", "-q", "-r", "models/credit")
    repo.commit("retire the credit model", author=ALICE)
    approve(run_cli, repo, "models/credit", "--by", "@alice")
    repo.commit("alice approves the removal", author=ALICE)
    code, found = judge(repo)
    assert any("self-approval" in message for _, _, message in found), found
    assert code == 1

"""Self-approval through a linked weights folder. The material change "savedmodel links to
store/credit, which changed" is attributed to the authors of commits touching the *link*
(``models/credit/savedmodel``), which nobody touched. The author of the new variables behind
the link is nobody, so she approves her own weights alone."""

from __future__ import annotations

import os

from testing.gitrepo import GitRepo

from tests.change.conftest import ALICE, approve, card, codes

VARS = "store/credit/variables/variables.data-00000-of-00001"


def test_the_author_of_weights_behind_a_link_cannot_approve_them(
    credit_repo: GitRepo, judge, run_cli
):
    repo = credit_repo
    repo.write({VARS: b"weights-v1\n"})
    os.symlink("../../store/credit", repo.path / "models/credit/savedmodel")
    repo.commit("savedmodel lives in the store")
    repo.git("branch", "-f", "base")

    repo.write({VARS: b"weights-v2\n", "models/credit/MODEL_CARD.md": card("1.1.0")})
    repo.commit("new variables", author=ALICE)
    code, found = judge(repo)
    assert "RW401" in codes(found)  # seen as material, no approval yet

    approve(run_cli, repo, "models/credit", "--by", "@alice")
    repo.commit("alice approves", author=ALICE)
    code, found = judge(repo)
    assert any("self-approval" in message for _, _, message in found), found
    assert code == 1

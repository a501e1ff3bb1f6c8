"""The fix for a ledger renamed away judges a rename by its new name: renamed to a name no
ledger has, its entries are removed (RW409). Renamed to a *ledger's* name somewhere no component
reads it (``models/credit/archive/APPROVALS.yaml``), the rename is compared with itself: no
edit, no finding, and the credit model's approval history is gone from its ledger."""

from __future__ import annotations

from testing.gitrepo import GitRepo

from tests.change.conftest import ALICE, MALLORY, approve, codes

LEDGER = "models/credit/APPROVALS.yaml"


def test_a_ledger_moved_where_no_component_reads_it_is_a_removal(
    credit_repo: GitRepo, judge, run_cli
):
    repo = credit_repo
    approve(run_cli, repo, "models/credit", "--by", "@alice")
    repo.commit("alice approves", author=ALICE)
    repo.git("branch", "-f", "base")

    (repo.path / "models/credit/archive").mkdir()
    repo.git("mv", LEDGER, "models/credit/archive/APPROVALS.yaml")
    repo.commit("archive old approvals", author=MALLORY)
    code, found = judge(repo)
    assert "RW409" in codes(found), found
    assert code == 1

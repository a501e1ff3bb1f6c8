"""Ledgers are append-only: removing an entry, or the whole ledger, is RW409. The check looks at
changes whose path after the change is named like a ledger; git's rename detection turns
``git mv APPROVALS.yaml APPROVALS.yaml.orig`` into one rename whose new name is not a ledger's,
so the component's approval history disappears with no finding (a plain ``git rm`` is caught)."""

from __future__ import annotations

from testing.gitrepo import GitRepo

from tests.change.conftest import ALICE, MALLORY, approve, codes

LEDGER = "models/credit/APPROVALS.yaml"


def test_a_ledger_renamed_away_is_a_removal_of_its_entries(credit_repo: GitRepo, judge, run_cli):
    repo = credit_repo
    approve(run_cli, repo, "models/credit", "--by", "@alice")
    repo.commit("alice approves", author=ALICE)
    repo.git("branch", "-f", "base")

    repo.git("mv", LEDGER, f"{LEDGER}.orig")
    repo.commit("tidy up", author=MALLORY)
    code, found = judge(repo)
    # `git rm` of the same file: "entry 1 (@alice on 2026-11-21) was removed".
    assert "RW409" in codes(found), found
    assert code == 1

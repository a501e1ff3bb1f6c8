"""Readiness counts yellow dimensions: ``max_yellow: 1`` lets a component carry warnings in one
dimension without a sign-off. A stale card (RW204, governance) and a broken link (RW206,
integration) are two, so RW411 asks for a sign-off. A policy change that only moves RW206 into
the governance dimension makes them one: RW411 goes quiet for every component, and RW406 names
no weakening (a rule's dimension is not compared), so the reviewers approving the governance
change are shown nothing. Real git repositories, the real CLI."""

from __future__ import annotations

from testing.gitrepo import GitRepo

from tests.change.conftest import MALLORY, POLICY, base_files, card

READINESS = 'readiness:\n  max_yellow: 1\n  signoff:\n    approvers: ["@bob"]\n'


def test_moving_a_rule_to_another_dimension_is_a_weakening(make_repo, judge, run_cli):
    files = base_files()
    files["roadworthy.yaml"] = POLICY + READINESS
    stale = card().replace("last_reviewed: 2026-10-01", "last_reviewed: 2024-01-01")
    files["models/credit/MODEL_CARD.md"] = stale + "\nSee [notes](missing.md).\n"
    repo: GitRepo = make_repo(files)
    repo.git("branch", "base")
    before = run_cli("check", "--format", "json", cwd=repo.path).out
    assert "RW411" in before, "two yellow dimensions need a sign-off before the change"
    repo.write(
        {"roadworthy.yaml": POLICY + READINESS + "rules:\n  RW206:\n    dimension: governance\n"}
    )
    after = run_cli("check", "--format", "json", cwd=repo.path).out
    assert "RW411" not in after, "the change is what silences RW411"
    repo.commit("tidy the policy", author=MALLORY)
    _, found = judge(repo)
    assert "RW407" in [c for c, _, _ in found], found  # the change is seen...
    assert any(c == "RW406" and "RW206" in m for c, _, m in found), found  # ...not named

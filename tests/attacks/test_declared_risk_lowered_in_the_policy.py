"""A component's risk and stage come first from the policy's ``components.declare`` entry.
RW406 names a declared component removed, not one whose declared risk or stage is lowered: a
policy edit taking the credit model from ``risk: high`` to ``minimal`` (fewer approvers, fewer
owners, another stage's criteria) shows only as an unapproved governance change (RW407), with
no weakening named for the reviewers who approve it, and no RW401 for the component's own
owners, as the same change made in its card would need. Real git repositories, the real CLI."""

from __future__ import annotations

import json

from testing.gitrepo import GitRepo

from tests.change.conftest import MALLORY, POLICY, base_files

DECLARE = "components:\n  declare:\n    - {{path: models/credit, risk: {risk}}}\n"


def test_lowering_a_declared_risk_is_a_weakening(make_repo, judge, run_cli):
    files = base_files()
    files["roadworthy.yaml"] = POLICY + DECLARE.format(risk="high")
    repo: GitRepo = make_repo(files)
    repo.git("branch", "base")
    repo.write({"roadworthy.yaml": POLICY + DECLARE.format(risk="minimal")})
    shown = json.loads(run_cli("check", "--format", "json", cwd=repo.path).out)
    assert [c["risk"] for c in shown["components"]] == ["minimal"], shown["components"]
    repo.commit("tidy the policy", author=MALLORY)
    _, found = judge(repo)
    assert "RW407" in [c for c, _, _ in found], found  # the change is seen...
    assert any(c == "RW406" and "models/credit" in m for c, _, m in found), found  # ...not named

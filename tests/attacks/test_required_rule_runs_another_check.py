"""RW406 compares a rule's severity, scope and options, not the check it runs. A stage
requires the organisation's own ``ORG101`` (``check: version-bump``, no options); a policy
change has it run ``contract-compat`` instead (no options either): the required rule now asks
something else, and RW406 names no weakening, so the reviewers approving the governance change
are shown nothing. (The RW rules cannot be re-pointed: the prefix is reserved; held.)
Real git repositories, the real CLI."""

from __future__ import annotations

from testing.gitrepo import GitRepo

from tests.change.conftest import MALLORY, POLICY, base_files

RULE = """\
rules:
  ORG101:
    name: version-bumped
    check: {check}
    dimension: governance
stages:
  supervised:
    requires: [ORG101]
"""


def test_a_required_rule_running_another_check_is_a_weakening(make_repo, judge):
    files = base_files()
    files["roadworthy.yaml"] = POLICY + RULE.format(check="version-bump")
    repo: GitRepo = make_repo(files)
    repo.git("branch", "base")
    repo.write({"roadworthy.yaml": POLICY + RULE.format(check="contract-compat")})
    repo.commit("tidy the policy", author=MALLORY)
    _, found = judge(repo)
    assert "RW407" in [c for c, _, _ in found], found  # the change is seen...
    assert any(c == "RW406" and "ORG101" in m for c, _, m in found), found  # ...not named

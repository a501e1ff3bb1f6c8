"""The policy is governed by its path: a change to ``roadworthy.yaml`` (or a file it extends)
needs a governance approval (RW407) and every weakening is named (RW406). When
``roadworthy.yaml`` is a symlink to ``config/policy.yaml`` (a monorepo keeping its configs
together), the policy is read through the link, but the change is matched on the link's path:
a change that only edits ``config/policy.yaml`` — here, switching RW401 off — is no governance
change at all, 0 findings, and from the next pull request on nothing needs an approval."""

from __future__ import annotations

import os

from testing.gitrepo import GitRepo

from tests.change.conftest import MALLORY, POLICY, codes

LOOSENED = POLICY + "rules:\n  RW401: {enabled: false}\n"


def test_editing_the_target_of_a_policy_symlink_is_a_governance_change(credit_repo: GitRepo, judge):
    repo = credit_repo
    repo.write({"roadworthy.yaml": None, "config/policy.yaml": POLICY})
    os.symlink("config/policy.yaml", repo.path / "roadworthy.yaml")
    repo.commit("the policy lives in config/")
    repo.git("branch", "-f", "base")

    repo.write({"config/policy.yaml": LOOSENED})
    repo.commit("tidy the policy", author=MALLORY)
    code, found = judge(repo)
    assert {"RW406", "RW407"} & set(codes(found)), found
    assert code == 1


def test_editing_the_target_of_a_codeowners_symlink_is_a_governance_change(
    credit_repo: GitRepo, judge
):
    repo = credit_repo
    owners = (repo.path / ".github/CODEOWNERS").read_text()
    repo.write({".github/CODEOWNERS": None, "docs/owners.txt": owners})
    os.symlink("../docs/owners.txt", repo.path / ".github/CODEOWNERS")
    repo.commit("owners are documented in docs/")
    repo.git("branch", "-f", "base")

    repo.write({"docs/owners.txt": owners.replace("@alice @bob", "@mallory")})
    repo.commit("update the owners page", author=MALLORY)
    code, found = judge(repo)
    assert "RW407" in codes(found), found
    assert code == 1

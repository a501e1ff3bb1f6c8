"""At ``verify: author`` an entry counts "for that approver only", so that two approvers mean two
entries committed by two people. But the approver an entry proves is a *handle*: when the people
map gives alice's address to her own handle and to her team's (``"@acme/ml-leads": [alice@…,
bob@…]``, as a policy does for a CODEOWNERS team it cannot resolve offline), alice commits one
entry for ``@alice`` and one for ``@acme/ml-leads``; both are proven, both are owners, and a
high-risk model's two-person rule passes on her alone."""

from __future__ import annotations

from testing.gitrepo import GitRepo

from tests.change.conftest import (
    ALICE,
    CODEOWNERS,
    MALLORY,
    POLICY,
    approve,
    base_files,
    card,
    codes,
)

TEAM_POLICY = (
    POLICY
    + '  "@acme/ml-leads": [alice@example.com, bob@example.com]\n'
    + "change_control:\n  approval: {verify: author}\n"
)


def test_one_person_proves_one_approver_whatever_handles_she_has(make_repo, judge, run_cli):
    files = base_files()
    files["roadworthy.yaml"] = TEAM_POLICY
    files[".github/CODEOWNERS"] = CODEOWNERS.replace(
        "/models/credit/ @alice @bob", "/models/credit/ @alice @bob @acme/ml-leads"
    )
    files["models/credit/MODEL_CARD.md"] = card(risk="high")
    repo: GitRepo = make_repo(files)
    repo.git("branch", "base")
    repo.write(
        {
            "models/credit/model.onnx": b"v2\n",
            "models/credit/MODEL_CARD.md": card("1.1.0", risk="high"),
        }
    )
    repo.commit("retrain", author=MALLORY)

    approve(run_cli, repo, "credit", "--by", "@alice")
    repo.commit("alice approves", author=ALICE)
    approve(run_cli, repo, "credit", "--by", "@acme/ml-leads")
    repo.commit("alice approves for her team", author=ALICE)
    code, found = judge(repo)
    assert "RW401" in codes(found), found  # one person: 1 of 2
    assert code == 1

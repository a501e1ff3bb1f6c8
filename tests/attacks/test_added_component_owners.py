"""Approvers must be owners "as the base revision records them": a change cannot make its
author, or an accomplice, an owner. For a component the change *adds*, the owners are read from
the head's model card, which the change wrote. The base CODEOWNERS gives /models/ to alice and
bob; mallory adds models/fraud with a card naming carol as owner, carol approves, and the new
model passes even at ``verify: author`` (carol really authored the approval commit)."""

from __future__ import annotations

from testing.gitrepo import GitRepo

from tests.change.conftest import CODEOWNERS, MALLORY, POLICY, approve, base_files, card, codes

CAROL = ("Carol Dev", "carol@example.com")


def test_owner_named_by_the_change_cannot_approve_the_component_it_adds(make_repo, judge, run_cli):
    files = base_files()
    files["roadworthy.yaml"] = (
        POLICY
        + '  "@carol": [carol@example.com]\n'
        + "change_control:\n  approval:\n    verify: author\n"
    )
    files[".github/CODEOWNERS"] = CODEOWNERS + "/models/ @alice @bob\n"
    repo: GitRepo = make_repo(files)
    repo.git("branch", "base")

    fraud = {
        k.replace("models/credit/", "models/fraud/"): v
        for k, v in files.items()
        if k.startswith("models/credit/")
    }
    fraud["models/fraud/model.onnx"] = b"fraud-weights\n"
    fraud["models/fraud/MODEL_CARD.md"] = card().replace('["@alice", "@bob"]', '["@carol"]')
    repo.write(fraud)
    repo.commit("add the fraud model", author=MALLORY)
    code, found = judge(repo)
    assert "RW401" in codes(found)  # the added component needs an approval

    approve(run_cli, repo, "models/fraud", "--by", "@carol")
    repo.commit("approve fraud model", author=CAROL)
    code, found = judge(repo)
    # carol owns nothing at the base: /models/ is alice's and bob's.
    assert "RW401" in codes(found), found
    assert code == 1


def _add_fraud(repo: GitRepo, files: dict) -> None:
    fraud = {
        k.replace("models/credit/", "models/fraud/"): v
        for k, v in files.items()
        if k.startswith("models/credit/")
    }
    fraud["models/fraud/model.onnx"] = b"fraud-weights\n"
    fraud["models/fraud/MODEL_CARD.md"] = card().replace('["@alice", "@bob"]', '["@carol"]')
    repo.write(fraud)
    repo.commit("add the fraud model", author=MALLORY)


def test_without_a_codeowners_rule_the_policy_owners_approve_an_added_component(
    make_repo, judge, run_cli
):
    files = base_files()
    files["roadworthy.yaml"] = POLICY + '  "@carol": [carol@example.com]\n'
    repo: GitRepo = make_repo(files)  # CODEOWNERS has no rule over models/fraud/
    repo.git("branch", "base")
    _add_fraud(repo, files)

    approve(run_cli, repo, "models/fraud", "--by", "@carol")
    repo.commit("carol approves", author=CAROL)
    _, found = judge(repo)
    assert any("approver not an owner: @carol" in m for _, _, m in found), found

    approve(run_cli, repo, "models/fraud", "--by", "@alice")  # she owns roadworthy.yaml
    repo.commit("alice approves", author=("Alice Owner", "alice@example.com"))
    _, found = judge(repo)
    assert "RW401" not in codes(found), found

"""An added component is approved by the base CODEOWNERS rule for its folder, else by the
owners of the policy file, and "only with neither, the card's owners": the card the change
wrote. A repository whose CODEOWNERS gives each model folder to its team and says nothing of
the policy file (or that has no CODEOWNERS, with owners in the cards) lets a change name its
own approver: mallory adds ``models/fraud`` with a card naming carol, carol approves, and the
new model passes at ``verify: author`` with nothing forged."""

from __future__ import annotations

from testing.gitrepo import GitRepo

from tests.change.conftest import MALLORY, POLICY, approve, base_files, card, codes

CAROL = ("Carol Dev", "carol@example.com")


def test_the_card_an_added_component_brings_does_not_choose_its_approver(make_repo, judge, run_cli):
    files = base_files()
    files["roadworthy.yaml"] = (
        POLICY
        + '  "@carol": [carol@example.com]\n'
        + "change_control:\n  approval: {verify: author}\n"
    )
    files[".github/CODEOWNERS"] = "/models/credit/ @alice @bob\n"
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
    approve(run_cli, repo, "models/fraud", "--by", "@carol")
    repo.commit("carol approves", author=CAROL)
    code, found = judge(repo)
    assert "RW401" in codes(found), found  # carol owns nothing the base records
    assert code == 1

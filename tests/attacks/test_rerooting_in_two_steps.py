"""Re-rooting is caught when one change both adds the marker above a component and changes its
files: the folded component's owners at the base must approve. Split it in two and nothing is
asked of them. First, a marker above the credit model alone (``models/model.yaml``): no file of
the credit model changes, so nothing is inherited, and carol — who owns ``/models/`` — approves
the new all-models component. From then on the credit model *is* that component at the base:
mallory's new weights for it need carol's approval only, one approver at the default risk, while
CODEOWNERS still gives ``/models/credit/`` to alice and bob and the credit card says high risk."""

from __future__ import annotations

from testing.gitrepo import GitRepo

from tests.change.conftest import (
    CONTRACT,
    MALLORY,
    POLICY,
    ROLLBACK,
    RUNBOOK,
    approve,
    base_files,
    card,
    codes,
)

CAROL = ("Carol Friend", "carol@example.com")


def test_a_component_folded_in_an_earlier_change_keeps_its_owners(make_repo, judge, run_cli):
    files = base_files()
    files["roadworthy.yaml"] = POLICY + '  "@carol": [carol@example.com]\n'
    files[".github/CODEOWNERS"] = "/models/ @carol\n" + str(files[".github/CODEOWNERS"])
    files["models/credit/MODEL_CARD.md"] = card(risk="high")
    repo: GitRepo = make_repo(files)
    repo.git("branch", "before-fold")

    # Change 1: one component for all models, approved by the owner of /models/.
    repo.write(
        {
            "models/model.yaml": "name: all-models\n",
            "models/MODEL_CARD.md": _all_models_card("1.0.0"),
            "models/data_contract.yaml": CONTRACT,
            "models/RUNBOOK.md": RUNBOOK,
            "models/ROLLBACK.md": ROLLBACK,
        }
    )
    repo.commit("one component for all models", author=MALLORY)
    approve(run_cli, repo, "models", "--by", "@carol")
    repo.commit("carol approves the new component", author=CAROL)
    if "RW401" in codes(judge(repo, "--diff", "before-fold")[1]):
        return  # the fold itself asks the credit owners: stopped at the first step
    repo.git("branch", "-f", "base")

    # Change 2: the credit weights.
    repo.write(
        {
            "models/credit/model.onnx": b"mallory's\n",
            "models/MODEL_CARD.md": _all_models_card("1.1.0"),
        }
    )
    repo.commit("new credit weights", author=MALLORY)
    approve(run_cli, repo, "models", "--by", "@carol")
    repo.commit("carol approves", author=CAROL)
    code, found = judge(repo)
    assert "RW401" in codes(found), found  # alice and bob, the credit owners, never approved
    assert code == 1


def _all_models_card(version: str) -> str:
    return card(version).replace('owners: ["@alice", "@bob"]', 'owners: ["@carol"]')

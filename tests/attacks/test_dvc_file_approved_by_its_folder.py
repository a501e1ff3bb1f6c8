"""Attack: ``dvc add models/credit/model.pkl --file dvc/credit.dvc`` keeps the credit model's
``.dvc`` file in a data team's folder; its out is ``../models/credit/model.pkl``. A retrain
(a new md5) is judged as a change to the folder holding the ``.dvc`` file, so an owner of
that folder approves new credit weights that the credit model's owners never saw."""

from __future__ import annotations

from testing.gitrepo import GitRepo

from tests.change.conftest import MALLORY, POLICY, base_files, card, codes

DVC = "outs:\n- md5: {md5}\n  size: 1234\n  hash: md5\n  path: ../models/credit/model.pkl\n"
CAROL = ("Carol Data", "carol@example.com")


def test_the_data_folder_owner_cannot_approve_credit_weights(make_repo, judge, run_cli):
    files = base_files()
    files["roadworthy.yaml"] = POLICY.replace(
        "people:\n", 'people:\n  "@carol": [carol@example.com]\n'
    )
    files[".github/CODEOWNERS"] = str(files[".github/CODEOWNERS"]) + "/dvc/ @carol\n"
    files["dvc/credit.dvc"] = DVC.format(md5="a" * 32)
    # The data team's folder is a component of its own, in order: a card owned by @carol, ...
    for name in ("RUNBOOK.md", "ROLLBACK.md", "data_contract.yaml"):
        files[f"dvc/{name}"] = files[f"models/credit/{name}"]
    files["dvc/MODEL_CARD.md"] = _card("1.0.0")
    repo: GitRepo = make_repo(files)
    repo.git("branch", "base")

    repo.write({"dvc/credit.dvc": DVC.format(md5="b" * 32), "dvc/MODEL_CARD.md": _card("1.1.0")})
    repo.commit("retrain credit", author=MALLORY)
    result = run_cli("approve", "dvc", "--by", "@carol", cwd=repo.path)
    assert result.exit_code == 0, result.err
    repo.commit("approve the new md5", author=CAROL)
    code, found = judge(repo)
    # Only @alice or @bob (the credit model's owners) may approve new credit weights.
    assert "RW401" in codes(found), found
    assert code == 1


def _card(version: str) -> str:
    return card(version).replace('owners: ["@alice", "@bob"]', 'owners: ["@carol"]')

"""Who authored a material change: merge commits count, by what they change themselves."""

from __future__ import annotations

from testing.gitrepo import BASE_DATE

from tests.change.conftest import ALICE, BOB, approve, card, codes

AUTHOR_ENV = {"GIT_AUTHOR_DATE": BASE_DATE.isoformat(), "GIT_COMMITTER_DATE": BASE_DATE.isoformat()}


def _merge_with_hidden_change(repo, author, files):
    """`git merge --no-commit`, then an extra change in the merge resolution (an evil merge)."""
    repo.git("checkout", "-q", "-b", "side")
    repo.write({"models/credit/RUNBOOK.md": "# Runbook\n\n## Alerts\nx\n\n## Escalation\ny\n"})
    repo.commit("runbook wording", author=BOB)
    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "--no-ff", "--no-commit", "side")
    repo.write(files)
    repo.add_all()
    env = {**AUTHOR_ENV, "GIT_AUTHOR_NAME": author[0], "GIT_AUTHOR_EMAIL": author[1]}
    repo.git("commit", "-q", "-m", "Merge branch 'side'", env=env)


def test_weights_changed_in_a_merge_resolution_are_authored_by_the_merger(
    credit_repo, judge, run_cli
):
    _merge_with_hidden_change(
        credit_repo,
        ALICE,
        {"models/credit/model.onnx": b"weights-v2\n", "models/credit/MODEL_CARD.md": card("1.1.0")},
    )
    assert len(credit_repo.git("log", "--merges", "--format=%H").split()) == 1
    approve(run_cli, credit_repo, "credit", "--by", "@alice")
    credit_repo.commit("approve", author=ALICE)
    _, found = judge(credit_repo)
    assert codes(found) == ["RW401"]
    assert "self-approval: @alice authored this change" in found[0][2]


def test_a_clean_merge_makes_the_merger_author_of_nothing_it_did_not_change(
    credit_repo, judge, run_cli
):
    # Bob changes the weights on a branch; Alice merges it without touching them and approves.
    credit_repo.git("checkout", "-q", "-b", "weights")
    credit_repo.write(
        {"models/credit/model.onnx": b"weights-v2\n", "models/credit/MODEL_CARD.md": card("1.1.0")}
    )
    credit_repo.commit("new weights", author=BOB)
    credit_repo.git("checkout", "-q", "main")
    env = {**AUTHOR_ENV, "GIT_AUTHOR_NAME": ALICE[0], "GIT_AUTHOR_EMAIL": ALICE[1]}
    credit_repo.git("merge", "-q", "--no-ff", "-m", "Merge branch 'weights'", "weights", env=env)
    approve(run_cli, credit_repo, "credit", "--by", "@alice")
    credit_repo.commit("approve", author=ALICE)
    assert judge(credit_repo) == (0, [])

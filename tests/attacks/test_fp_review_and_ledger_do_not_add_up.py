"""False positive of counting reviews once per person: a review verdict and a ledger verdict are
separate, so two different owners who approve in two ways never add up. A high-risk model needs
two approvers; bob approves in the ledger (his own commit, ``roadworthy approve``), heidi with a
GitHub review of the head. Two owners, two people, and the pull request is blocked: 1 of 2."""

from __future__ import annotations

from testing.fake_github import FakeGitHub, Reply
from testing.gitrepo import GitRepo

from tests.action.conftest import REVIEWS, TOKEN, PullRequest, pull_request_event
from tests.action.test_action import approval
from tests.change.conftest import BOB, MALLORY, card


def _pr_with_bob_s_entry(repo: GitRepo, run_cli) -> PullRequest:
    repo.git("checkout", "-q", "-b", "feature", "main")
    repo.write(
        {
            "models/credit/model.onnx": b"weights-v2\n",
            "models/credit/MODEL_CARD.md": card("1.1.0", risk="high"),
        }
    )
    first = repo.commit("retrain", author=MALLORY)
    result = run_cli("approve", "models/credit", "--by", "@bob", cwd=repo.path)
    assert result.exit_code == 0, result.err
    second = repo.commit("bob approves", author=BOB)
    repo.git("checkout", "-q", "--detach", "main")
    base = repo.head
    repo.git("merge", "-q", "--no-ff", "--no-edit", "-m", "Merge feature", second)
    return PullRequest(repo, base, second, [first, second], repo.head)


def test_a_ledger_approver_and_a_reviewer_are_two_approvers(
    credit_main: GitRepo, run_action, run_cli, fake_github: FakeGitHub
):
    credit_main.write(
        {
            ".github/CODEOWNERS": "/models/credit/ @heidi-ml @bob\n",
            "models/credit/MODEL_CARD.md": card(risk="high"),
        }
    )
    credit_main.commit("a high-risk model, owned by heidi and bob")
    pr = _pr_with_bob_s_entry(credit_main, run_cli)
    fake_github.route("GET", REVIEWS, Reply(200, approval(pr, "heidi-ml")))
    job = run_action(pr.repo.path, pull_request_event(pr), github_token=TOKEN)
    assert job.exit_code == 0, job.log

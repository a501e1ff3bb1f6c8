"""The GitHub Action counts a review once for the reviewer and once more for every CODEOWNERS
team the reviewer is in. A high-risk model needs two approvers; its CODEOWNERS line names a
person and a team she belongs to (``@heidi-ml @acme-ml/credit-reviewers``, a common shape). One
approving review from heidi-ml is counted as two approvers: the two-person rule is met by one."""

from __future__ import annotations

from testing.fake_github import FakeGitHub, Reply
from testing.gitrepo import GitRepo

from tests.action.conftest import REVIEWS, TOKEN, member, open_pr, pull_request_event
from tests.action.test_action import approval
from tests.change.conftest import card


def _high_risk_pr(credit_main: GitRepo, fake_github: FakeGitHub, team: list[str]):
    credit_main.write(
        {
            ".github/CODEOWNERS": "/models/credit/ @heidi-ml @acme-ml/credit-reviewers\n",
            "models/credit/MODEL_CARD.md": card(risk="high"),
        }
    )
    credit_main.commit("a high-risk model, owned by heidi and her team")
    retrain = {
        "models/credit/model.onnx": b"weights-v2\n",
        "models/credit/MODEL_CARD.md": card("1.1.0", risk="high"),
    }
    pr = open_pr(credit_main, retrain)
    fake_github.route("GET", REVIEWS, Reply(200, approval(pr, "heidi-ml")))
    members = "/orgs/acme-ml/teams/credit-reviewers/members"
    fake_github.route(
        "GET", members, Reply(200, [member(login, 7120 + i) for i, login in enumerate(team)])
    )
    return pr


def test_control_one_review_is_not_enough_without_the_team(credit_main, run_action, fake_github):
    pr = _high_risk_pr(credit_main, fake_github, ["erin-sec"])
    job = run_action(pr.repo.path, pull_request_event(pr), github_token=TOKEN)
    assert job.exit_code == 1, job.log  # passes today: 1 of 2 needed


def test_one_review_is_one_approver(credit_main, run_action, fake_github):
    pr = _high_risk_pr(credit_main, fake_github, ["erin-sec", "heidi-ml"])
    job = run_action(pr.repo.path, pull_request_event(pr), github_token=TOKEN)
    assert job.exit_code == 1, job.log  # one person approved a model that needs two

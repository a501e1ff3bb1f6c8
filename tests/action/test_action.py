"""``roadworthy action`` on realistic pull requests: what the job log, the step summary, the SARIF
file, the step outputs, the exit code and the GitHub API see."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from jsonschema import Draft7Validator
from testing.fake_github import FakeGitHub, Reply, error
from testing.gitrepo import GitRepo

from roadworthy.github.api import COMMENT_MARKER
from tests.change.conftest import card

from .conftest import (
    COMMENTS,
    NUMBER,
    OWNER,
    REVIEWS,
    RUN_ID,
    TOKEN,
    Job,
    PullRequest,
    comment,
    member,
    no_token_anywhere,
    open_pr,
    pull_request_event,
    push_event,
    review,
)

RETRAIN = {
    "models/credit/model.onnx": b"weights-v2\n",
    "models/credit/MODEL_CARD.md": card("1.1.0"),
}
DROP_ROLLBACK = {"models/credit/ROLLBACK.md": None}
RUNBOOK_EDIT = {
    "models/credit/RUNBOOK.md": "# Runbook\n\n## Alerts\nDrift above 0.15 pages on-call.\n\n"
    "## Escalation\nOn-call, then @alice.\n"
}
Run = Callable[..., Job]


def approval(pr: PullRequest, login: str = "alice", commit: str | None = None) -> list[dict]:
    """A realistic review history: a change request, then an approval (of the head by default)."""
    return [
        review("bob", "COMMENTED", pr.commits[0], "2026-11-20T16:10:00Z", 1801000101),
        review(login, "CHANGES_REQUESTED", pr.commits[0], "2026-11-20T17:02:41Z", 1801000102),
        review(login, "APPROVED", commit or pr.head, "2026-11-21T09:12:05Z", 1801000103),
    ]


# -- a pull request with findings ------------------------------------------------------------------


def test_pr_with_findings(credit_main: GitRepo, run_action: Run) -> None:
    pr = open_pr(credit_main, RETRAIN, DROP_ROLLBACK)

    job = run_action(pr.repo.path, pull_request_event(pr))

    assert job.exit_code == 1, job.log
    # annotations on the diff: one workflow command per finding, on the component's marker file
    commands = [line for line in job.out.splitlines() if line.startswith("::")]
    assert {c.split(" ", 1)[0] for c in commands} == {"::error"}
    titles = sorted(c.split("title=")[1].split("::")[0] for c in commands)
    assert titles == [
        "RW103 missing-rollback-plan",
        "RW401 unapproved-material-change",
        "RW402 required-artifact-deleted",
    ]
    assert all("file=models/credit/model.onnx,line=1," in c for c in commands)
    assert "roadworthy: 3 findings (3 errors, 0 warnings) in 1 component" in job.err
    assert f"diff {pr.base[:12]}...{pr.head[:12]}" in job.err
    # the step summary: verdict, readiness table, findings with fixes, where it came from
    assert job.summary.startswith("## roadworthy\n\n🔴 **Not ready**: 3 errors, 0 warnings")
    assert "| credit (models/credit) | limited | supervised |" in job.summary
    assert (
        "**[RW401](https://roadworthy.dev/rules/RW401)** unapproved-material-change" in job.summary
    )
    # each file at the head commit the pull request is judged on (not the merge commit)
    blob = f"https://github.com/acme-ml/credit-scoring/blob/{pr.head}/models/credit/model.onnx#L1"
    assert f"[`models/credit/model.onnx:1`]({blob})" in job.summary
    assert "_fix:_" in job.summary
    assert f"`{pr.base[:12]}...{pr.head[:12]}` under the base branch's policy" in job.summary
    run_url = f"https://github.com/acme-ml/credit-scoring/actions/runs/{RUN_ID}"
    assert run_url in job.summary
    # outputs, in the heredoc form
    sarif_path = pr.repo.path / "roadworthy.sarif"
    assert job.outputs == {
        "findings": "3",
        "errors": "3",
        "warnings": "0",
        "verdict": "red",
        "sarif-file": str(sarif_path.resolve()),
        "category": "roadworthy/",
    }
    assert "<<ghadelimiter_" in job.files["output"]
    # the SARIF file for code scanning
    assert job.sarif is not None
    results = job.sarif["runs"][0]["results"]
    assert sorted(r["ruleId"] for r in results) == ["RW103", "RW401", "RW402"]
    # the head commit is judged, not the merge commit in the work tree, and nothing is written
    assert "roadworthy: No github-token: pull-request reviews were not consulted\n" in job.err
    assert "> No github-token: pull-request reviews were not consulted.\n" in job.summary
    assert pr.repo.git("status", "--porcelain").strip() == "?? roadworthy.sarif"


def test_sarif_file_is_valid_sarif(corpus: Path, credit_main: GitRepo, run_action: Run) -> None:
    pr = open_pr(credit_main, RETRAIN, DROP_ROLLBACK)

    job = run_action(pr.repo.path, pull_request_event(pr), sarif_file="reports/rw.sarif")

    schema = json.loads((corpus / "schemas" / "schemastore__sarif-2.1.0.json").read_text())
    Draft7Validator(schema).validate(job.sarif)
    assert job.outputs["sarif-file"] == str((pr.repo.path / "reports/rw.sarif").resolve())
    for result in job.sarif["runs"][0]["results"]:  # type: ignore[index]
        location = result["locations"][0]["physicalLocation"]["artifactLocation"]
        assert (pr.repo.path / location["uri"]).is_file()


def test_clean_pr(credit_main: GitRepo, run_action: Run) -> None:
    pr = open_pr(credit_main, RUNBOOK_EDIT)

    job = run_action(pr.repo.path, pull_request_event(pr, action="opened"))

    assert job.exit_code == 0, job.log
    assert not [line for line in job.out.splitlines() if line.startswith("::")]
    assert job.outputs["verdict"] == "green"
    assert (job.outputs["findings"], job.outputs["errors"], job.outputs["warnings"]) == (
        "0",
        "0",
        "0",
    )
    assert "🟢 **Ready**: 0 errors, 0 warnings in 1 component" in job.summary
    assert job.sarif is not None and job.sarif["runs"][0]["results"] == []


def test_fail_on_and_summary_inputs(credit_main: GitRepo, run_action: Run) -> None:
    pr = open_pr(credit_main, RETRAIN)

    job = run_action(pr.repo.path, pull_request_event(pr), fail_on="never", summary="false")

    assert job.exit_code == 0
    assert job.outputs["verdict"] == "red" and job.outputs["errors"] == "1"
    assert job.summary == ""


def test_push_event_checks_the_whole_repository(credit_main: GitRepo, run_action: Run) -> None:
    credit_main.write({"models/fraud/model.onnx": b"fraud-v1\n"})
    credit_main.commit("add an undocumented model")

    job = run_action(credit_main.path, push_event(credit_main), event_name="push")

    assert job.exit_code == 1
    assert "(full)" in job.err
    assert job.outputs["verdict"] == "red"
    assert "models/fraud/model.onnx" in job.out


# -- approvals by pull-request review --------------------------------------------------------------


@pytest.mark.parametrize("event_name", ["pull_request", "pull_request_review"])
def test_owner_approval_of_the_head_commit_passes(
    credit_main: GitRepo, run_action: Run, fake_github: FakeGitHub, event_name: str
) -> None:
    pr = open_pr(credit_main, {"models/credit/model.onnx": b"draft\n"}, RETRAIN)
    reviews = approval(pr)
    fake_github.route("GET", REVIEWS, Reply(200, reviews))
    event = pull_request_event(pr)
    if event_name == "pull_request_review":  # the approval itself re-runs the workflow
        event = {**event, "action": "submitted", "review": reviews[-1]}
        event.pop("number")

    job = run_action(pr.repo.path, event, event_name=event_name, github_token=TOKEN)

    assert job.exit_code == 0, job.log
    assert job.outputs["verdict"] == "green"
    assert f"approving reviews of {pr.head[:12]}: @alice" in job.err
    (request,) = fake_github.requests_to("GET", REVIEWS)
    assert request.headers["authorization"] == f"Bearer {TOKEN}"
    assert not fake_github.requests_to("POST", COMMENTS)  # comment is off by default
    no_token_anywhere(job)


@pytest.mark.parametrize(
    ("login", "on_head", "why"),
    [
        pytest.param("alice", False, "an older commit", id="older-commit"),
        pytest.param("mallory", True, "not an owner", id="not-an-owner"),
    ],
)
def test_review_that_does_not_approve_the_change(
    credit_main: GitRepo,
    run_action: Run,
    fake_github: FakeGitHub,
    login: str,
    on_head: bool,
    why: str,
) -> None:
    pr = open_pr(credit_main, RETRAIN, {"models/credit/model.onnx": b"weights-v3\n"})
    commit = pr.head if on_head else pr.commits[0]  # approved before the weights changed again
    fake_github.route("GET", REVIEWS, Reply(200, approval(pr, login, commit)))

    job = run_action(pr.repo.path, pull_request_event(pr), github_token=TOKEN)

    assert job.exit_code == 1, why
    assert "title=RW401 unapproved-material-change" in job.out


def test_team_owner_approval_is_resolved_through_the_teams_api(
    credit_main: GitRepo, run_action: Run, fake_github: FakeGitHub
) -> None:
    credit_main.write({".github/CODEOWNERS": "/models/credit/ @acme-ml/credit-reviewers\n"})
    credit_main.commit("the credit reviewers own the model")
    pr = open_pr(credit_main, RETRAIN)
    fake_github.route("GET", REVIEWS, Reply(200, approval(pr, "heidi-ml")))
    members = "/orgs/acme-ml/teams/credit-reviewers/members"
    fake_github.route(
        "GET", members, Reply(200, [member("erin-sec", 7120), member("Heidi-ML", 7121)])
    )

    job = run_action(pr.repo.path, pull_request_event(pr), github_token=TOKEN)

    assert job.exit_code == 0, job.log
    assert "@heidi-ml (of @acme-ml/credit-reviewers)" in job.err


def test_team_members_the_token_cannot_read_are_said_plainly(
    credit_main: GitRepo, run_action: Run, fake_github: FakeGitHub
) -> None:
    credit_main.write({".github/CODEOWNERS": "/models/credit/ @acme-ml/credit-reviewers\n"})
    credit_main.commit("the credit reviewers own the model")
    pr = open_pr(credit_main, RETRAIN)
    fake_github.route("GET", REVIEWS, Reply(200, approval(pr, "heidi-ml")))
    members = "/orgs/acme-ml/teams/credit-reviewers/members"
    fake_github.route("GET", members, error(403, "team-members-forbidden"))

    job = run_action(pr.repo.path, pull_request_event(pr), github_token=TOKEN)

    assert job.exit_code == 1
    warnings = [line for line in job.out.splitlines() if line.startswith("::warning")]
    assert len(warnings) == 1
    assert "team approvals could not be resolved" in warnings[0]
    assert "Members: read" in warnings[0]
    assert "> Team approvals could not be resolved" in job.summary
    no_token_anywhere(job)


# -- the GitHub API misbehaving ---------------------------------------------------------------------


def test_api_403_is_one_line_and_the_check_still_reports(
    credit_main: GitRepo, run_action: Run, fake_github: FakeGitHub
) -> None:
    pr = open_pr(credit_main, RETRAIN, DROP_ROLLBACK)
    forbidden = error(
        403,
        "not-accessible-by-integration",
        {"x-accepted-github-permissions": "pull_requests=read"},
    )
    fake_github.route("GET", REVIEWS, forbidden)
    fake_github.route("GET", COMMENTS, forbidden)

    job = run_action(pr.repo.path, pull_request_event(pr), github_token=TOKEN, comment="true")

    assert job.exit_code == 1
    assert job.outputs["errors"] == "3"
    assert job.sarif is not None
    warnings = [line for line in job.out.splitlines() if line.startswith("::warning")]
    assert [w.split("::")[2][:40] for w in warnings] == [
        "pull-request reviews were not consulted:",
        "the pull-request comment was not posted:",
    ]
    assert all(
        "forbidden (403): the token lacks permission pull_requests=read" in w for w in warnings
    )
    assert "> Pull-request reviews were not consulted: forbidden (403)" in job.summary
    assert "> The pull-request comment was not posted: forbidden (403)" in job.summary
    assert "Traceback" not in job.log
    no_token_anywhere(job)


def test_api_429_is_retried_then_counts(
    credit_main: GitRepo,
    run_action: Run,
    fake_github: FakeGitHub,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    waits: list[float] = []
    monkeypatch.setattr("roadworthy.github.job._sleep", waits.append)
    pr = open_pr(credit_main, RETRAIN)
    limited = error(429, "secondary-rate-limit", {"retry-after": "7"})
    fake_github.route("GET", REVIEWS, limited, Reply(200, approval(pr)))

    job = run_action(pr.repo.path, pull_request_event(pr), github_token=TOKEN)

    assert job.exit_code == 0, job.log
    assert waits == [7.0]
    assert "GitHub answered 429" in job.err and "waiting 7 s before retry 1 of 3" in job.err
    assert len(fake_github.requests_to("GET", REVIEWS)) == 2
    assert "::warning" not in job.out


def test_api_that_keeps_answering_429_gives_up_with_one_line(
    credit_main: GitRepo,
    run_action: Run,
    fake_github: FakeGitHub,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("roadworthy.github.job._sleep", lambda seconds: None)
    pr = open_pr(credit_main, RETRAIN)
    fake_github.route("GET", REVIEWS, error(429, "secondary-rate-limit", {"retry-after": "2"}))

    job = run_action(pr.repo.path, pull_request_event(pr), github_token=TOKEN)

    assert job.exit_code == 1
    (warning,) = [line for line in job.out.splitlines() if line.startswith("::warning")]
    assert "rate limit still applies (429)" in warning and "after 3 retries" in warning
    assert len(fake_github.requests_to("GET", REVIEWS)) == 4


def test_bad_token_401(credit_main: GitRepo, run_action: Run, fake_github: FakeGitHub) -> None:
    pr = open_pr(credit_main, RUNBOOK_EDIT)
    fake_github.route("GET", REVIEWS, error(401, "bad-credentials"))

    job = run_action(pr.repo.path, pull_request_event(pr), github_token=TOKEN)

    assert job.exit_code == 0
    assert "GitHub rejected the token (401)" in job.out
    no_token_anywhere(job)


# -- the sticky comment -----------------------------------------------------------------------------


def test_comment_is_created_then_updated(
    credit_main: GitRepo, run_action: Run, fake_github: FakeGitHub
) -> None:
    pr = open_pr(credit_main, RETRAIN, DROP_ROLLBACK)
    fake_github.route("GET", REVIEWS, Reply(200, []))
    others = [comment(2501100001, "Thanks! Can you attach the evaluation?", "carol-risk")]
    fake_github.route("GET", COMMENTS, Reply(200, others))
    created = comment(2501100004, "")
    fake_github.route("POST", COMMENTS, Reply(201, created))

    first = run_action(pr.repo.path, pull_request_event(pr), github_token=TOKEN, comment="true")

    assert first.exit_code == 1
    (post,) = fake_github.requests_to("POST", COMMENTS)
    body = post.json()["body"]
    assert body.startswith(COMMENT_MARKER + "\n## roadworthy\n\n🔴 **Not ready**: 3 errors")
    assert len(body) <= 65536
    assert f"pull-request comment: {created['html_url']}" in first.err

    # the author restores the rollback plan; the comment on the PR is now roadworthy's
    credit_main.git("checkout", "-q", "feature")
    credit_main.write({"models/credit/ROLLBACK.md": "# Rollback\n\nRedeploy 1.0.0.\n"})
    credit_main.commit("restore the rollback plan")
    pr2 = open_pr_again(credit_main, pr)
    fake_github.route("GET", COMMENTS, Reply(200, [*others, comment(2501100004, body)]))
    patch = f"/repos/{OWNER}/credit-scoring/issues/comments/2501100004"
    fake_github.route("PATCH", patch, Reply(200, comment(2501100004, "updated")))

    second = run_action(pr2.repo.path, pull_request_event(pr2), github_token=TOKEN, comment="true")

    assert second.exit_code == 1  # the weights change is still unapproved
    assert len(fake_github.requests_to("POST", COMMENTS)) == 1
    (update,) = fake_github.requests_to("PATCH", patch)
    new_body = update.json()["body"]
    assert new_body.startswith(COMMENT_MARKER + "\n## roadworthy\n\n🔴 **Not ready**: 1 error")
    assert "RW103" not in new_body
    no_token_anywhere(first)
    no_token_anywhere(second)


def open_pr_again(repo: GitRepo, pr: PullRequest) -> PullRequest:
    """The ``synchronize`` after a push to the PR branch: a new head and a new merge commit."""
    head = repo.head
    repo.git("checkout", "-q", "--detach", pr.base)
    repo.git("merge", "-q", "--no-ff", "--no-edit", "-m", f"Merge {head} into {pr.base}", head)
    return PullRequest(repo, pr.base, head, [*pr.commits, head], repo.head)


def test_comment_outside_a_pull_request_is_skipped_plainly(
    credit_main: GitRepo, run_action: Run, fake_github: FakeGitHub
) -> None:
    job = run_action(
        credit_main.path, push_event(credit_main), event_name="push", github_token=TOKEN,
        comment="true",
    )  # fmt: skip

    assert job.exit_code == 0
    assert "no pull-request comment: this run is not for a pull request" in job.out
    assert fake_github.requests == []


# -- shallow clones ----------------------------------------------------------------------------------


def shallow_clone(origin: GitRepo, pr: PullRequest, dest: Path) -> GitRepo:
    """actions/checkout's default: the merge commit only (``fetch-depth: 1``)."""
    origin.git("update-ref", f"refs/pull/{NUMBER}/merge", pr.merge)
    origin.git("update-ref", f"refs/pull/{NUMBER}/head", pr.head)
    clone = GitRepo(dest)
    dest.mkdir()
    clone.git("init", "-q")
    clone.git("remote", "add", "origin", origin.path.as_uri())
    refspec = f"+refs/pull/{NUMBER}/merge:refs/remotes/pull/{NUMBER}/merge"
    clone.git("fetch", "-q", "--no-tags", "--depth=1", "origin", refspec)
    clone.git("checkout", "-q", "--detach", f"refs/remotes/pull/{NUMBER}/merge")
    return clone


def test_shallow_clone_fetches_the_base(
    credit_main: GitRepo, run_action: Run, tmp_path: Path
) -> None:
    credit_main.write({"README.md": "# credit scoring\n"})
    credit_main.commit("readme")
    pr = open_pr(credit_main, RETRAIN, DROP_ROLLBACK, base_moves={"docs/notes.md": "notes\n"})
    clone = shallow_clone(credit_main, pr, tmp_path / "checkout")
    assert clone.git("cat-file", "-t", pr.base, check=False) == ""

    job = run_action(clone.path, pull_request_event(pr))

    assert job.exit_code == 1, job.log
    assert job.outputs["errors"] == "3"
    assert "the base revision" in job.err and "fetching it from origin" in job.err
    assert clone.git("rev-parse", "--is-shallow-repository").strip() == "true"  # not unshallowed
    assert clone.git("cat-file", "-t", pr.base).strip() == "commit"


@pytest.mark.parametrize(
    ("deepen", "exit_code"),
    [pytest.param((1, 4), 1, id="deepened"), pytest.param((1,), 2, id="too-far")],
)
def test_shallow_clone_deepens_until_the_merge_base(
    credit_main: GitRepo,
    run_action: Run,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    deepen: tuple[int, ...],
    exit_code: int,
) -> None:
    monkeypatch.setattr("roadworthy.github.job.FETCH_DEPTH", 1)
    monkeypatch.setattr("roadworthy.github.job.DEEPEN", deepen)
    for n in range(6):  # history before the pull request, which no fetch needs
        credit_main.write({"docs/notes.md": f"notes {n}\n"})
        credit_main.commit(f"notes {n}")
    steps = [
        {"models/credit/train.yaml": f"# run {n}\nhyperparameters: {{lr: 0.01}}\n"}
        for n in range(3)
    ]
    pr = open_pr(credit_main, *steps, RETRAIN, base_moves={"docs/notes.md": "moved\n"})
    clone = shallow_clone(credit_main, pr, tmp_path / "checkout")

    job = run_action(clone.path, pull_request_event(pr))

    assert job.exit_code == exit_code, job.log
    assert "no merge base in this shallow clone yet; git fetch --deepen=1" in job.err
    if exit_code == 1:
        assert "title=RW401 unapproved-material-change" in job.out
        assert clone.git("rev-parse", "--is-shallow-repository").strip() == "true"
    else:
        (line,) = job.out.splitlines()
        assert "have no common ancestor within 2 commits of this shallow clone" in line
        assert line.endswith(
            "use actions/checkout with `fetch-depth: 0` so the clone has the base branch"
        )


def test_shallow_clone_without_a_reachable_base_advises_fetch_depth(
    credit_main: GitRepo, run_action: Run, tmp_path: Path
) -> None:
    pr = open_pr(credit_main, RETRAIN)
    clone = shallow_clone(credit_main, pr, tmp_path / "checkout")
    shutil.rmtree(credit_main.path)  # origin is gone: nothing can be fetched

    job = run_action(clone.path, pull_request_event(pr))

    assert job.exit_code == 2
    (line,) = job.out.splitlines()
    assert line.startswith("::error title=roadworthy::")
    assert f"revision '{pr.base}' is not in this clone" in line
    assert "actions/checkout with `fetch-depth: 0`" in line
    assert "fetch-depth: 0" in job.summary
    assert "Traceback" not in job.log
    assert job.outputs == {}


# -- bad input ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("inputs", "message"),
    [
        ({"mode": "everything"}, "input mode: 'everything' is not one of diff, full"),
        ({"fail_on": "note"}, "input fail-on: 'note' is not one of error, warning, never"),
        ({"comment": "yes"}, "input comment: 'yes' is not a boolean (true or false)"),
        ({"base": "--upload-pack=touch /tmp/x"}, "is not a commit id or a ref name"),
    ],
)
def test_bad_inputs(
    credit_main: GitRepo, run_action: Run, inputs: dict[str, str], message: str
) -> None:
    pr = open_pr(credit_main, RUNBOOK_EDIT)

    job = run_action(pr.repo.path, pull_request_event(pr), **inputs)

    assert job.exit_code == 2
    (line,) = job.out.splitlines()
    assert line.startswith("::error title=roadworthy::") and message in line


def test_diff_mode_needs_a_base_outside_pull_requests(
    credit_main: GitRepo, run_action: Run
) -> None:
    job = run_action(credit_main.path, push_event(credit_main), event_name="push", mode="diff")

    assert job.exit_code == 2
    assert "mode diff on a push needs the base input" in job.out


def test_base_input_on_a_push(credit_main: GitRepo, run_action: Run) -> None:
    base = credit_main.head
    credit_main.write(DROP_ROLLBACK)
    credit_main.commit("drop the rollback plan")

    job = run_action(
        credit_main.path, push_event(credit_main), event_name="push", mode="diff", base=base
    )

    assert job.exit_code == 1
    assert "title=RW402 required-artifact-deleted" in job.out
    assert f"diff {base[:12]}...{credit_main.head[:12]}" in job.err


def test_invalid_base_policy_is_annotated_on_its_line(
    credit_main: GitRepo, run_action: Run
) -> None:
    credit_main.write(
        {"roadworthy.yaml": "version: 1\nextends: [recommended]\nfail_on: sometimes\n"}
    )
    credit_main.commit("a policy typo")
    pr = open_pr(credit_main, RUNBOOK_EDIT)

    job = run_action(pr.repo.path, pull_request_event(pr))

    assert job.exit_code == 2
    (line,) = job.out.splitlines()
    assert line.startswith(
        "::error file=roadworthy.yaml,line=3,title=roadworthy::roadworthy.yaml:3"
    )
    assert "> [!CAUTION]\n> the policy does not load: roadworthy.yaml:3" in job.summary
    assert "Traceback" not in job.log


def test_summary_is_cut_to_its_share_of_the_step_summary(
    credit_main: GitRepo, run_action: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("roadworthy.github.job.SUMMARY_LIMIT", 1500)
    models = {f"models/m{n:02d}/model.onnx": b"w\n" for n in range(20)}
    pr = open_pr(credit_main, models)

    job = run_action(pr.repo.path, pull_request_event(pr))

    assert job.exit_code == 1
    assert len(job.summary.encode()) <= 1500
    assert "Truncated to fit GitHub's size limit" in job.summary
    assert job.summary.rstrip().endswith(
        "under the base branch's policy · "
        f"[workflow run](https://github.com/acme-ml/credit-scoring/actions/runs/{RUN_ID})</sub>"
    )
    assert int(job.outputs["findings"]) > 20  # the outputs and the SARIF file are complete
    assert job.sarif is not None and len(job.sarif["runs"][0]["results"]) == int(
        job.outputs["findings"]
    )


def test_a_github_api_url_that_is_not_one_is_a_warning(
    credit_main: GitRepo, run_action: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_API_URL", f"https://x-access-token:{TOKEN}@ghe.example.com/api/v3")
    pr = open_pr(credit_main, RETRAIN)

    job = run_action(pr.repo.path, pull_request_event(pr), github_token=TOKEN, comment="true")

    assert job.exit_code == 1
    (warning,) = [line for line in job.out.splitlines() if line.startswith("::warning")]
    assert "the GitHub API is not used: GITHUB_API_URL must not contain credentials" in warning
    no_token_anywhere(job)


def test_an_event_payload_without_the_head_commit(credit_main: GitRepo, run_action: Run) -> None:
    pr = open_pr(credit_main, RUNBOOK_EDIT)
    event = pull_request_event(pr)
    del event["pull_request"]["head"]["sha"]

    job = run_action(pr.repo.path, event)

    assert job.exit_code == 2
    (line,) = job.out.splitlines()
    assert "the pull_request payload lacks 'sha'" in line


@pytest.mark.parametrize(
    ("given", "workflow", "job", "expected"),
    [
        pytest.param("", "CI", "models", "roadworthy/CI/models/", id="default"),
        pytest.param("", "", "", "roadworthy/", id="nothing-known"),
        pytest.param("roadworthy/fraud", "CI", "models", "roadworthy/fraud/", id="input"),
        pytest.param("", "a/b", "lint", "roadworthy/a-b/lint/", id="slash-in-a-name"),
    ],
)
def test_the_sarif_category_comes_from_the_input_else_the_workflow_and_job(
    credit_main: GitRepo,
    run_action: Run,
    monkeypatch: pytest.MonkeyPatch,
    given,
    workflow,
    job,
    expected,
) -> None:
    # Two jobs (or matrix legs with their own category) must not overwrite each other's upload.
    pr = open_pr(
        credit_main, {"models/credit/RUNBOOK.md": "# Runbook\n\n## Alerts\na\n\n## Escalation\nb\n"}
    )
    monkeypatch.setenv("GITHUB_WORKFLOW", workflow)
    monkeypatch.setenv("GITHUB_JOB", job)
    job_run = run_action(pr.repo.path, pull_request_event(pr), category=given)
    assert job_run.sarif is not None
    assert job_run.sarif["runs"][0]["automationDetails"]["id"] == expected

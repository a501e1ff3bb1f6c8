"""The GitHub REST client against a local fake GitHub serving recorded responses."""

from __future__ import annotations

import socket
import traceback
from collections.abc import Iterator
from typing import Any

import pytest
from testing.fake_github import (
    FakeGitHub,
    Reply,
    error,
    load,
    org_repository,
    primary_rate_limit,
    secondary_rate_limit,
    serve_fake_github,
)

from roadworthy import __version__
from roadworthy.errors import RoadworthyError
from roadworthy.github.api import (
    COMMENT_MARKER,
    DEFAULT_API_URL,
    GitHubClient,
    GitHubError,
    Review,
    approving_handles,
)

TOKEN = "ghs_Zq8SeCrEt1234567890abcdefTOKEN42"
ORG, OWNER, REPO, PR = "acme-ml", "acme-ml", "credit-scoring", 42
HEAD = "6dcb09b5b57875f334f61aebed695e2e4193db5e"
OLD = "ecdd80bb57125d7ba9641ffaa4d7d2c19d3f3091"
NOW = 1_795_000_000.0
REVIEWS = f"/repos/{OWNER}/{REPO}/pulls/{PR}/reviews"
COMMENTS = f"/repos/{OWNER}/{REPO}/issues/{PR}/comments"


@pytest.fixture()
def gh(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGitHub]:
    yield from serve_fake_github(monkeypatch)


class Recorder:
    """Stands in for time.sleep and for the notice callback."""

    def __init__(self) -> None:
        self.sleeps: list[float] = []
        self.notices: list[str] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)

    def notify(self, text: str) -> None:
        self.notices.append(text)


@pytest.fixture()
def rec() -> Recorder:
    return Recorder()


def client(rec: Recorder, **kwargs: Any) -> GitHubClient:
    return GitHubClient(
        TOKEN, sleep=rec.sleep, clock=lambda: NOW, notify=rec.notify, timeout=5, **kwargs
    )


def organisation(count: int = 250) -> list[dict[str, Any]]:
    """A realistic mix: some archived, some forks, some both, private and internal ones."""
    repos = []
    for i in range(count):
        visibility = "internal" if i % 9 == 4 else "private" if i % 4 == 1 else "public"
        repos.append(
            org_repository(
                ORG,
                f"model-{i:03d}",
                repo_id=701_000_000 + i,
                archived=i % 10 == 3,
                fork=i % 7 == 5,
                visibility=visibility,
                pushed_at=None if i == 17 else "2026-11-20T16:42:07Z",
            )
        )
    return repos


# -- organisation repositories ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("include_archived", "include_forks"),
    [
        pytest.param(False, False, id="default"),
        pytest.param(True, False, id="archived"),
        pytest.param(False, True, id="forks"),
        pytest.param(True, True, id="all"),
    ],
)
def test_org_repos_follow_three_pages_and_filter(
    gh: FakeGitHub, rec: Recorder, include_archived: bool, include_forks: bool
) -> None:
    repos = organisation()
    link_path = "/organizations/131071234/repos"  # GitHub's next links name the org by id
    pages = gh.paginate(f"/orgs/{ORG}/repos", repos, query={"type": "all"}, link_path=link_path)
    assert pages == 3

    got = client(rec).list_org_repos(
        ORG, include_archived=include_archived, include_forks=include_forks
    )

    expected = sorted(
        r["full_name"]
        for r in repos
        if (include_archived or not r["archived"]) and (include_forks or not r["fork"])
    )
    assert [r.full_name for r in got] == expected
    assert len(expected) < 250 or (include_archived and include_forks)
    first, second, third = gh.requests
    assert (first.path, first.query) == (f"/orgs/{ORG}/repos", {"type": "all", "per_page": "100"})
    assert (second.path, second.query["page"]) == (link_path, "2")
    assert (third.path, third.query["page"]) == (link_path, "3")


def test_org_repo_records_are_typed(gh: FakeGitHub, rec: Recorder) -> None:
    gh.paginate(f"/orgs/{ORG}/repos", organisation(20), query={"type": "all"})

    repos = {r.name: r for r in client(rec).list_org_repos(ORG, include_archived=True)}

    internal = repos["model-004"]
    assert internal.full_name == f"{ORG}/model-004"
    assert internal.clone_url == f"https://github.com/{ORG}/model-004.git"
    assert internal.ssh_url == f"git@github.com:{ORG}/model-004.git"
    assert internal.html_url == f"https://github.com/{ORG}/model-004"
    assert (internal.default_branch, internal.visibility, internal.private) == (
        "main",
        "internal",
        True,
    )
    assert internal.pushed_at == "2026-11-20T16:42:07Z"
    assert repos["model-003"].archived and not repos["model-003"].fork
    assert repos["model-017"].pushed_at is None
    assert repos["model-000"].visibility == "public" and not repos["model-000"].private


def test_every_request_carries_the_documented_headers(gh: FakeGitHub, rec: Recorder) -> None:
    gh.paginate(f"/orgs/{ORG}/repos", organisation(3))

    client(rec).list_org_repos(ORG)

    (request,) = gh.requests
    assert request.headers["authorization"] == f"Bearer {TOKEN}"
    assert request.headers["accept"] == "application/vnd.github+json"
    assert request.headers["x-github-api-version"] == "2022-11-28"
    assert request.headers["user-agent"] == f"roadworthy/{__version__}"


def test_without_a_token_no_authorization_header_is_sent(gh: FakeGitHub, rec: Recorder) -> None:
    gh.paginate(f"/orgs/{ORG}/repos", organisation(3))

    GitHubClient(None, sleep=rec.sleep).list_org_repos(ORG)

    assert "authorization" not in gh.requests[0].headers


def test_github_enterprise_base_url_with_path_prefix(
    monkeypatch: pytest.MonkeyPatch, rec: Recorder
) -> None:
    with FakeGitHub(prefix="/api/v3") as ghe:
        monkeypatch.setenv("GITHUB_API_URL", ghe.url + "/")  # a trailing slash is tolerated
        monkeypatch.setenv("NO_PROXY", "127.0.0.1")
        ghe.paginate(f"/orgs/{ORG}/repos", organisation(150), query={"type": "all"})

        repos = client(rec).list_org_repos(ORG, include_archived=True, include_forks=True)

    assert len(repos) == 150
    assert [r.path for r in ghe.requests] == [f"/api/v3/orgs/{ORG}/repos"] * 2
    assert ghe.requests[1].query["page"] == "2"


def test_api_url_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_API_URL", raising=False)
    assert GitHubClient(TOKEN).api_url == DEFAULT_API_URL
    monkeypatch.setenv("GITHUB_API_URL", "https://ghe.example.com/api/v3")
    assert GitHubClient(TOKEN).api_url == "https://ghe.example.com/api/v3"
    with pytest.raises(GitHubError, match="GITHUB_API_URL must be an http"):
        GitHubClient(TOKEN, api_url="ghe.example.com/api/v3")


# -- reviews -------------------------------------------------------------------------------------


def test_reviews_latest_per_user_approves_the_head_commit(gh: FakeGitHub, rec: Recorder) -> None:
    gh.paginate(REVIEWS, load("pull-request-reviews.json"), per_page=10)

    reviews = client(rec).list_reviews(OWNER, REPO, PR)

    assert len(reviews) == 14 and len(gh.requests) == 2
    assert [r.id for r in reviews] == sorted(r.id for r in reviews)  # GitHub's order kept
    ghost = next(r for r in reviews if r.login is None)
    assert ghost.state == "COMMENTED"
    pending = next(r for r in reviews if r.state == "PENDING")
    assert (pending.login, pending.submitted_at) == ("grace-ds", None)
    # alice re-approved the head; bob approved then requested changes; carol approved an old
    # commit only; dave's approval was dismissed; Erin requested changes then approved; frank
    # commented after approving; heidi's dismissed approval was followed by a new one.
    assert approving_handles(reviews, HEAD) == ("@alice-ml", "@Erin-Sec", "@frank-qa", "@heidi-ml")
    assert approving_handles(reviews, OLD) == ("@carol-risk",)
    assert approving_handles(reviews, HEAD.upper()) == approving_handles(reviews, HEAD)


def _review(n: int, login: str | None, state: str, commit: str | None, at: str | None) -> Review:
    return Review(n, login, state, commit, at)


@pytest.mark.parametrize(
    ("reviews", "expected"),
    [
        pytest.param(
            [
                _review(1, "ann", "APPROVED", HEAD, "2026-11-19T10:00:00Z"),
                _review(2, "ann", "CHANGES_REQUESTED", HEAD, "2026-11-19T11:00:00Z"),
            ],
            (),
            id="approve-then-changes-requested",
        ),
        pytest.param(
            [_review(1, "ann", "APPROVED", OLD, "2026-11-19T10:00:00Z")],
            (),
            id="approved-an-old-commit",
        ),
        pytest.param(
            [_review(1, "ann", "DISMISSED", HEAD, "2026-11-19T10:00:00Z")],
            (),
            id="dismissed",
        ),
        pytest.param(
            [
                _review(1, "ann", "APPROVED", HEAD, "2026-11-19T10:00:00Z"),
                _review(2, "ann", "COMMENTED", HEAD, "2026-11-19T11:00:00Z"),
                _review(3, "ann", "PENDING", HEAD, None),
            ],
            ("@ann",),
            id="comments-and-drafts-keep-an-approval",
        ),
        pytest.param(
            [
                _review(2, "ann", "APPROVED", HEAD, "2026-11-19T12:00:00Z"),
                _review(1, "ann", "CHANGES_REQUESTED", HEAD, "2026-11-19T11:00:00Z"),
            ],
            ("@ann",),
            id="submitted-at-wins-over-list-order",
        ),
        pytest.param(
            [
                _review(1, "Ann", "APPROVED", HEAD, "2026-11-19T10:00:00Z"),
                _review(2, "ann", "CHANGES_REQUESTED", HEAD, "2026-11-19T11:00:00Z"),
            ],
            (),
            id="logins-are-case-insensitive",
        ),
        pytest.param(
            [
                _review(1, None, "APPROVED", HEAD, "2026-11-19T10:00:00Z"),
                _review(2, "bo", "APPROVED", None, "2026-11-19T10:00:00Z"),
            ],
            (),
            id="ghost-user-and-garbage-collected-commit",
        ),
        pytest.param(
            [
                _review(1, "zed", "APPROVED", HEAD, "2026-11-19T10:00:00Z"),
                _review(2, "Amy", "APPROVED", HEAD, "2026-11-19T10:00:00Z"),
                _review(3, "bo", "APPROVED", HEAD, "2026-11-19T10:00:00Z"),
            ],
            ("@Amy", "@bo", "@zed"),
            id="sorted",
        ),
    ],
)
def test_approving_handles(reviews: list[Review], expected: tuple[str, ...]) -> None:
    assert approving_handles(reviews, HEAD) == expected


# -- teams --------------------------------------------------------------------------------------


def test_team_members_when_allowed(gh: FakeGitHub, rec: Recorder) -> None:
    gh.paginate(f"/orgs/{ORG}/teams/model-owners/members", load("team-members.json"), per_page=2)

    team = client(rec).team_members(ORG, "model-owners")

    assert team.resolved and team.reason == ""
    assert team.team == "@acme-ml/model-owners"
    assert team.handles == ("@alice-ml", "@Erin-Sec", "@heidi-ml")
    assert len(gh.requests) == 2


def test_empty_team_is_resolved(gh: FakeGitHub, rec: Recorder) -> None:
    gh.paginate(f"/orgs/{ORG}/teams/nobody-yet/members", [])

    team = client(rec).team_members(ORG, "nobody-yet")

    assert team.resolved and team.logins == ()


@pytest.mark.parametrize(
    ("reply", "says"),
    [
        pytest.param(
            error(403, "team-members-forbidden", {"x-accepted-github-permissions": "members=read"}),
            "forbidden (403): the token lacks permission members=read for GET"
            f" /orgs/{ORG}/teams/model-owners/members?per_page=100; GitHub says: Resource not"
            " accessible by integration;",
            id="403-actions-token",
        ),
        pytest.param(
            error(404, "not-found"),
            "not found (404): team @acme-ml/model-owners (or the token cannot see it);",
            id="404-no-read-org",
        ),
    ],
)
def test_team_members_not_allowed_is_said_plainly(
    gh: FakeGitHub, rec: Recorder, reply: Reply, says: str
) -> None:
    gh.route("GET", f"/orgs/{ORG}/teams/model-owners/members", reply)

    team = client(rec).team_members(ORG, "model-owners")

    assert not team.resolved and team.logins == ()
    assert team.reason == (
        f"team approvals could not be resolved: {says} reading team members needs read:org"
        " (classic token) or Members: read (fine-grained token or GitHub App), which the Actions"
        " GITHUB_TOKEN does not have"
    )


def test_team_members_with_a_rejected_token_raise(gh: FakeGitHub, rec: Recorder) -> None:
    gh.route("GET", f"/orgs/{ORG}/teams/model-owners/members", error(401, "bad-credentials"))

    with pytest.raises(GitHubError) as caught:
        client(rec).team_members(ORG, "model-owners")
    assert caught.value.status == 401


# -- sticky comment -------------------------------------------------------------------------------


def test_sticky_comment_is_created_then_updated(gh: FakeGitHub, rec: Recorder) -> None:
    human = load("issue-comments.json")[0]
    created = load("issue-comment.json")
    gh.route("GET", COMMENTS, Reply(200, [human]), Reply(200, [human, created]))
    gh.route("POST", COMMENTS, Reply(201, created, {"location": created["url"]}))
    gh.route("PATCH", f"/repos/{OWNER}/{REPO}/issues/comments/{created['id']}", Reply(200, created))
    github = client(rec)

    first = github.upsert_comment(OWNER, REPO, PR, "## roadworthy: not ready\n")
    second = github.upsert_comment(OWNER, REPO, PR, "## roadworthy: ready\n")

    assert first == second == created["html_url"]
    assert [(r.method, r.path) for r in gh.requests] == [
        ("GET", f"{COMMENTS}"),
        ("POST", f"{COMMENTS}"),
        ("GET", f"{COMMENTS}"),
        ("PATCH", f"/repos/{OWNER}/{REPO}/issues/comments/{created['id']}"),
    ]
    posted, patched = gh.requests[1].json(), gh.requests[3].json()
    assert posted == {"body": f"{COMMENT_MARKER}\n## roadworthy: not ready\n"}
    assert patched == {"body": f"{COMMENT_MARKER}\n## roadworthy: ready\n"}
    assert gh.requests[1].headers["content-type"] == "application/json; charset=utf-8"


def test_sticky_comment_is_found_on_a_later_page(gh: FakeGitHub, rec: Recorder) -> None:
    comments = load("issue-comments.json")  # a human's, the sticky one, a human quoting it
    sticky = comments[1]
    gh.paginate(COMMENTS, comments, per_page=1)
    gh.route("PATCH", f"/repos/{OWNER}/{REPO}/issues/comments/{sticky['id']}", Reply(200, sticky))
    body = f"## roadworthy: ready\n\n{COMMENT_MARKER}\n"

    url = client(rec).upsert_comment(OWNER, REPO, PR, body)

    assert url == sticky["html_url"]
    assert [r.method for r in gh.requests] == ["GET", "GET", "GET", "PATCH"]
    assert gh.requests[-1].json() == {"body": body}  # the marker is already there


def test_too_long_a_comment_is_refused_before_any_request(gh: FakeGitHub, rec: Recorder) -> None:
    with pytest.raises(GitHubError, match="at most 65,536"):
        client(rec).upsert_comment(OWNER, REPO, PR, "x" * 65_536)
    assert gh.requests == []


# -- rate limits and retries ------------------------------------------------------------------


def _reviews_ok() -> Reply:
    return Reply(200, load("pull-request-reviews.json"))


def test_429_with_retry_after_then_success(gh: FakeGitHub, rec: Recorder) -> None:
    gh.route("GET", REVIEWS, secondary_rate_limit(retry_after=7, status=429), _reviews_ok())

    reviews = client(rec).list_reviews(OWNER, REPO, PR)

    assert len(reviews) == 14
    assert rec.sleeps == [7.0]
    assert len(gh.requests) == 2
    notice = f"GitHub answered 429 to GET {REVIEWS}?per_page=100; waiting 7 s before retry 1 of 3"
    assert rec.notices == [notice]


def test_primary_rate_limit_waits_until_reset(gh: FakeGitHub, rec: Recorder) -> None:
    gh.route("GET", REVIEWS, primary_rate_limit(reset=int(NOW) + 30), _reviews_ok())

    client(rec).list_reviews(OWNER, REPO, PR)

    assert rec.sleeps == [31.0]  # until the reset, plus a second for clock skew


def test_primary_rate_limit_far_away_gives_up_at_once(gh: FakeGitHub, rec: Recorder) -> None:
    gh.route("GET", REVIEWS, primary_rate_limit(reset=int(NOW) + 2400))

    with pytest.raises(GitHubError) as caught:
        client(rec).list_reviews(OWNER, REPO, PR)

    assert caught.value.status == 403
    assert str(caught.value) == (
        f"GitHub API rate limit exceeded (403) for GET {REVIEWS}?per_page=100: it resets at"
        " 2026-11-18 11:46:40 UTC (in about 40 min); run again then, or use a token with a"
        " higher limit"
    )
    assert rec.sleeps == [] and len(gh.requests) == 1


@pytest.mark.parametrize(
    ("limited", "sleeps"),
    [
        pytest.param(secondary_rate_limit(retry_after=3), [3.0], id="retry-after"),
        pytest.param(secondary_rate_limit(), [60.0], id="no-retry-after-waits-a-minute"),
        pytest.param(
            Reply(403, {"message": "slow down"}, {"retry-after": "2"}), [2.0], id="header-only"
        ),
    ],
)
def test_secondary_rate_limit_then_success(
    gh: FakeGitHub, rec: Recorder, limited: Reply, sleeps: list[float]
) -> None:
    gh.route("GET", REVIEWS, limited, _reviews_ok())

    client(rec).list_reviews(OWNER, REPO, PR)

    assert rec.sleeps == sleeps


def test_secondary_rate_limit_that_persists_gives_up(gh: FakeGitHub, rec: Recorder) -> None:
    gh.route("GET", REVIEWS, secondary_rate_limit())

    with pytest.raises(GitHubError, match="wait about 2 min, then run again") as caught:
        client(rec).list_reviews(OWNER, REPO, PR)

    assert caught.value.status == 403
    assert rec.sleeps == [60.0]  # then 120 s would exceed the 60 s cap: no second wait


def test_retries_are_bounded(gh: FakeGitHub, rec: Recorder) -> None:
    gh.route("GET", REVIEWS, secondary_rate_limit(retry_after=1, status=429))

    with pytest.raises(GitHubError) as caught:
        client(rec).list_reviews(OWNER, REPO, PR)

    assert str(caught.value) == (
        f"GitHub's rate limit still applies (429) for GET {REVIEWS}?per_page=100 after 3"
        " retries; wait a few minutes, then run again"
    )
    assert rec.sleeps == [1.0, 1.0, 1.0] and len(gh.requests) == 4


def test_502_is_retried(gh: FakeGitHub, rec: Recorder) -> None:
    unicorn = "<!DOCTYPE html><html><head><title>Unicorn! · GitHub</title></head></html>"
    gh.route("GET", REVIEWS, Reply(502, unicorn, {"content-type": "text/html"}), _reviews_ok())

    assert len(client(rec).list_reviews(OWNER, REPO, PR)) == 14
    assert rec.sleeps == [1.0]


def test_503_that_persists_gives_up_after_backoff(gh: FakeGitHub, rec: Recorder) -> None:
    gh.route("GET", REVIEWS, Reply(503, {"message": "Service Unavailable"}))

    with pytest.raises(GitHubError, match=r"GitHub kept answering 503 .* after 3 retries"):
        client(rec).list_reviews(OWNER, REPO, PR)
    assert rec.sleeps == [1.0, 2.0, 4.0]


def test_500_is_not_retried(gh: FakeGitHub, rec: Recorder) -> None:
    gh.route("GET", REVIEWS, Reply(500, {"message": "Server Error"}))

    with pytest.raises(GitHubError) as caught:
        client(rec).list_reviews(OWNER, REPO, PR)
    assert str(caught.value) == (
        f"GitHub server error (500) for GET {REVIEWS}?per_page=100; try again later;"
        " GitHub says: Server Error"
    )
    assert rec.sleeps == []


# -- error messages -----------------------------------------------------------------------------


POST_COMMENT = f"POST {COMMENTS}"


@pytest.mark.parametrize(
    ("reply", "status", "message"),
    [
        pytest.param(
            error(401, "bad-credentials"),
            401,
            "GitHub rejected the token (401): check GITHUB_TOKEN / the github-token input;"
            " GitHub says: Bad credentials",
            id="401",
        ),
        pytest.param(
            error(
                403,
                "not-accessible-by-integration",
                {"x-accepted-github-permissions": "issues=write; pull_requests=write"},
            ),
            403,
            "forbidden (403): the token lacks permission issues=write or pull_requests=write"
            f" for {POST_COMMENT}; GitHub says: Resource not accessible by integration",
            id="403-fine-grained",
        ),
        pytest.param(
            Reply(
                403,
                {"message": "Must have admin rights to Repository."},
                {"x-accepted-oauth-scopes": "repo", "x-oauth-scopes": "read:org"},
            ),
            403,
            f"forbidden (403): the token lacks scope repo (it has: read:org) for {POST_COMMENT};"
            " GitHub says: Must have admin rights to Repository.",
            id="403-classic-token",
        ),
        pytest.param(
            error(404, "not-found"),
            404,
            "not found (404): pull request acme-ml/credit-scoring#42 (or the token cannot see it)",
            id="404",
        ),
        pytest.param(
            error(422, "validation-failed"),
            422,
            f"GitHub refused {POST_COMMENT} (422); GitHub says: Validation Failed; Body is too"
            " long (maximum is 65536 characters)",
            id="422",
        ),
    ],
)
def test_error_messages_are_one_actionable_line(
    gh: FakeGitHub, rec: Recorder, reply: Reply, status: int, message: str
) -> None:
    gh.route("GET", COMMENTS, Reply(200, []))
    gh.route("POST", COMMENTS, reply)

    with pytest.raises(GitHubError) as caught:
        client(rec).upsert_comment(OWNER, REPO, PR, "hello")

    assert isinstance(caught.value, RoadworthyError)
    assert (caught.value.status, str(caught.value)) == (status, message)
    assert "\n" not in str(caught.value) and rec.sleeps == []


def test_org_not_found(gh: FakeGitHub, rec: Recorder) -> None:
    with pytest.raises(GitHubError, match=r"^not found \(404\): organization acme-ml \(or the"):
        client(rec).list_org_repos(ORG)  # unrouted: the fake answers GitHub's 404


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def test_connection_refused(rec: Recorder, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    port = _free_port()
    github = client(rec, api_url=f"http://127.0.0.1:{port}")

    with pytest.raises(GitHubError) as caught:
        github.list_org_repos(ORG)

    message = str(caught.value)
    assert message.startswith(f"cannot reach GitHub at 127.0.0.1:{port} (")
    assert "refused" in message.lower()
    assert message.endswith("); check GITHUB_API_URL and the network")
    assert caught.value.status is None and rec.sleeps == []


def test_timeout(gh: FakeGitHub, rec: Recorder) -> None:
    gh.route("GET", REVIEWS, Reply(200, [], delay=1.0))
    github = GitHubClient(TOKEN, timeout=0.2, sleep=rec.sleep)

    with pytest.raises(GitHubError) as caught:
        github.list_reviews(OWNER, REPO, PR)
    assert str(caught.value) == (
        f"GitHub at {gh.origin.split('//')[1]} did not answer GET {REVIEWS}?per_page=100 within"
        " 0.2 s; try again later"
    )


def test_an_answer_that_is_not_json(gh: FakeGitHub, rec: Recorder) -> None:
    gh.route(
        "GET", REVIEWS, Reply(200, "<html>Sign in to GitHub</html>", {"content-type": "text/html"})
    )

    with pytest.raises(GitHubError, match=r"not JSON \(text/html\); is GITHUB_API_URL \(http"):
        client(rec).list_reviews(OWNER, REPO, PR)


def test_same_origin_redirect_is_followed(gh: FakeGitHub, rec: Recorder) -> None:
    moved = f"/repositories/701234567/pulls/{PR}/reviews"
    old = f"/repos/{OWNER}/old-name/pulls/{PR}/reviews"
    gh.route("GET", old, Reply(301, error(301, "not-found").body, {"location": gh.url + moved}))
    gh.route("GET", moved, _reviews_ok())

    assert len(client(rec).list_reviews(OWNER, "old-name", PR)) == 14
    assert gh.requests[1].headers["authorization"] == f"Bearer {TOKEN}"


# -- the token never leaks ---------------------------------------------------------------------


def _failures(gh: FakeGitHub, rec: Recorder) -> list[GitHubError]:
    """Run every error path; return the errors."""
    ops = {
        "401": error(401, "bad-credentials"),
        "403": error(403, "not-accessible-by-integration"),
        "404": error(404, "not-found"),
        "422": error(422, "validation-failed"),
        "500": Reply(500, "Internal Server Error"),
        "503": Reply(503, "Service Unavailable"),
        "429": secondary_rate_limit(retry_after=1, status=429),
        "primary": primary_rate_limit(reset=int(NOW) + 3600),
        "secondary": secondary_rate_limit(),
        "echo": Reply(403, {"message": f"token {TOKEN} may not do this"}),
        "echo-text": Reply(400, f"Authorization: Bearer {TOKEN}"),
        "not-json": Reply(200, f"<html>{TOKEN}</html>"),
        "foreign-link": Reply(200, [], {"link": '<https://evil.example/steal?page=2>; rel="next"'}),
        "foreign-redirect": Reply(307, "", {"location": "https://evil.example/x"}),
        "slow": Reply(200, [], delay=1.0),
    }
    github = GitHubClient(TOKEN, sleep=rec.sleep, clock=lambda: NOW, notify=rec.notify, timeout=0.3)
    errors = []
    for name, reply in ops.items():
        gh.route("GET", f"/orgs/{name}/repos", reply)
        with pytest.raises(GitHubError) as caught:
            github.list_org_repos(name)
        errors.append(caught.value)
    gh.route("GET", f"/orgs/{ORG}/teams/t/members", error(403, "team-members-forbidden"))
    errors.append(GitHubError(github.team_members(ORG, "t").reason))
    refused = GitHubClient(TOKEN, api_url=f"http://127.0.0.1:{_free_port()}")
    with pytest.raises(GitHubError) as caught:
        refused.list_reviews(OWNER, REPO, PR)
    errors.append(caught.value)
    with pytest.raises(GitHubError) as caught:
        GitHubClient(TOKEN, api_url=f"https://x:{TOKEN}@ghe.example.com/api/v3")
    errors.append(caught.value)
    return errors


def test_the_token_never_appears_in_any_output(
    gh: FakeGitHub, rec: Recorder, capsys: pytest.CaptureFixture[str]
) -> None:
    errors = _failures(gh, rec)

    assert len(errors) == 18
    texts = [repr(GitHubClient(TOKEN)), *rec.notices, *capsys.readouterr()]
    for exc in errors:
        texts += [str(exc), repr(exc), exc.message, "".join(traceback.format_exception(exc))]
    texts += [f"{r.path}?{r.query}" for r in gh.requests]
    leaks = [text for text in texts if TOKEN in text]
    assert leaks == []
    # The token was really in play: sent as a header, echoed back by the server, redacted.
    assert all(r.headers["authorization"] == f"Bearer {TOKEN}" for r in gh.requests)
    assert any("token *** may not do this" in str(e) for e in errors)
    assert not any("evil.example" in r.headers.get("host", "") for r in gh.requests)
    assert rec.notices  # the retry notices were exercised

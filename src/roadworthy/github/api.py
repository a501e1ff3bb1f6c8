"""A small client for the GitHub REST API endpoints roadworthy needs (standard library HTTP only).

Used by the commands that talk to GitHub (the Action's PR reviews and sticky comment, ``scan
--github-org``); nothing else imports it, so ``roadworthy --version`` never pays for it.

Configuration: ``GITHUB_API_URL`` (GitHub Actions sets it; GitHub Enterprise Server uses e.g.
``https://ghe.example.com/api/v3``), default ``https://api.github.com``. The token is passed in by
the caller (``GITHUB_TOKEN`` or the action's ``github-token`` input) and sent only as an
``Authorization: Bearer`` header to that origin: never in a URL, an error message, a notice or a
repr (every message the client builds is scrubbed of it as well), never to another host (a
pagination ``Link`` or a redirect to another origin is refused).

Behaviour taken from GitHub's REST documentation:

- Pagination follows the ``Link`` header's ``rel="next"`` URL verbatim (its path may differ from the
  first request's, e.g. ``/organizations/<id>/repos``), 100 items a page.
- Rate limits: a 429, or a 403 with ``x-ratelimit-remaining: 0``, a ``retry-after`` header or a
  "secondary rate limit" message, waits ``retry-after`` seconds, else until ``x-ratelimit-reset``
  (UTC epoch seconds), else one minute (GitHub's advice for secondary limits), then retries. A wait
  longer than ``max_wait`` is not shortened (retrying early only extends the ban): the client gives
  up at once and says when the limit resets. 502/503/504 are retried after 1, 2, 4 s. At most
  ``max_retries`` retries in all; then a `GitHubError`.
- Redirects (301/302/307/308, e.g. a renamed repository) are repeated verbatim at the new location
  when it has the same origin.
- Connection errors and timeouts (every request has ``timeout=``) are not retried: they become a
  `GitHubError` naming the host.

Reviews (`approving_handles`): GitHub lists them in chronological order. A user's approval counts
for a head commit when their latest *decisive* review (APPROVED, CHANGES_REQUESTED, DISMISSED) is
an APPROVED review of that commit. COMMENTED reviews do not change a user's verdict (as on
GitHub), PENDING ones are unsubmitted drafts, and a dismissed approval shows up as the same review
with state DISMISSED. ``user`` is null for deleted accounts and ``commit_id`` is null when the
reviewed commit was garbage collected; neither can approve anything.
"""

from __future__ import annotations

import email.utils
import json
import os
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from http.client import HTTPException
from typing import Any, TypeVar

from roadworthy import __version__, lazyre
from roadworthy.errors import RoadworthyError

DEFAULT_API_URL = "https://api.github.com"
API_VERSION = "2022-11-28"
COMMENT_MARKER = "<!-- roadworthy:summary -->"
MAX_COMMENT_CHARS = 65536  # GitHub rejects longer issue comments with 422 "Body is too long"

_PER_PAGE = 100
_MAX_PAGES = 1000  # 100,000 items: a loop guard, not a limit anyone meets
_MAX_REDIRECTS = 3
_RETRYABLE_SERVER = frozenset({502, 503, 504})
_REDIRECTS = frozenset({301, 302, 307, 308})
_DECISIVE = frozenset({"APPROVED", "CHANGES_REQUESTED", "DISMISSED"})
_SECONDARY_WAIT = 60.0
_T = TypeVar("_T")


class GitHubError(RoadworthyError):
    """A GitHub API call failed; ``str()`` is one actionable line, ``status`` the HTTP status."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(frozen=True)
class Repository:
    full_name: str
    name: str
    clone_url: str
    ssh_url: str
    html_url: str
    default_branch: str
    archived: bool
    fork: bool
    private: bool
    visibility: str  # public / private / internal
    pushed_at: str | None  # ISO 8601; null for a repository nobody has pushed to


@dataclass(frozen=True)
class Review:
    id: int
    login: str | None  # None: the reviewer's account was deleted ("ghost")
    state: str  # APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED, PENDING
    commit_id: str | None
    submitted_at: str | None  # None for PENDING reviews


@dataclass(frozen=True)
class TeamMembers:
    """Members of ``@org/slug`` (child teams included, as GitHub lists them).

    ``resolved`` is False when GitHub would not say (403, or 404: the team is missing or the token
    cannot see it); ``reason`` then says so in one line, ready to show the user.
    """

    team: str
    logins: tuple[str, ...]
    resolved: bool
    reason: str = ""

    @property
    def handles(self) -> tuple[str, ...]:
        return tuple(f"@{login}" for login in self.logins)


@dataclass(frozen=True)
class Comment:
    id: int
    html_url: str
    body: str
    login: str | None


def approving_handles(reviews: Iterable[Review], head_sha: str) -> tuple[str, ...]:
    """``@login`` of every reviewer whose latest decisive review approves ``head_sha``; sorted."""
    ordered = sorted(
        enumerate(r for r in reviews if r.login and r.state in _DECISIVE),
        key=lambda pair: (pair[1].submitted_at or "", pair[0]),
    )
    latest: dict[str, Review] = {}
    for _, review in ordered:
        latest[(review.login or "").casefold()] = review  # logins are case-insensitive
    head = head_sha.lower()
    approved = (
        f"@{r.login}"
        for r in latest.values()
        if r.state == "APPROVED" and (r.commit_id or "").lower() == head
    )
    return tuple(sorted(approved, key=str.casefold))


@dataclass(frozen=True)
class _Response:
    status: int
    headers: Mapping[str, str]  # lower-case names
    body: bytes


class _KeepRedirects(urllib.request.HTTPRedirectHandler):
    """Hand 3xx back to the client: urllib would re-send the Authorization header to any host."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class _ShapeError(Exception):
    pass


class GitHubClient:
    """Talks to one GitHub API origin with one token (or none: public data only)."""

    def __init__(
        self,
        token: str | None,
        *,
        api_url: str | None = None,
        timeout: float = 30.0,
        max_retries: int = 3,
        max_wait: float = 60.0,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
        notify: Callable[[str], None] | None = None,
    ) -> None:
        self._token = token or None
        self._base = _api_base(api_url or os.environ.get("GITHUB_API_URL") or DEFAULT_API_URL)
        self._timeout = timeout
        self._max_retries = max_retries
        self._max_wait = max_wait
        self._sleep = sleep
        self._clock = clock
        self._notify = notify
        self._opener = urllib.request.build_opener(_KeepRedirects())

    @property
    def api_url(self) -> str:
        return self._base

    def __repr__(self) -> str:
        auth = "token" if self._token else "anonymous"
        return f"GitHubClient(api_url={self._base!r}, {auth})"

    # -- endpoints --------------------------------------------------------------------------

    def list_org_repos(
        self, org: str, *, include_archived: bool = False, include_forks: bool = False
    ) -> list[Repository]:
        """All repositories of ``org`` the token can see, sorted by full name."""
        path = f"/orgs/{_seg(org)}/repos"
        items = self._paginate(path, {"type": "all"}, f"organization {org}")
        repos = self._parse_all(items, _repository, f"repositories of {org}")
        return sorted(
            (
                r
                for r in repos
                if (include_archived or not r.archived) and (include_forks or not r.fork)
            ),
            key=lambda r: r.full_name.casefold(),
        )

    def list_reviews(self, owner: str, repo: str, number: int) -> list[Review]:
        """The pull request's reviews in GitHub's (chronological) order."""
        path = f"/repos/{_seg(owner)}/{_seg(repo)}/pulls/{int(number)}/reviews"
        what = f"pull request {owner}/{repo}#{number}"
        return self._parse_all(self._paginate(path, {}, what), _review, f"reviews of {what}")

    def team_members(self, org: str, team_slug: str) -> TeamMembers:
        """Members of a team, or ``resolved=False`` when the token may not read them."""
        team = f"@{org}/{team_slug}"
        path = f"/orgs/{_seg(org)}/teams/{_seg(team_slug)}/members"
        try:
            items = self._paginate(path, {}, f"team {team}")
        except GitHubError as exc:
            if exc.status not in (403, 404):
                raise
            return TeamMembers(team, (), False, _team_reason(exc))
        users = self._parse_all(items, _login, f"members of {team}")
        return TeamMembers(team, tuple(sorted(users, key=str.casefold)), True)

    def find_comment(self, owner: str, repo: str, number: int) -> Comment | None:
        """The first comment on issue/PR ``number`` whose body holds `COMMENT_MARKER`."""
        path = f"/repos/{_seg(owner)}/{_seg(repo)}/issues/{int(number)}/comments"
        what = f"pull request {owner}/{repo}#{number}"
        comments = self._parse_all(self._paginate(path, {}, what), _comment, f"comments on {what}")
        return next((c for c in comments if COMMENT_MARKER in c.body), None)

    def upsert_comment(self, owner: str, repo: str, number: int, body: str) -> str:
        """Create or update roadworthy's one sticky comment on the PR; returns its html_url."""
        if COMMENT_MARKER not in body:
            body = f"{COMMENT_MARKER}\n{body}"
        if len(body) > MAX_COMMENT_CHARS:
            raise GitHubError(
                f"the comment is {len(body):,} characters; GitHub accepts at most"
                f" {MAX_COMMENT_CHARS:,} (truncate the report before posting it)"
            )
        existing = self.find_comment(owner, repo, number)
        base = f"/repos/{_seg(owner)}/{_seg(repo)}/issues"
        what = f"pull request {owner}/{repo}#{number}"
        if existing is None:
            method, path = "POST", f"{base}/{int(number)}/comments"
        else:
            method, path = "PATCH", f"{base}/comments/{existing.id}"
            what = f"comment {existing.id} on {what}"
        response = self._request(method, self._base + path, what, {"body": body})
        data = self._json(response, method, self._base + path)
        try:
            return _comment(data).html_url
        except _ShapeError as exc:
            raise self._fail(f"unexpected answer from GitHub for {what}: {exc}") from None

    # -- pagination and parsing ---------------------------------------------------------------

    def _paginate(self, path: str, query: Mapping[str, str], what: str) -> list[Any]:
        url = self._base + path + "?" + urllib.parse.urlencode({**query, "per_page": _PER_PAGE})
        items: list[Any] = []
        for _ in range(_MAX_PAGES):
            response = self._request("GET", url, what)
            page = self._json(response, "GET", url)
            if not isinstance(page, list):
                raise self._fail(f"unexpected answer from GitHub for {what}: not a list")
            items.extend(page)
            next_url = _next_link(response.headers.get("link", ""))
            if next_url is None:
                return items
            url = self._same_origin(next_url, "pagination link")
        raise self._fail(f"GitHub returned more than {_MAX_PAGES} pages for {what}")

    def _parse_all(self, items: list[Any], parse: Callable[[Any], _T], what: str) -> list[_T]:
        try:
            return [parse(item) for item in items]
        except _ShapeError as exc:
            raise self._fail(f"unexpected answer from GitHub for {what}: {exc}") from None

    def _json(self, response: _Response, method: str, url: str) -> Any:
        try:
            return json.loads(response.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            kind = response.headers.get("content-type", "no content type")
            raise self._fail(
                f"GitHub answered {method} {_display(url)} with something that is not JSON"
                f" ({kind}); is GITHUB_API_URL ({self._base}) the API URL?"
            ) from None

    # -- one request: retries, redirects, errors -----------------------------------------------

    def _request(
        self, method: str, url: str, what: str, payload: Mapping[str, Any] | None = None
    ) -> _Response:
        data = json.dumps(payload).encode() if payload is not None else None
        retries = 0
        while True:
            response = self._follow(method, url, data)
            if 200 <= response.status < 300:
                return response
            wait = self._retry_wait(method, url, response, retries)
            if wait is None:
                raise self._status_error(method, url, what, response)
            if retries >= self._max_retries:
                raise self._exhausted(method, url, response, retries)
            retries += 1
            if self._notify is not None:
                self._notify(
                    self._redact(
                        f"GitHub answered {response.status} to {method} {_display(url)};"
                        f" waiting {wait:g} s before retry {retries} of {self._max_retries}"
                    )
                )
            self._sleep(wait)

    def _follow(self, method: str, url: str, data: bytes | None) -> _Response:
        for _ in range(_MAX_REDIRECTS + 1):
            response = self._send(method, url, data)
            location = response.headers.get("location")
            if response.status not in _REDIRECTS or not location:
                return response
            url = self._same_origin(urllib.parse.urljoin(url, location), "redirect")
        raise self._fail(f"too many redirects for {method} {_display(url)}")

    def _send(self, method: str, url: str, data: bytes | None) -> _Response:
        request = urllib.request.Request(url, data=data, method=method, headers=self._headers(data))
        try:
            with self._opener.open(request, timeout=self._timeout) as raw:
                return _Response(raw.status, _lower(raw.headers.items()), raw.read())
        except urllib.error.HTTPError as exc:
            with exc:
                return _Response(exc.code, _lower(exc.headers.items()), exc.read())
        except (OSError, HTTPException) as exc:  # URLError and TimeoutError are OSErrors
            raise self._connection_error(method, url, exc) from None

    def _headers(self, data: bytes | None) -> dict[str, str]:
        headers = {
            "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": API_VERSION,
            "User-Agent": f"roadworthy/{__version__}",
        }
        if self._token:
            headers["Authorization"] = f"Bearer {self._token}"
        if data is not None:
            headers["Content-Type"] = "application/json; charset=utf-8"
        return headers

    def _retry_wait(self, method: str, url: str, response: _Response, retries: int) -> float | None:
        """Seconds to wait before retrying, or None when the answer is final."""
        if response.status in _RETRYABLE_SERVER:
            return float(min(2**retries, self._max_wait))
        if not _is_rate_limited(response):
            return None
        wait = self._rate_limit_wait(response.headers, retries)
        if wait > self._max_wait:
            raise self._fail(
                f"GitHub API rate limit exceeded ({response.status}) for {method}"
                f" {_display(url)}: {_rate_limit_advice(response.headers, wait)}",
                response.status,
            )
        return wait

    def _rate_limit_wait(self, headers: Mapping[str, str], retries: int) -> float:
        retry_after = _retry_after(headers.get("retry-after"), self._clock())
        if retry_after is not None:
            return max(retry_after, 1.0)
        reset = headers.get("x-ratelimit-reset", "")
        if headers.get("x-ratelimit-remaining") == "0" and reset.isdigit():
            return max(int(reset) - self._clock() + 1.0, 1.0)  # +1: our clock may lag GitHub's
        return _SECONDARY_WAIT * float(2**retries)  # "at least one minute", then exponentially

    # -- error messages ---------------------------------------------------------------------------

    def _status_error(self, method: str, url: str, what: str, response: _Response) -> GitHubError:
        status, said = response.status, _github_message(response.body)
        request = f"{method} {_display(url)}"
        if status == 401:
            message = "GitHub rejected the token (401): check GITHUB_TOKEN / the github-token input"
        elif status == 403:
            message = f"forbidden (403): {_permission_hint(response.headers)} for {request}"
        elif status == 404:
            message = f"not found (404): {what} (or the token cannot see it)"
        elif status >= 500:
            message = f"GitHub server error ({status}) for {request}; try again later"
        else:
            message = f"GitHub refused {request} ({status})"
        if said and status != 404:
            message += f"; GitHub says: {said}"
        return self._fail(message, status)

    def _exhausted(self, method: str, url: str, response: _Response, retries: int) -> GitHubError:
        request = f"{method} {_display(url)}"
        if response.status in _RETRYABLE_SERVER:
            reason = f"GitHub kept answering {response.status}"
            advice = "try again later (https://www.githubstatus.com)"
        else:
            reason = f"GitHub's rate limit still applies ({response.status})"
            advice = "wait a few minutes, then run again"
        return self._fail(
            f"{reason} for {request} after {retries} retries; {advice}", response.status
        )

    def _connection_error(self, method: str, url: str, exc: BaseException) -> GitHubError:
        reason: object = exc.reason if isinstance(exc, urllib.error.URLError) else exc
        host = urllib.parse.urlsplit(url).netloc
        if isinstance(reason, TimeoutError) or "timed out" in str(reason):
            return self._fail(
                f"GitHub at {host} did not answer {method} {_display(url)} within"
                f" {self._timeout:g} s; try again later"
            )
        detail = str(reason) or type(reason).__name__
        return self._fail(
            f"cannot reach GitHub at {host} ({detail}); check GITHUB_API_URL and the network"
        )

    def _same_origin(self, url: str, what: str) -> str:
        if _origin(url) != _origin(self._base):
            host = urllib.parse.urlsplit(url).hostname or url
            raise self._fail(
                f"GitHub's {what} points at another host ({host}); not sending the token there"
            )
        return url

    def _fail(self, message: str, status: int | None = None) -> GitHubError:
        return GitHubError(self._redact(" ".join(message.split())), status)

    def _redact(self, text: str) -> str:
        from roadworthy.errors import redact

        return redact(text, [self._token])


# -- helpers ---------------------------------------------------------------------------------------


def _api_base(url: str) -> str:
    parts = urllib.parse.urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise GitHubError(f"GITHUB_API_URL must be an http(s) URL, got {_display(url)!r}")
    if parts.username or parts.password:
        raise GitHubError("GITHUB_API_URL must not contain credentials; pass the token instead")
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/"), "", ""))


def _seg(value: str) -> str:
    return urllib.parse.quote(str(value), safe="")


def _origin(url: str) -> tuple[str, str]:
    parts = urllib.parse.urlsplit(url)
    return parts.scheme.lower(), parts.netloc.lower()


def _display(url: str) -> str:
    """Path and query of a URL (never user info): what messages show of a request."""
    parts = urllib.parse.urlsplit(url)
    if not parts.scheme:
        return url
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _lower(items: Iterable[tuple[str, str]]) -> dict[str, str]:
    return {name.lower(): value for name, value in items}


_LINK = lazyre.compile(r"<([^>]*)>([^<]*)")
_REL = lazyre.compile(r'rel\s*=\s*"?([^";,]*)')


def _next_link(header: str) -> str | None:
    for target, params in _LINK.findall(header):
        rel = _REL.search(params)
        if rel and "next" in rel.group(1).split():
            return str(target)
    return None


def _is_rate_limited(response: _Response) -> bool:
    if response.status == 429:
        return True
    if response.status != 403:
        return False
    headers = response.headers
    return (
        headers.get("x-ratelimit-remaining") == "0"
        or "retry-after" in headers
        or "rate limit" in _github_message(response.body).lower()
    )


def _retry_after(value: str | None, now: float) -> float | None:
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:  # the HTTP-date form, which RFC 9110 allows
        return email.utils.parsedate_to_datetime(value).timestamp() - now
    except (TypeError, ValueError):
        return None


def _rate_limit_advice(headers: Mapping[str, str], wait: float) -> str:
    minutes = max(1, round(wait / 60))
    reset = headers.get("x-ratelimit-reset", "")
    if headers.get("x-ratelimit-remaining") == "0" and reset.isdigit():
        stamp = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(int(reset)))
        return (
            f"it resets at {stamp} (in about {minutes} min); run again then,"
            " or use a token with a higher limit"
        )
    return f"wait about {minutes} min, then run again"


def _permission_hint(headers: Mapping[str, str]) -> str:
    accepted = headers.get("x-accepted-github-permissions", "").strip()
    if accepted:
        options = " or ".join(p.strip() for p in accepted.split(";") if p.strip())
        return f"the token lacks permission {options}"
    scopes = headers.get("x-accepted-oauth-scopes", "").strip()
    if scopes:
        has = headers.get("x-oauth-scopes", "").strip() or "none"
        return f"the token lacks scope {scopes} (it has: {has})"
    return "the token lacks the permission needed"


def _github_message(body: bytes) -> str:
    """GitHub's ``message`` (plus any validation ``errors``), or the start of a non-JSON body."""
    text = body.decode("utf-8", "replace").strip()
    try:
        data = json.loads(text)
    except ValueError:
        return " ".join(text.split())[:200] if text and not text.startswith("<") else ""
    if not isinstance(data, dict):
        return ""
    message = str(data.get("message") or "")
    errors = data.get("errors")
    if isinstance(errors, list):
        details = [str(e.get("message") or e.get("code")) for e in errors if isinstance(e, dict)]
        message = "; ".join([message, *details]) if details else message
    return " ".join(message.split())


def _team_reason(exc: GitHubError) -> str:
    return (
        f"team approvals could not be resolved: {exc.message}; reading team members needs"
        " read:org (classic token) or Members: read (fine-grained token or GitHub App), which"
        " the Actions GITHUB_TOKEN does not have"
    )


def _get(obj: object, key: str, kind: type[_T]) -> _T:
    value = obj.get(key) if isinstance(obj, dict) else None
    if not isinstance(value, kind):
        raise _ShapeError(f"{key!r} missing or not a {kind.__name__}")
    return value


def _opt(obj: object, key: str, kind: type[_T]) -> _T | None:
    value = obj.get(key) if isinstance(obj, dict) else None
    return value if isinstance(value, kind) else None


def _repository(item: object) -> Repository:
    private = _get(item, "private", bool)
    return Repository(
        full_name=_get(item, "full_name", str),
        name=_get(item, "name", str),
        clone_url=_get(item, "clone_url", str),
        ssh_url=_get(item, "ssh_url", str),
        html_url=_get(item, "html_url", str),
        default_branch=_opt(item, "default_branch", str) or "main",
        archived=_opt(item, "archived", bool) or False,
        fork=_get(item, "fork", bool),
        private=private,
        # Older GitHub Enterprise Server releases omit `visibility`.
        visibility=_opt(item, "visibility", str) or ("private" if private else "public"),
        pushed_at=_opt(item, "pushed_at", str),
    )


def _review(item: object) -> Review:
    user = _opt(item, "user", dict)
    return Review(
        id=_get(item, "id", int),
        login=_opt(user, "login", str),
        state=_get(item, "state", str),
        commit_id=_opt(item, "commit_id", str),
        submitted_at=_opt(item, "submitted_at", str),
    )


def _login(item: object) -> str:
    return _get(item, "login", str)


def _comment(item: object) -> Comment:
    user = _opt(item, "user", dict)
    return Comment(
        id=_get(item, "id", int),
        html_url=_get(item, "html_url", str),
        body=_opt(item, "body", str) or "",
        login=_opt(user, "login", str),
    )

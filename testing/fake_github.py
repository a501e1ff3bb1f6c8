"""A fake GitHub REST API on 127.0.0.1 for tests: recorded responses, scripted per test.

The bodies come from ``testing/github_responses/`` (full objects shaped like GitHub's documented
examples, with every field GitHub sends); the headers are those GitHub sends (``link`` with
absolute URLs back to this server, ``x-ratelimit-*``, ``x-github-request-id``, content type, ...).

A test scripts routes (method + path, relative to the API prefix) with a sequence of `Reply`: each
request takes the next one and the last one repeats, so ``route("GET", p, limited, ok)`` serves a
429 and then 200s. Unrouted requests get GitHub's 404. Every request is recorded (`requests`)
with its method, path, query, headers and body.

Use from a test module or ``tests/conftest.py``::

    @pytest.fixture()
    def fake_github(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGitHub]:
        yield from serve_fake_github(monkeypatch)
"""

from __future__ import annotations

import email.utils
import itertools
import json
import threading
import time
import urllib.parse
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pytest

RESPONSES = Path(__file__).resolve().with_name("github_responses")
RATE_LIMIT_RESET = 1_795_000_000  # x-ratelimit-reset on ordinary answers (UTC epoch seconds)
_TEMPLATE_REPO = "acme-ml/credit-scoring"  # full_name in minimal-repository.json


def load(name: str) -> Any:
    """A recorded response body from testing/github_responses/ (a fresh copy every call)."""
    return json.loads((RESPONSES / name).read_text(encoding="utf-8"))


def error_body(name: str) -> dict[str, Any]:
    body: dict[str, Any] = load("errors.json")[name]
    return body


@dataclass(frozen=True)
class Reply:
    status: int = 200
    body: Any = None  # JSON-serialisable; str/bytes are sent verbatim; None sends no body
    headers: Mapping[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering (timeouts)


@dataclass(frozen=True)
class Request:
    method: str
    path: str  # as received, API prefix included
    query: dict[str, str]
    headers: dict[str, str]  # lower-case names
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body.decode("utf-8"))


def error(status: int, name: str, headers: Mapping[str, str] | None = None) -> Reply:
    """GitHub's error answer ``name`` from errors.json."""
    return Reply(status, error_body(name), headers or {})


def primary_rate_limit(reset: int, status: int = 403) -> Reply:
    """The primary limit is used up until ``reset`` (epoch seconds)."""
    headers = {
        "x-ratelimit-limit": "5000",
        "x-ratelimit-remaining": "0",
        "x-ratelimit-used": "5000",
        "x-ratelimit-reset": str(reset),
    }
    return error(status, "primary-rate-limit", headers)


def secondary_rate_limit(retry_after: int | None = None, status: int = 403) -> Reply:
    """A secondary (abuse) limit; GitHub sends ``retry-after`` only sometimes."""
    headers = {} if retry_after is None else {"retry-after": str(retry_after)}
    return error(status, "secondary-rate-limit", headers)


def org_repository(
    org: str,
    name: str,
    *,
    repo_id: int,
    archived: bool = False,
    fork: bool = False,
    visibility: str = "public",
    pushed_at: str | None = "2026-11-20T16:42:07Z",
) -> dict[str, Any]:
    """The recorded repository of minimal-repository.json, renamed and with its flags set.

    An organisation of hundreds of repositories is built from it rather than recorded 250 times:
    every object on the wire is still a full GitHub repository object.
    """
    text = (RESPONSES / "minimal-repository.json").read_text(encoding="utf-8")
    owner = _TEMPLATE_REPO.split("/")[0]
    text = text.replace(_TEMPLATE_REPO, f"{org}/{name}").replace(f'"{owner}"', f'"{org}"')
    text = text.replace(f"/{owner}", f"/{org}")
    repo: dict[str, Any] = json.loads(text)
    repo.update(
        id=repo_id,
        node_id=f"R_kgDO{repo_id:08X}",
        name=name,
        archived=archived,
        fork=fork,
        private=visibility != "public",
        visibility=visibility,
        pushed_at=pushed_at,
    )
    return repo


class FakeGitHub:
    """The server; `url` is what GITHUB_API_URL should be (``prefix`` e.g. ``/api/v3``)."""

    def __init__(self, prefix: str = "") -> None:
        self.prefix = prefix.rstrip("/")
        self.requests: list[Request] = []
        self._routes: dict[tuple[str, str, str | None], list[Reply]] = {}
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle --------------------------------------------------------------------------

    def start(self) -> FakeGitHub:
        server = _Server(("127.0.0.1", 0), _handler_for(self))
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> FakeGitHub:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def origin(self) -> str:
        assert self._server is not None, "start() the server first"
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def url(self) -> str:
        return self.origin + self.prefix

    # -- scripting --------------------------------------------------------------------------

    def route(self, method: str, path: str, *replies: Reply, page: int | None = None) -> None:
        """Serve ``replies`` in turn (the last repeats) to ``method path`` [``?page=N``]."""
        assert replies, "route() needs at least one reply"
        key = (method.upper(), path, None if page is None else str(page))
        with self._lock:
            self._routes[key] = list(replies)

    def paginate(
        self,
        path: str,
        items: Sequence[Any],
        *,
        per_page: int = 100,
        query: Mapping[str, str] | None = None,
        link_path: str | None = None,
    ) -> int:
        """Serve ``items`` as GitHub does: page 1 at ``path``, the rest at ``link_path?page=N``.

        GitHub's ``link`` URLs often name the resource by id (``/organizations/9919/repos``);
        ``link_path`` reproduces that. Returns the number of pages.
        """
        pages = [list(items[i : i + per_page]) for i in range(0, len(items), per_page)] or [[]]
        later = link_path or path
        for number, chunk in enumerate(pages, start=1):
            links = self._links(later, number, len(pages), {**(query or {}), "per_page": per_page})
            reply = Reply(200, chunk, {"link": links} if links else {})
            if number == 1:
                self.route("GET", path, reply)
            else:
                self.route("GET", later, reply, page=number)
        return len(pages)

    def link(self, path: str, query: Mapping[str, Any]) -> str:
        return f"{self.url}{path}?{urllib.parse.urlencode(query)}"

    def requests_to(self, method: str, path: str) -> list[Request]:
        full = self.prefix + path
        return [r for r in self.requests if r.method == method.upper() and r.path == full]

    def _links(self, path: str, page: int, last: int, query: Mapping[str, Any]) -> str:
        rels = []
        if page > 1:
            rels += [(page - 1, "prev"), (1, "first")]
        if page < last:
            rels += [(page + 1, "next"), (last, "last")]
        links = (f'<{self.link(path, {**query, "page": n})}>; rel="{rel}"' for n, rel in rels)
        return ", ".join(links)

    # -- serving --------------------------------------------------------------------------

    def _answer(self, request: Request) -> Reply:
        with self._lock:
            self.requests.append(request)
            if not request.path.startswith(self.prefix + "/"):
                return error(404, "not-found")
            path = request.path[len(self.prefix) :]
            for page in (request.query.get("page"), None):
                replies = self._routes.get((request.method, path, page))
                if replies:
                    return replies.pop(0) if len(replies) > 1 else replies[0]
        return error(404, "not-found")

    def _headers(self, reply: Reply, length: int) -> dict[str, str]:
        number = next(self._ids)
        with self._lock:
            used = len(self.requests)
        headers = {
            "date": email.utils.formatdate(usegmt=True),
            "content-type": "application/json; charset=utf-8",
            "content-length": str(length),
            "cache-control": "private, max-age=60, s-maxage=60",
            "vary": "Accept, Authorization, Cookie, X-GitHub-OTP, Accept-Encoding",
            "x-github-api-version-selected": "2022-11-28",
            "x-github-media-type": "github.v3; format=json",
            "x-ratelimit-limit": "5000",
            "x-ratelimit-remaining": str(max(5000 - used, 0)),
            "x-ratelimit-reset": str(RATE_LIMIT_RESET),
            "x-ratelimit-used": str(used),
            "x-ratelimit-resource": "core",
            "access-control-expose-headers": (
                "ETag, Link, Location, Retry-After, X-GitHub-OTP, X-RateLimit-Limit,"
                " X-RateLimit-Remaining, X-RateLimit-Used, X-RateLimit-Resource,"
                " X-RateLimit-Reset, X-OAuth-Scopes, X-Accepted-OAuth-Scopes, X-Poll-Interval,"
                " X-GitHub-Media-Type, X-GitHub-SSO, X-GitHub-Request-Id, Deprecation, Sunset"
            ),
            "access-control-allow-origin": "*",
            "strict-transport-security": "max-age=31536000; includeSubdomains; preload",
            "x-frame-options": "deny",
            "x-content-type-options": "nosniff",
            "x-xss-protection": "0",
            "referrer-policy": "origin-when-cross-origin, strict-origin-when-cross-origin",
            "content-security-policy": "default-src 'none'",
            "server": "github.com",
            "x-github-request-id": f"0C41:{number:05X}:4A5B6C:7D8E9F:673F0A{number % 256:02X}",
        }
        for name, value in reply.headers.items():
            headers[name.lower()] = value
        return headers


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that timed out and hung up is part of the script, not an error


def _encode(body: Any) -> bytes:
    if body is None:
        return b""
    if isinstance(body, bytes):
        return body
    if isinstance(body, str):
        return body.encode("utf-8")
    return json.dumps(body, indent=2, ensure_ascii=False).encode("utf-8")


def _handler_for(fake: FakeGitHub) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _serve(self) -> None:
            split = urllib.parse.urlsplit(self.path)
            length = int(self.headers.get("content-length") or 0)
            request = Request(
                method=self.command,
                path=split.path,
                query=dict(urllib.parse.parse_qsl(split.query)),
                headers={k.lower(): v for k, v in self.headers.items()},
                body=self.rfile.read(length) if length else b"",
            )
            reply = fake._answer(request)
            if reply.delay:
                time.sleep(reply.delay)
            body = _encode(reply.body)
            headers = fake._headers(reply, len(body))
            self.send_response(reply.status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)
            self.close_connection = True

        do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _serve

        def log_message(self, format: str, *args: Any) -> None:  # quiet
            pass

    return Handler


def serve_fake_github(monkeypatch: pytest.MonkeyPatch, prefix: str = "") -> Iterator[FakeGitHub]:
    """Fixture body: start the server, point GITHUB_API_URL at it, stop it afterwards."""
    fake = FakeGitHub(prefix).start()
    monkeypatch.setenv("GITHUB_API_URL", fake.url)
    # A developer's or CI's HTTP(S)_PROXY must not capture requests to the local server.
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    try:
        yield fake
    finally:
        fake.stop()

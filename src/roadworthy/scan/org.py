"""`--github-org`: an organisation's repositories as clone URLs, and the token to clone them.

The listing goes through `roadworthy.github.api` (``GITHUB_API_URL``, pagination, rate limits). The
token (``GITHUB_TOKEN``) reaches git only as an HTTP header scoped to the GitHub server, through
the environment of the worker processes: never in a URL, an argument or a report.
"""

from __future__ import annotations

import base64
import os
import sys
import urllib.parse

from roadworthy.records import NamedTuple

TOKEN_ENV = "GITHUB_TOKEN"


class Listed(NamedTuple):
    urls: list[str]  # clone URLs to scan
    refused: list[tuple[str, str]]  # (repository, why its clone URL is not cloned)


def list_org(org: str, include_archived: bool, include_forks: bool) -> Listed:
    from roadworthy.github.api import GitHubClient

    client = GitHubClient(os.environ.get(TOKEN_ENV), notify=_notify)
    repos = client.list_org_repos(
        org, include_archived=include_archived, include_forks=include_forks
    )
    listed = Listed([], [])
    for repo in repos:
        problem = clone_url_problem(repo.clone_url)
        if problem is None:
            listed.urls.append(repo.clone_url)
        else:
            listed.refused.append((repo.full_name, problem))
    return listed


def clone_url_problem(url: str) -> str | None:
    """Why a clone URL from the API is not cloned, or None. The listing is data from a server:
    only the GitHub server's own origin is trusted (https for github.com), never a local path,
    ``file://``, ``ext::``, ssh, credentials in the URL or another host."""
    from roadworthy.scan.targets import redact

    server = urllib.parse.urlsplit(server_url())
    shown = redact(url)
    try:
        parts = urllib.parse.urlsplit(url)
        port = parts.port
    except ValueError:
        return f"clone_url {shown!r} is not a URL; not cloned"
    if parts.username is not None or parts.password is not None:
        return f"clone_url {shown!r} carries credentials; not cloned"
    if parts.scheme != server.scheme or parts.hostname != server.hostname or port != server.port:
        return f"clone_url {shown!r} is not on {server.scheme}://{server.netloc}; not cloned"
    return None


def _notify(message: str) -> None:
    print(f"roadworthy: {message}", file=sys.stderr)


def server_url() -> str:
    """The web origin clone URLs point at: GITHUB_SERVER_URL, else derived from the API URL."""
    explicit = os.environ.get("GITHUB_SERVER_URL")
    if explicit:
        return explicit.rstrip("/")
    api = urllib.parse.urlsplit(os.environ.get("GITHUB_API_URL") or "https://api.github.com")
    host = api.netloc.removeprefix("api.") if api.netloc == "api.github.com" else api.netloc
    return f"{api.scheme}://{host}"


def clone_auth_config() -> list[tuple[str, str]]:
    """git config that sends GITHUB_TOKEN to the GitHub server only (as actions/checkout does)."""
    token = os.environ.get(TOKEN_ENV)
    if not token:
        return []
    basic = base64.b64encode(f"x-access-token:{token}".encode()).decode()
    return [(f"http.{server_url()}/.extraheader", f"AUTHORIZATION: basic {basic}")]

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

TOKEN_ENV = "GITHUB_TOKEN"


def list_org(org: str, include_archived: bool, include_forks: bool) -> list[str]:
    from roadworthy.github.api import GitHubClient

    client = GitHubClient(os.environ.get(TOKEN_ENV), notify=_notify)
    repos = client.list_org_repos(
        org, include_archived=include_archived, include_forks=include_forks
    )
    return [r.clone_url for r in repos]


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

"""--github-org: the organisation listed through the REST API (a fake GitHub on 127.0.0.1)."""

from __future__ import annotations

import base64
import os
from collections.abc import Iterator
from typing import Any

import pytest
from testing.fake_github import FakeGitHub, org_repository, primary_rate_limit, serve_fake_github

from roadworthy.scan import org as scan_org

from .conftest import Org, by_target, read_report

ORG = "acme-ml"
TOKEN = "ghs_ScanSeCrEt0123456789abcdefTOKEN7"


@pytest.fixture()
def gh(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGitHub]:
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    monkeypatch.delenv("GITHUB_SERVER_URL", raising=False)
    yield from serve_fake_github(monkeypatch)


def repos(count: int) -> list[dict[str, Any]]:
    return [
        org_repository(
            ORG, f"model-{i:03d}", repo_id=900 + i, archived=i % 10 == 3, fork=i % 7 == 5
        )
        for i in range(count)
    ]


def url(i: int) -> str:
    return f"https://github.com/{ORG}/model-{i:03d}.git"


@pytest.mark.parametrize(
    ("flags", "keep"),
    (
        pytest.param([], lambda i: i % 10 != 3 and i % 7 != 5, id="default"),
        pytest.param(["--include-archived"], lambda i: i % 7 != 5, id="archived"),
        pytest.param(["--include-forks"], lambda i: i % 10 != 3, id="forks"),
        pytest.param(["--include-archived", "--include-forks"], lambda i: True, id="all"),
    ),
)
def test_the_organisation_is_listed_across_pages(
    gh: FakeGitHub, run_cli, flags, keep, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_SERVER_URL", "https://github.com")  # where the clone URLs point
    pages = gh.paginate(
        f"/orgs/{ORG}/repos",
        repos(250),
        query={"type": "all"},
        link_path="/organizations/4242/repos",
    )
    result = run_cli("scan", "--github-org", ORG, *flags, "--list-only")
    assert (pages, result.exit_code) == (3, 0)
    assert result.out.splitlines() == sorted(url(i) for i in range(250) if keep(i))
    assert [r.query.get("page") for r in gh.requests] == [None, "2", "3"]


def test_the_token_is_sent_to_the_api_and_never_printed(
    gh: FakeGitHub, run_cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    gh.paginate(f"/orgs/{ORG}/repos", repos(3), query={"type": "all"})
    result = run_cli("scan", "--github-org", ORG, "--list-only")
    assert gh.requests[0].headers["authorization"] == f"Bearer {TOKEN}"
    assert TOKEN not in result.out + result.err


def test_api_errors_stop_the_scan_with_a_usage_error(gh: FakeGitHub, run_cli) -> None:
    gh.route("GET", f"/orgs/{ORG}/repos", primary_rate_limit(reset=4_102_444_800))
    result = run_cli("scan", "--github-org", ORG, "-o", "out")
    assert result.exit_code == 2
    assert "rate limit" in result.err


@pytest.mark.parametrize(
    "clone_url",
    [
        pytest.param("file:///etc", id="file-url"),
        pytest.param("/home/runner/work", id="local-path"),
        pytest.param("ext::sh -c touch% /tmp/pwned", id="ext-transport"),
        pytest.param("git@github.com:acme-ml/x.git", id="ssh"),
        pytest.param("https://evil.example.com/acme-ml/x.git", id="another-host"),
        pytest.param("https://user:pass@{server}/acme-ml/x.git", id="credentials"),
    ],
)
def test_a_clone_url_off_the_github_server_is_an_error_row_never_scanned(
    gh: FakeGitHub, org: Org, run_cli, clone_url: str
) -> None:
    server = os.environ["GITHUB_API_URL"].split("://", 1)[1]
    items = repos(1)
    items[0]["clone_url"] = clone_url.format(server=server)
    gh.paginate(f"/orgs/{ORG}/repos", items, query={"type": "all"})
    result = run_cli("scan", "--github-org", ORG, "-o", "out", "-q", cwd=org.root)
    rows = by_target(read_report(org.root / "out"))
    refused = rows[items[0]["full_name"]]
    assert refused["status"] == "error"
    assert "not cloned" in refused["error"]
    assert refused["components"] == [] and refused["head"] is None
    assert result.exit_code == 1
    assert "pass@" not in (org.root / "out" / "scan.json").read_text() + result.err


def test_clones_get_the_token_as_a_header_for_the_github_server_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("GITHUB_SERVER_URL", raising=False)
    monkeypatch.setenv("GITHUB_API_URL", "https://ghe.example.com/api/v3")
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    ((key, value),) = scan_org.clone_auth_config()
    assert key == "http.https://ghe.example.com/.extraheader"
    basic = base64.b64encode(f"x-access-token:{TOKEN}".encode()).decode()
    assert value == f"AUTHORIZATION: basic {basic}"
    monkeypatch.setenv("GITHUB_API_URL", "https://api.github.com")
    assert scan_org.clone_auth_config()[0][0] == "http.https://github.com/.extraheader"
    monkeypatch.setenv("GITHUB_SERVER_URL", "https://github.example.org/")
    assert scan_org.clone_auth_config()[0][0] == "http.https://github.example.org/.extraheader"
    monkeypatch.delenv("GITHUB_TOKEN")
    assert scan_org.clone_auth_config() == []

"""Targets: which are URLs, how they are named, and how a list file is read."""

from __future__ import annotations

from pathlib import Path

import pytest

from roadworthy.scan.output import FILES
from roadworthy.scan.targets import is_url, normalise, read_list, redact

from .conftest import Org, read_report


@pytest.mark.parametrize(
    ("target", "url"),
    (
        pytest.param("https://github.com/acme/models.git", True, id="https"),
        pytest.param("ssh://git@github.com/acme/models.git", True, id="ssh"),
        pytest.param("git@github.com:acme/models.git", True, id="scp-like"),
        pytest.param("file:///srv/git/models.git", True, id="file"),
        pytest.param("models", False, id="relative"),
        pytest.param("/srv/checkouts/models", False, id="absolute"),
        pytest.param("./a:b", False, id="colon-in-a-path"),
        pytest.param("-oProxyCommand=x@host:r", False, id="option-not-a-host"),
        pytest.param("ext::sh -c touch% /tmp/x", False, id="ext-transport"),
    ),
)
def test_urls_and_paths(target: str, url: bool) -> None:
    assert is_url(target) is url


@pytest.mark.parametrize(
    ("given", "named"),
    (
        pytest.param("./models/", "models", id="path"),
        pytest.param("https://github.com/acme/models/", "https://github.com/acme/models", id="url"),
        pytest.param("  repo  ", "repo", id="blanks"),
    ),
)
def test_normalise(given: str, named: str) -> None:
    assert normalise(given) == named


def test_passwords_in_urls_are_redacted() -> None:
    assert redact("https://bot:ghp_x1@github.com/a/b.git") == "https://bot:***@github.com/a/b.git"
    assert redact("https://github.com/a/b.git") == "https://github.com/a/b.git"
    assert redact("https://ghp_tokenasuser@github.com/a/b.git") == "https://***@github.com/a/b.git"
    assert redact("ssh://git@github.com/a/b.git") == "ssh://git@github.com/a/b.git"
    assert redact("git@github.com:a/b.git") == "git@github.com:a/b.git"


def test_a_token_in_a_url_never_reaches_the_reports(org: Org, run_cli, tmp_path: Path) -> None:
    target = "https://bot:s3cr3t-t0ken@127.0.0.1:1/acme/models.git"
    result = run_cli("scan", target, "--cache", str(tmp_path / "c"), "-o", "out", cwd=org.root)
    (row,) = read_report(org.root / "out")["repositories"]
    assert row["target"] == "https://bot:***@127.0.0.1:1/acme/models.git"
    assert row["status"] == "error"
    for name in FILES:
        assert "s3cr3t" not in (org.root / "out" / name).read_text()
    assert "s3cr3t" not in result.err


def test_list_files(tmp_path: Path) -> None:
    listing = tmp_path / "repos.txt"
    listing.write_text("# ours\nhttps://x/a.git  # inline\n\n\tb\nc#not-a-comment\n")
    assert read_list(str(listing)) == ["https://x/a.git", "b", "c#not-a-comment"]

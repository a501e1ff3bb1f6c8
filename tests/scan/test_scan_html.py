"""The dashboard: one self-contained, deterministic file that escapes what repositories say."""

from __future__ import annotations

import base64
import hashlib
import re
from html import unescape

from testing.gitrepo import GitRepo

from roadworthy.scan import html

from .conftest import POLICY, Org, component

EVIL_DIR = "x<img src=y onerror=alert(1)>"
EVIL_KEY = "<script>alert('key')</script>"


def test_strings_from_repositories_are_escaped(org: Org, run_cli) -> None:
    evil_policy = POLICY + f'"{EVIL_KEY}": 1\n'
    GitRepo.init(org.root / EVIL_DIR, {"roadworthy.yaml": evil_policy, **component("a")})
    run_cli("scan", EVIL_DIR, "clean", "-o", "out", "-q", cwd=org.root)
    page = (org.root / "out/scan.html").read_text()
    assert "<img" not in page
    assert "<script>alert" not in page
    assert html.e(EVIL_DIR) in page
    assert "&lt;script&gt;alert(&#x27;key&#x27;)&lt;/script&gt;" in page  # in the error row


def test_the_page_is_self_contained(org: Org, run_cli) -> None:
    run_cli("scan", "clean", "findings", "missing", "-o", "out", "-q", cwd=org.root)
    page = (org.root / "out/scan.html").read_text()
    assert not re.search(r"<(link|img|iframe|object|embed)\b", page)
    assert not re.search(r"\b(src|href)\s*=", page)
    assert "url(" not in page and "@import" not in page
    assert page.count("<script>") == 1 and page.count("<style>") == 1
    # the CSP admits exactly the inline style and script, by hash
    style = re.search(r"<style>(.*?)</style>", page, re.S)[1]
    script = re.search(r"<script>(.*?)</script>", page, re.S)[1]
    csp = unescape(re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)[1])
    for text in (style, script):
        digest = base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp
    assert csp.startswith("default-src 'none'; ")


def test_the_page_is_deterministic(org: Org, run_cli) -> None:
    run_cli("scan", "clean", "findings", "-o", "a", "-q", cwd=org.root)
    run_cli("scan", "findings", "clean", "-o", "b", "-q", "--jobs", "1", cwd=org.root)
    first = (org.root / "a/scan.html").read_bytes()
    assert first == (org.root / "b/scan.html").read_bytes()
    assert not re.search(rb"20[0-9]{2}-[0-9]{2}-[0-9]{2}", first)  # no dates, no timestamps


def test_totals_and_rows_are_in_the_markup(org: Org, run_cli) -> None:
    run_cli("scan", "clean", "findings", "plain", "missing", "-o", "out", "-q", cwd=org.root)
    page = (org.root / "out/scan.html").read_text()
    assert '<h2>Repositories</h2><div class="big">4</div>' in page
    rows = re.findall(r'<th scope="row" data-v="([^"]*)">', page)
    assert rows == ["clean", "findings", "missing", "plain"]
    assert 'class="c c-red"' in page and 'class="c c-yellow"' in page
    assert "missing: no such folder" in page
    assert '<div class="fix">' in page  # findings come with their fixes

"""git URLs are cloned shallowly into the cache once, then fetched and reset, not re-cloned."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from roadworthy.scan.cache import folder_name

from .conftest import Org, by_target, read_report


def test_second_run_fetches_instead_of_cloning(org: Org, run_cli, tmp_path: Path) -> None:
    url, cache = org.url("clean"), tmp_path / "cache"
    first = org.repos["clean"].head
    run_cli("scan", url, "--cache", str(cache), "-o", "out", "-q", cwd=org.root)
    clone = cache / folder_name(url)
    assert (clone / ".git/shallow").is_file()  # --depth 1
    assert not (clone / ".git/FETCH_HEAD").exists()  # a clone, no fetch yet
    # A mark only the same clone can carry into the next run: a fresh clone would lose it.
    (clone / ".git/test-mark").write_text("same clone\n")
    (clone / "stray.txt").write_text("left in the work tree\n")
    org.repos["clean"].write({"models/churn/MODEL_CARD.md": "# churn\n\nv2\n"})
    second = org.repos["clean"].commit("more")
    run_cli("scan", url, "--cache", str(cache), "-o", "out", "-q", cwd=org.root)
    assert (clone / ".git/test-mark").read_text() == "same clone\n"
    assert (clone / ".git/FETCH_HEAD").read_text().startswith(second)
    assert by_target(read_report(org.root / "out"))[url]["head"] == second != first
    assert (clone / "models/churn/MODEL_CARD.md").read_text() == "# churn\n\nv2\n"
    assert not (clone / "stray.txt").exists()  # reset and cleaned to the fetched head
    # no partial clones left; the hidden lock file the scans take turns on stays
    assert sorted(p.name for p in cache.iterdir()) == sorted([clone.name, f".{clone.name}.lock"])


def test_clone_has_one_branch_no_tags_and_runs_no_hooks(
    org: Org, run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = org.repos["clean"]
    repo.git("tag", "v1")
    repo.git("branch", "other")
    # The machine's git config asks for a post-checkout hook; a clone for a scan must not run it.
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    (hooks / "post-checkout").write_text(f"#!/bin/sh\ntouch '{tmp_path / 'hook-ran'}'\n")
    (hooks / "post-checkout").chmod(0o755)
    (tmp_path / "gitconfig").write_text(f"[core]\n\thooksPath = {hooks}\n")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "gitconfig"))
    url, cache = org.url("clean"), tmp_path / "cache"
    run_cli("scan", url, "--cache", str(cache), "-o", "out", "-q", cwd=org.root)
    clone = cache / folder_name(url)
    refs = repo.git("-C", str(clone), "for-each-ref", "--format=%(refname)").split()
    assert "refs/heads/main" in refs
    assert [r for r in refs if "tags/" in r or r.endswith("/other")] == []
    assert not (tmp_path / "hook-ran").exists()
    # the same hook does run for a plain clone: the test would notice if it could not
    subprocess.run(["git", "clone", "-q", url, str(tmp_path / "control")], check=True)
    assert (tmp_path / "hook-ran").exists()


def test_a_broken_cache_entry_is_cloned_again(org: Org, run_cli, tmp_path: Path) -> None:
    url, cache = org.url("clean"), tmp_path / "cache"
    (cache / folder_name(url)).mkdir(parents=True)
    (cache / folder_name(url) / "junk").write_text("not a repository\n")
    run_cli("scan", url, "--cache", str(cache), "-o", "out", "-q", cwd=org.root)
    row = by_target(read_report(org.root / "out"))[url]
    assert (row["status"], row["head"]) == ("ok", org.repos["clean"].head)


def test_default_cache_is_under_xdg_cache_home(org: Org, run_cli, tmp_path: Path) -> None:
    url = org.url("clean")
    run_cli("scan", url, "-o", "out", "-q", cwd=org.root)
    assert (tmp_path / "xdg-cache/roadworthy/repos" / folder_name(url) / ".git").is_dir()


def test_folder_names_are_unique_per_url() -> None:
    a = folder_name("https://github.com/acme/models.git")
    b = folder_name("https://github.com/other/models.git")
    assert a.startswith("models-") and b.startswith("models-") and a != b
    assert folder_name("git@github.com:acme/models.git").startswith("models-")


def test_git_settings_are_appended_to_the_callers_own() -> None:
    from roadworthy.scan.cache import git_environment

    env = git_environment(
        {"GIT_CONFIG_COUNT": "1", "GIT_CONFIG_KEY_0": "user.name", "GIT_CONFIG_VALUE_0": "ci"},
        [("http.https://github.com/.extraheader", "AUTHORIZATION: basic eA==")],
    )
    keys = [env[f"GIT_CONFIG_KEY_{i}"] for i in range(int(env["GIT_CONFIG_COUNT"]))]
    assert keys[0] == "user.name"
    assert {"core.hooksPath", "protocol.ext.allow", "http.https://github.com/.extraheader"} <= set(
        keys
    )
    assert env["GIT_TERMINAL_PROMPT"] == "0"
    assert env["GIT_SSH_COMMAND"] == "ssh -o BatchMode=yes"
    assert git_environment({"GIT_SSH_COMMAND": "ssh -i k"})["GIT_SSH_COMMAND"] == "ssh -i k"

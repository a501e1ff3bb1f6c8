"""A report written inside the repository refuses a committed symlink; one outside is written
as named, following links. Which of the two a path is gets decided by comparing it, unresolved,
with the repository root git reports (resolved). When the workspace is reached through a
symlink — a self-hosted runner whose ``_work`` folder is a link to a bigger disk, macOS's
``/tmp`` → ``/private/tmp`` — every path in the repository looks outside it, and the committed
``roadworthy.sarif -> <runner file>`` is followed: the pull request chooses which file of the
runner is overwritten."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from testing.gitrepo import GitRepo

from tests.action.conftest import open_pr, pull_request_event
from tests.change.conftest import MALLORY

RUNNER_FILE = "PATH=/usr/bin\n"


def _aliased(repo: GitRepo, tmp_path: Path) -> tuple[Path, Path]:
    runner_file = tmp_path / "runner-env"
    runner_file.write_text(RUNNER_FILE)
    alias = tmp_path / "work"
    alias.symlink_to(repo.path)  # the same checkout, reached through a link
    return runner_file, alias


def test_check_output_through_an_aliased_repository_path_refuses_a_committed_link(
    credit_repo: GitRepo, run_cli, tmp_path
):
    runner_file, alias = _aliased(credit_repo, tmp_path)
    (credit_repo.path / "roadworthy.sarif").symlink_to(runner_file)
    credit_repo.commit("a report that is a link", author=MALLORY)
    output = str(alias / "roadworthy.sarif")
    result = run_cli("check", "--format", "sarif", "--output", output, cwd=credit_repo.path)
    assert runner_file.read_text() == RUNNER_FILE, "the runner's file was overwritten"
    assert result.exit_code == 2


def test_action_sarif_in_an_aliased_workspace_refuses_a_committed_link(
    credit_main: GitRepo, run_action, tmp_path
):
    runner_file, alias = _aliased(credit_main, tmp_path)
    (credit_main.path / "roadworthy.sarif").symlink_to(runner_file)
    credit_main.commit("a report that is a link", author=MALLORY)
    pr = open_pr(credit_main, {"notes.md": "hi\n"})
    # The harness reads roadworthy.sarif back: still the link to the runner file, not JSON.
    with pytest.raises(json.JSONDecodeError):
        run_action(alias, pull_request_event(pr))
    assert runner_file.read_text() == RUNNER_FILE, "the runner's file was overwritten"

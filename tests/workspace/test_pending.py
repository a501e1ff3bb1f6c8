"""git.Pending.running: what diff mode asks before it reads ahead while git diffs."""

from __future__ import annotations

import time
from pathlib import Path

from testing.gitrepo import GitRepo

from roadworthy.workspace import git


def test_a_command_runs_until_it_ends_and_its_answer_is_still_there(tmp_path: Path) -> None:
    repo = GitRepo.init(tmp_path / "r", {"a.txt": "a\n"})
    waiting = git.Pending(["cat-file", "--batch"], repo.path)  # reads its input until EOF
    try:
        assert waiting.running()
    finally:
        waiting.close()
    assert not waiting.running()  # stopped
    head = git.Pending(["rev-parse", "HEAD"], repo.path)
    deadline = time.monotonic() + 30
    while head.running():  # ended on its own, its answer not read yet
        assert time.monotonic() < deadline, "git rev-parse did not end"
        time.sleep(0.01)
    assert head.result().strip() == repo.git("rev-parse", "HEAD").strip().encode()
    assert not head.running()  # taken

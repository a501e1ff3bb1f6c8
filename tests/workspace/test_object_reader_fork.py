"""A forked worker gets a `git cat-file --batch` of its own: the parent's keeps answering the
parent, in order, whatever the child asks."""

from __future__ import annotations

import os
import sys

import pytest

from roadworthy.workspace import git

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork()")


def test_parent_and_forked_child_each_read_their_own_answers(make_repo):
    files = {f"f{i}.txt": f"content {i}\n" for i in range(50)}
    repo = make_repo(files)
    objects = git.ObjectReader(repo.path)
    try:
        assert objects.read("HEAD:f0.txt")[2] == b"content 0\n"  # the parent's process runs
        parent_git = objects._proc.pid
        pid = os.fork()
        if pid == 0:  # the child: exit status 0 only if every answer is its own
            code = 1
            try:
                answers = [objects.read(f"HEAD:f{i}.txt") for i in range(50)]
                mine = objects._proc.pid != parent_git
                good = all(a[2] == f"content {i}\n".encode() for i, a in enumerate(answers))
                objects.close()
                code = 0 if mine and good else 1
            finally:
                sys.stdout.flush()
                os._exit(code)
        # Interleave with the child: questions and answers must not cross between processes.
        answers = [objects.read(f"HEAD:f{i}.txt") for i in reversed(range(50))]
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0
        assert [a[2] for a in answers] == [f"content {i}\n".encode() for i in reversed(range(50))]
        assert objects._proc.pid == parent_git
        assert objects.read("HEAD:f7.txt")[2] == b"content 7\n"
    finally:
        objects.close()

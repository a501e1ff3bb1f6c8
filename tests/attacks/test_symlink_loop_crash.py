"""A committed symlink loop inside a component (``a.onnx -> b.onnx -> a.onnx``, or a link to
itself) is followed without end when the approval check asks whether the file is a Git LFS
pointer: RecursionError, exit 3, in every diff mode. (A full check passes it.)"""

from __future__ import annotations

import os

import pytest
from testing.gitrepo import GitRepo

from tests.change.conftest import MALLORY

LOOPS = {
    "two-links": [("b.onnx", "a.onnx"), ("a.onnx", "b.onnx")],
    "self": [("c.onnx", "c.onnx")],
}


@pytest.mark.parametrize("loop", LOOPS.values(), ids=LOOPS.keys())
@pytest.mark.parametrize("mode", ["--diff", "--staged"])
def test_a_symlink_loop_is_a_finding_not_a_crash(credit_repo: GitRepo, run_cli, loop, mode):
    repo = credit_repo
    for target, link in loop:
        os.symlink(target, repo.path / "models/credit" / link)
    repo.add_all()
    if mode == "--diff":
        repo.commit("links", author=MALLORY)
    args = ["--diff", "base"] if mode == "--diff" else [mode]
    result = run_cli("check", *args, cwd=repo.path)
    assert result.exit_code == 1, result.err

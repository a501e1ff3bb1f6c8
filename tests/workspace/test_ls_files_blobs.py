"""`git.ls_files_blobs`: the index's entries as runs joined by NULs, each entry whole, however
git's output falls across reads."""

from __future__ import annotations

import os
import subprocess

import pytest

from roadworthy.workspace import git

NAMES = [
    "a.py",
    "dir/" + "/".join(["long" + "x" * 60] * 5) + ".onnx",
    "dir/b c.txt",
    "m/MLmodel",
    "z/\u00e9.pt",
]


@pytest.mark.parametrize("read", [1, 2, 3, 7, 64, 1 << 20])
def test_runs_hold_whole_entries_for_any_read_size(make_repo, monkeypatch, read):
    repo = make_repo(dict.fromkeys(NAMES, "x\n"))
    (repo.path / "new\nline.onnx").write_bytes(b"w")
    (repo.path / os.fsdecode(b"bad-\xff.pt")).write_bytes(b"w")  # no UTF-8 name
    repo.git("add", "-A")
    expected = subprocess.run(
        ["git", "-c", "core.quotepath=false", "ls-files", "-z", "--cached"],
        cwd=repo.path,
        capture_output=True,
        check=True,
    ).stdout.split(b"\0")[:-1]
    monkeypatch.setattr(git, "_BLOB", read)
    runs = list(git.ls_files_blobs(repo.path))
    assert all(runs)  # none empty
    assert [entry for run in runs for entry in run.split(b"\0")] == expected
    assert len(expected) == len(NAMES) + 2


def test_an_empty_index_gives_no_run(make_repo):
    repo = make_repo({})
    assert list(git.ls_files_blobs(repo.path)) == []


def test_a_git_error_is_raised(tmp_path):
    with pytest.raises(git.GitCommandError):
        list(git.ls_files_blobs(tmp_path))

"""`git.rewrites_objects`: replace refs are looked for in the ref files when they can say so
for certain, and asked of git otherwise; the answer is git's either way."""

from __future__ import annotations

import os
import shutil
import threading

import pytest

from roadworthy.workspace import git


@pytest.fixture()
def repo(make_repo):
    return make_repo({"a.txt": "a\n"})


def replace_a_blob(repo, tmp_path) -> None:
    (tmp_path / "x").write_text("x\n")
    (tmp_path / "y").write_text("y\n")
    blob = repo.git("hash-object", "-w", str(tmp_path / "x")).strip()
    other = repo.git("hash-object", "-w", str(tmp_path / "y")).strip()
    repo.git("replace", blob, other)


def rewritten(repo) -> bool:
    return git.rewrites_objects(repo.path, repo.path / ".git")


def test_no_replace_ref_needs_no_git_call(repo, git_calls):
    repo.git("tag", "v1")
    repo.git("pack-refs", "--all")  # a packed-refs file naming no replace ref
    assert (repo.path / ".git" / "packed-refs").is_file()
    assert rewritten(repo) is False
    assert git_calls == []


def test_a_loose_replace_ref(repo, tmp_path, git_calls):
    replace_a_blob(repo, tmp_path)
    assert rewritten(repo) is True
    assert [c[0] for c in git_calls] == ["for-each-ref"]


def test_a_packed_replace_ref(repo, tmp_path):
    replace_a_blob(repo, tmp_path)
    repo.git("pack-refs", "--all", "--prune")
    shutil.rmtree(repo.path / ".git" / "refs" / "replace", ignore_errors=True)
    assert b" refs/replace/" in (repo.path / ".git" / "packed-refs").read_bytes()
    assert rewritten(repo) is True


def test_an_empty_replace_folder_is_asked_of_git(repo, git_calls):
    (repo.path / ".git" / "refs" / "replace").mkdir()
    assert rewritten(repo) is False  # git's answer: no ref in it
    assert [c[0] for c in git_calls] == ["for-each-ref"]


def test_a_fifo_for_packed_refs_is_not_read(repo):
    """Opened without blocking and left unread: a read would wait for a writer forever. (git,
    asked then, reads it and waits: a scan's timeout ends that.)"""
    os.mkfifo(repo.path / ".git" / "packed-refs")
    answer: list[bool] = []
    thread = threading.Thread(
        target=lambda: answer.append(git._none_replaced(repo.path / ".git")), daemon=True
    )
    thread.start()
    thread.join(30)
    assert answer == [False]


@pytest.mark.parametrize("kind", ["large", "link", "reftable", "ref-base"])
def test_what_the_files_cannot_settle_is_asked_of_git(repo, tmp_path, git_calls, monkeypatch, kind):
    packed = repo.path / ".git" / "packed-refs"
    if kind == "large":
        head = repo.head
        packed.write_text("".join(f"{head} refs/tags/t{i}\n" for i in range(30_000)))
    elif kind == "link":
        (tmp_path / "elsewhere").write_text("")
        packed.symlink_to(tmp_path / "elsewhere")
    elif kind == "reftable":
        (repo.path / ".git" / "reftable").mkdir()
    else:
        monkeypatch.setenv("GIT_REPLACE_REF_BASE", "refs/other/")
    assert rewritten(repo) is False  # git's answer: none of these holds a replace ref
    assert [c[0] for c in git_calls] == ["for-each-ref"]


@pytest.mark.parametrize("sep", [b"\t", b"\r"])
def test_a_packed_replace_ref_after_another_space_is_honored(repo, tmp_path, sep):
    """git's packed-refs reader takes any space (tab, carriage return) between the id and the
    name: a replace ref written so is honored by git, and must not read as "none"."""
    replace_a_blob(repo, tmp_path)
    repo.git("pack-refs", "--all", "--prune")
    shutil.rmtree(repo.path / ".git" / "refs" / "replace", ignore_errors=True)
    packed = repo.path / ".git" / "packed-refs"
    packed.write_bytes(packed.read_bytes().replace(b" refs/replace/", sep + b"refs/replace/"))
    assert repo.git("for-each-ref", "refs/replace/").strip()  # git honors it
    assert rewritten(repo) is True

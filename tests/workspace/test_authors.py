"""changes.Authors: a range of one ordinary commit is credited from the commit object and the
change set, exactly as the log of the range credits it."""

from __future__ import annotations

from pathlib import Path

import pytest
from testing.gitrepo import GitRepo

from roadworthy.workspace import changes, git

EVE = ("Eve", "Eve@Example.com")
NOBODY = ("Nobody", "")


def _credit(repo: GitRepo, spec: str, *, read_commit: bool) -> dict[str, frozenset[str]]:
    objects = git.ObjectReader(repo.path)
    try:
        change_set = changes.resolve_range(repo.path, spec, objects)
        authors = changes.Authors(repo.path, change_set, objects if read_commit else None)
        try:
            probes = sorted(
                {p for c in change_set.changes for p in (c.before, c.after) if p}
                | {"", "a", "a/b", "elsewhere"}
            )
            return {p: authors([p]) for p in probes}
        finally:
            authors.close()
    finally:
        objects.close()


@pytest.mark.parametrize("author", [EVE, NOBODY], ids=["eve", "no-email"])
def test_one_commit_is_credited_as_the_log_credits_it(tmp_path: Path, author) -> None:
    repo = GitRepo.init(tmp_path / "r", {"a/b/model.onnx": "w\n", "a/old.txt": "x" * 200})
    repo.git("branch", "base")
    repo.git("mv", "a/old.txt", "a/b/new.txt")
    repo.write({"a/b/model.onnx": "w2\n", "c.txt": "c\n"})
    repo.commit("one", author=author)
    fast = _credit(repo, "base", read_commit=True)
    assert fast == _credit(repo, "base", read_commit=False)
    expected = frozenset({author[1].lower()} if author[1] else set())
    assert fast["a/old.txt"] == fast["a/b/new.txt"] == fast[""] == expected


def test_a_merge_or_two_commits_are_left_to_the_log(tmp_path: Path) -> None:
    repo = GitRepo.init(tmp_path / "r", {"a/b/model.onnx": "w\n"})
    repo.git("branch", "base")
    repo.write({"a/b/model.onnx": "w2\n"})
    repo.commit("first", author=EVE)
    repo.write({"a/c.txt": "c\n"})
    repo.commit("second")
    assert _credit(repo, "base", read_commit=True) == _credit(repo, "base", read_commit=False)
    repo.git("checkout", "-q", "-b", "side", "base")
    repo.write({"a/d.txt": "d\n"})
    repo.commit("side", author=EVE)
    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "--no-ff", "-m", "merge", "side")
    credit = _credit(repo, "base", read_commit=True)
    assert credit == _credit(repo, "base", read_commit=False)
    assert credit["a/c.txt"] == frozenset({"ada@example.com"})


@pytest.mark.parametrize("read_commit", [True, False], ids=["one-commit", "log"])
def test_the_repositorys_log_encoding_does_not_change_the_author(
    tmp_path: Path, read_commit: bool
) -> None:
    repo = GitRepo.init(tmp_path / "r", {"a/model.onnx": "w\n"})
    repo.git("branch", "base")
    repo.git("config", "i18n.logOutputEncoding", "ISO-8859-1")
    repo.write({"a/model.onnx": "w2\n"})
    repo.commit("one", author=("Alic\u00e9", "alic\u00e9@example.com"))
    credit = _credit(repo, "base", read_commit=read_commit)
    assert credit["a/model.onnx"] == frozenset({"alic\u00e9@example.com"})

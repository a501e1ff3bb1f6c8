"""`git.resolve_range`: one `rev-parse A...B` where it settles a change's sides, the same
answers (and the same errors) as `resolve_many` and `merge_base` everywhere."""

from __future__ import annotations

import pytest

from roadworthy.workspace import git


def two_calls(root, left: str, right: str) -> tuple[str, str, str]:
    start, head = git.resolve_many(root, [left, right])
    return start, head, git.merge_base(root, start, head)


@pytest.fixture()
def crossed(make_repo):
    """main and side cut from one commit, each merged into the other: two merge bases."""
    repo = make_repo({"a.txt": "0\n"})
    repo.git("branch", "side")
    repo.write({"a.txt": "main\n"})
    main_1 = repo.commit("main 1")
    repo.git("checkout", "-q", "side")
    repo.write({"b.txt": "side\n"})
    side_1 = repo.commit("side 1")
    repo.git("merge", "-q", "--no-ff", "-m", "main into side", main_1)
    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "--no-ff", "-m", "side into main", side_1)
    return repo


def test_one_merge_base_in_one_call(make_repo):
    repo = make_repo({"a.txt": "0\n"})
    first = repo.head
    repo.git("checkout", "-q", "-b", "topic")
    repo.write({"a.txt": "1\n"})
    topic = repo.commit("topic")
    repo.git("checkout", "-q", "main")
    repo.write({"b.txt": "2\n"})
    main = repo.commit("main")
    assert git.resolve_range(repo.path, "main", "topic") == (main, topic, first)
    assert git.resolve_range(repo.path, "main", "topic") == two_calls(repo.path, "main", "topic")
    assert git.resolve_range(repo.path, "topic", "topic") == (topic, topic, topic)
    tag_peeled = git.resolve_range(repo.path, "HEAD~1", "HEAD")
    assert tag_peeled == (first, main, first)


def test_two_merge_bases_are_left_to_merge_base(crossed):
    bases = crossed.git("merge-base", "--all", "main", "side").split()
    assert len(bases) == 2
    found = git.resolve_range(crossed.path, "main", "side")
    assert found == two_calls(crossed.path, "main", "side")
    assert found[2] == crossed.git("merge-base", "main", "side").strip()


def test_no_common_ancestor_is_merge_bases_error(make_repo):
    repo = make_repo({"a.txt": "0\n"})
    repo.git("checkout", "-q", "--orphan", "other")
    repo.write({"b.txt": "1\n"})
    repo.commit("unrelated")
    with pytest.raises(git.MissingRevision, match="have no common ancestor"):
        git.resolve_range(repo.path, "main", "other")


@pytest.mark.parametrize(
    "left, right",
    [
        ("nosuch", "HEAD"),
        ("HEAD", "nosuch"),
        ("HEAD...HEAD", "HEAD"),  # a second "..." on one side
        ("-n", "HEAD"),  # an option's shape is a revision after --end-of-options
        ("HEAD:a.txt", "HEAD"),  # a blob: not a commit
    ],
)
def test_what_does_not_resolve_gets_resolves_error(make_repo, left, right):
    repo = make_repo({"a.txt": "0\n"})
    with pytest.raises(git.MissingRevision) as fast:
        git.resolve_range(repo.path, left, right)
    with pytest.raises(git.MissingRevision) as slow:
        two_calls(repo.path, left, right)
    assert str(fast.value) == str(slow.value)


def test_a_range_in_one_git_call(make_repo, git_calls):
    repo = make_repo({"a.txt": "0\n"})
    repo.write({"a.txt": "1\n"})
    repo.commit("second")
    git_calls.clear()
    git.resolve_range(repo.path, "HEAD~1", "HEAD")
    assert [c[0] for c in git_calls] == ["rev-parse"]

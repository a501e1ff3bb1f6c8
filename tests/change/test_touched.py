"""ChangeView.touched: the changes inside a folder, by binary search over the sorted paths, are
exactly those a walk up from every changed path finds, in the change set's order."""

from __future__ import annotations

import random

import pytest

from roadworthy.change.view import ChangeView
from roadworthy.workspace.changes import Change, ChangeSet
from roadworthy.workspace.revtree import GITLINK

FOLDERS = ["", "a", "a/b", "a/bc", "a/b/c", "a-b", "a.b", "z", "\udcff", "a/b c"]


def _walked(changes: list[Change], folder: str) -> list[Change]:
    """The definition: every folder above either side's path, and a submodule's own path."""
    inside = []
    for change in changes:
        folders = {change.path} if change.is_gitlink else set()
        for path in (change.before, change.after):
            while path:
                path = path.rpartition("/")[0]
                folders.add(path)
                if not path:
                    break
        if folder in folders:
            inside.append(change)
    return inside


def _random_changes(rng: random.Random) -> list[Change]:
    changes = []
    for _ in range(rng.randrange(0, 40)):
        path = "/".join(filter(None, [rng.choice(FOLDERS), f"f{rng.randrange(5)}"]))
        old = "/".join(filter(None, [rng.choice(FOLDERS), f"g{rng.randrange(5)}"]))
        status = rng.choice("AMDRT")
        mode = GITLINK if rng.random() < 0.1 else "100644"
        changes.append(Change(status, path, old if status == "R" else None, None, None, mode, mode))
    return changes


def _view(changes: list[Change]) -> ChangeView:
    # Only the change set is read by touched(): the rest of a view is not needed to ask it.
    view = object.__new__(ChangeView)
    view.changes = ChangeSet(None, None, None, None, tuple(changes), "test")  # type: ignore[arg-type]
    view._touched = {}
    return view


@pytest.mark.parametrize("seed", range(60))
def test_touched_is_the_walk_up_from_every_path(seed: int) -> None:
    rng = random.Random(seed)
    changes = _random_changes(rng)
    view = _view(changes)
    for folder in [*FOLDERS, "a/b/c/f1", "nowhere"]:
        assert view.touched(folder) == _walked(changes, folder), folder


def test_a_sibling_with_a_longer_name_is_not_inside() -> None:
    inside = Change("M", "a/b/f", None, None, None)
    beside = Change("M", "a/bc/f", None, None, None)
    dashed = Change("M", "a/b-c/f", None, None, None)
    view = _view([beside, inside, dashed])
    assert view.touched("a/b") == [inside]
    assert view.touched("a") == [beside, inside, dashed]


@pytest.mark.parametrize("seed", range(40))
def test_each_folders_authors_are_those_of_every_path_below_it(seed: int) -> None:
    # Authors._index_folders stops walking up where a folder has the authors already; the
    # definition walks every path to the root.
    from roadworthy.workspace.changes import Authors

    rng = random.Random(seed)
    emails = ["a@x", "b@x", "c@x"]
    by_path = {
        "/".join(filter(None, [rng.choice(FOLDERS), f"f{i}"])): set(
            rng.sample(emails, rng.randint(1, 2))
        )
        for i in range(rng.randrange(1, 30))
    }
    authors = object.__new__(Authors)
    authors._index_folders(by_path)
    expected: dict[str, set[str]] = {}
    for path, who in by_path.items():
        folder = path
        while folder:
            folder = folder.rpartition("/")[0]
            expected.setdefault(folder, set()).update(who)
    assert authors._by_folder == expected

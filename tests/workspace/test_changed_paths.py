"""changes.changed_paths / changed_folders / ChangeSet.changed: made once per change set, and
never an earlier change set's answer."""

from __future__ import annotations

from roadworthy.workspace.changes import Change, _index, changed_folders, changed_paths


def _set(*changes: tuple[str, str, str | None]) -> tuple[Change, ...]:
    return tuple(Change(status, path, old, "a" * 40, "b" * 40) for status, path, old in changes)


def test_both_sides_of_every_change_and_every_folder_above_them() -> None:
    changes = _set(("R", "m/new/model.onnx", "old/model.onnx"), ("D", "x/y/z.txt", None))
    changes += _set(("A", "top.txt", None))
    assert changed_paths(changes) == {"m/new/model.onnx", "old/model.onnx", "x/y/z.txt", "top.txt"}
    assert changed_folders(changes) == {"", "m", "m/new", "old", "x", "x/y"}
    assert _index(changes)["old/model.onnx"] is changes[0]


def test_a_new_change_set_never_gets_the_last_ones_answers() -> None:
    first = _set(("M", "a/model.onnx", None))
    assert changed_paths(first) == {"a/model.onnx"} and changed_folders(first) == {"", "a"}
    assert changed_paths(first) is changed_paths(first)  # made once
    second = _set(("M", "b/model.onnx", None))
    assert changed_paths(second) == {"b/model.onnx"} and changed_folders(second) == {"", "b"}
    assert "b/model.onnx" in _index(second) and "a/model.onnx" not in _index(second)
    del first, second  # a new tuple may take a freed one's id: it is still told apart
    for name in ("c", "d", "e"):
        again = _set(("M", f"{name}/model.onnx", None))
        assert changed_paths(again) == {f"{name}/model.onnx"}
        assert changed_folders(again) == {"", name}


def test_a_list_is_never_kept_under_its_identity() -> None:
    changes = list(_set(("M", "a/model.onnx", None)))
    assert changed_paths(changes) == {"a/model.onnx"}
    changes.append(Change("A", "b/model.onnx", None, None, "c" * 40))
    assert changed_paths(changes) == {"a/model.onnx", "b/model.onnx"}

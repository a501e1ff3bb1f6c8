"""A parsed-documents file signed with the key restored beside it (a CI cache restored into
``$XDG_CACHE_HOME``) is believed, and its entries' shapes were checked only on the surface:
an entry's data could be anything marshal writes (a list inside itself, tuples, bytes, keys
that are no strings) and its positions anything in a dict. Each ended every diff-mode check in
an internal error (RecursionError, unpacking, the JSON encoder). Such an entry is now ignored
like a tampered one, and the text parsed afresh."""

from __future__ import annotations

import marshal

import pytest

from roadworthy.formats import yamlio
from roadworthy.workspace.parsecache import ParseCache

TEXT = "a: 1\nb: [x, {c: 2}]\n"


def _itself() -> list[object]:
    inside: list[object] = []
    inside.append(inside)
    return inside


_SHARED = [1, {"k": 2}]


def _deep() -> object:
    value: object = 1
    for _ in range(yamlio.MAX_DEPTH + 5):
        value = [value]
    return value


@pytest.mark.parametrize(
    ("data", "positions"),
    [
        pytest.param({"a": _itself()}, {}, id="a-list-inside-itself"),
        # The text has no anchor: a parse of it shares nothing, so an entry that does is not
        # one (kept documents of such texts are checked as trees, `parsecache._is_tree`).
        pytest.param({"a": _SHARED, "b": _SHARED}, {}, id="a-list-shared-without-an-anchor"),
        pytest.param({"a": {"x": _itself()}}, {}, id="a-list-inside-itself-deeper"),
        pytest.param({"a": _deep()}, {}, id="nested-past-the-parsers-depth"),
        pytest.param({"a": (1,)}, {}, id="a-tuple"),
        pytest.param({"a": b"x"}, {}, id="bytes"),
        pytest.param({"a": {1, 2}}, {}, id="a-set"),
        pytest.param({("a",): 1}, {}, id="a-key-that-is-no-string"),
        pytest.param({"a": 1}, {("a",): "x"}, id="a-position-that-is-no-pair"),
        pytest.param({"a": 1}, {("a",): (1, 2, 3)}, id="a-position-of-three"),
        pytest.param({"a": 1}, {"a": (1, 2)}, id="a-path-that-is-no-tuple"),
        pytest.param({"a": 1}, {(1.5,): (1, 2)}, id="a-path-step-that-is-a-float"),
    ],
)
@pytest.mark.parametrize("positions_asked", [False, True])
def test_a_signed_entry_that_is_no_parse_is_parsed_afresh(
    tmp_path, monkeypatch, data, positions, positions_asked
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "restored"))
    planted = ParseCache.open()
    assert planted is not None
    key = yamlio._key(TEXT, positions_asked, 0, yamlio.MAX_NODES)
    planted.add(key, marshal.dumps((0, data, positions)))  # each entry: its own bytes
    planted.close()
    store = ParseCache.open()
    assert store is not None
    yamlio.install(store)
    try:
        document = yamlio.load(TEXT, positions=positions_asked)
    finally:
        yamlio.install(None)
        store.close()
    assert document.data == {"a": 1, "b": ["x", {"c": 2}]}
    assert all(type(where) is tuple for where in document.positions.values())

"""git.NameFilter: the entries of a raw listing whose file name is one of the names or ends
with one of the suffixes, exactly as that sentence reads."""

from __future__ import annotations

import random

from roadworthy.workspace.git import NameFilter


def _by_definition(parts: list[bytes], names: frozenset[bytes], ends: tuple[bytes, ...]):
    return [p for p in parts if p.rpartition(b"/")[2] in names or p.endswith(ends)]


def test_the_filter_keeps_what_its_definition_keeps() -> None:
    rng = random.Random(5)
    alphabet = [b"a", b"b", b".", b"/", b"x", b"\xff", b"MLmodel", b"model.yaml", b".pt", b".b"]
    for _ in range(2_000):
        names = frozenset(rng.sample([b"MLmodel", b"model.yaml", b"a", b"x.b", b"\xff"], 2))
        ends = tuple(rng.sample([b".pt", b".b", b"b", b".\xff", b"l", b""], rng.randrange(0, 4)))
        parts = [
            b"".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 6))) for _ in range(30)
        ]
        assert NameFilter(names, ends).apply(parts) == _by_definition(parts, names, ends)


def test_a_name_is_a_whole_file_name_at_any_depth() -> None:
    keep = NameFilter(frozenset({b"MLmodel"}), (b".onnx",))
    parts = [b"MLmodel", b"m/MLmodel", b"m/xMLmodel", b"MLmodel/x", b"a.onnx", b"m/b.onnx", b"onnx"]
    assert keep.apply(parts) == [b"MLmodel", b"m/MLmodel", b"a.onnx", b"m/b.onnx"]


def test_scanning_the_joined_entries_keeps_what_apply_keeps() -> None:
    """`scan` finds the kept entries from their ends in the joined bytes: the same entries,
    in the same order, as `apply` on them split, for names and suffixes that overlap, hold
    regular-expression characters, bytes past ASCII, or end in "/"-like bytes."""
    rng = random.Random(11)
    pieces = [b"a", b"b", b".", b"/", b"x", b"\xff", b"MLmodel", b"model.yaml", b".pt", b".b"]
    pieces += [b"(", b"[", b"*", b"?", b"\\", b"+", b"$", b"^", b"|", b"\t", b"\n", b" "]
    name_pool = [
        b"MLmodel",
        b"model.yaml",
        b"a",
        b"x.b",
        b"\xff",
        b"a+b",
        b"[x]",
        b"l",
        b"a/b",
        b"/",
    ]
    end_pool = [b".pt", b".b", b"b", b".\xff", b"l", b"$", b"a.(b", b"\\", b"x|y"]
    for _ in range(3_000):
        names = frozenset(rng.sample(name_pool, rng.randrange(0, 4)))
        ends = tuple(rng.sample(end_pool, rng.randrange(0, 4)))
        parts = [
            b"".join(rng.choice(pieces) for _ in range(rng.randrange(1, 7)))
            for _ in range(rng.randrange(1, 40))
        ]
        keep = NameFilter(names, ends)
        assert keep.scan(b"\0".join(parts)) == keep.apply(parts), (names, ends, parts)


def test_scanning_with_an_empty_suffix_keeps_everything() -> None:
    keep = NameFilter(frozenset({b"MLmodel"}), (b".onnx", b""))
    assert keep.scan(b"a.py\0m/MLmodel\0b") == [b"a.py", b"m/MLmodel", b"b"]


def test_scanning_nothing_to_keep() -> None:
    keep = NameFilter(frozenset(), ())
    assert keep.scan(b"a.py\0m/MLmodel") == [] == keep.apply([b"a.py", b"m/MLmodel"])

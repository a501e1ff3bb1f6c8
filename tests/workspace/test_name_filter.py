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

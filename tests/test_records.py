"""roadworthy.records: its `NamedTuple` makes what typing's makes, without compiling annotations."""

from __future__ import annotations

import pickle
import typing

import pytest

from roadworthy.records import NamedTuple


class Point(NamedTuple):
    """A point on a card."""

    x: int
    y: int = 0
    label: str = "origin"

    @property
    def norm(self) -> int:
        return abs(self.x) + abs(self.y)

    def moved(self, by: int) -> Point:
        return self._replace(x=self.x + by)


class TypingPoint(typing.NamedTuple):
    """A point on a card."""

    x: int
    y: int = 0
    label: str = "origin"


def test_a_record_is_the_named_tuple_typing_would_make():
    p = Point(3, label="here")
    assert p == (3, 0, "here") and isinstance(p, tuple)
    assert repr(p) == "Point(x=3, y=0, label='here')"
    assert Point._fields == TypingPoint._fields
    assert Point._field_defaults == TypingPoint._field_defaults
    assert Point.__doc__ == TypingPoint.__doc__
    assert Point.__module__ == __name__ and Point.__qualname__ == "Point"
    assert p.norm == 3 and p.moved(2) == Point(5, 0, "here")
    assert p._asdict() == {"x": 3, "y": 0, "label": "here"}
    assert not hasattr(p, "__dict__")  # slots: no per-record dictionary


def test_annotations_stay_the_strings_they_are():
    # typing compiles each into a ForwardRef; nothing reads them, so they are kept as written.
    assert Point.__annotations__ == {"x": "int", "y": "int", "label": "str"}


def test_a_record_pickles_for_the_worker_processes():
    p = Point(1, 2)
    assert pickle.loads(pickle.dumps(p)) == p
    assert type(pickle.loads(pickle.dumps(p))) is Point


def test_a_field_without_default_after_one_with_is_refused():
    with pytest.raises(TypeError, match="field b without a default"):

        class Bad(NamedTuple):
            a: int = 0
            b: int


@pytest.mark.parametrize("name", ["_fields", "_make", "__init__", "__new__", "_asdict"])
def test_a_body_cannot_redefine_what_the_tuple_owns(name):
    with pytest.raises(AttributeError, match=name):
        exec(f"class Bad(NamedTuple):\n    a: int\n    {name} = None\n", {"NamedTuple": NamedTuple})


def test_a_record_has_no_other_base():
    with pytest.raises(TypeError, match="only base"):
        exec("class Bad(NamedTuple, dict):\n    a: int\n", {"NamedTuple": NamedTuple})


def test_a_record_without_annotated_fields_is_refused():
    # What a class body holds on Python 3.14 without `from __future__ import annotations`
    # (its annotations evaluated lazily, not in the namespace): never a record without fields.
    with pytest.raises(TypeError, match="from __future__ import annotations"):
        exec(
            "class Bad(NamedTuple):\n    def f(self):\n        return 1\n",
            {"NamedTuple": NamedTuple},
        )


def test_every_module_that_makes_records_has_the_future_import():
    from pathlib import Path

    src = Path(__file__).resolve().parents[1] / "src" / "roadworthy"
    missing = [
        p.relative_to(src).as_posix()
        for p in sorted(src.rglob("*.py"))
        if "(NamedTuple)" in (text := p.read_text(encoding="utf-8"))
        and "from __future__ import annotations" not in text
    ]
    assert missing == []


class Wide(NamedTuple):
    a: int
    b: str = "x"
    c: tuple = ()


class TypingWide(typing.NamedTuple):
    a: int
    b: str = "x"
    c: tuple = ()


def _behaviour(cls) -> list:
    """What a record does, for each of the things roadworthy (or Python) asks of one."""
    import copy

    r = cls(1, c=(2,))
    out = [
        tuple(r),
        repr(r).split("(", 1)[1],
        r._replace(b="y"),
        r._asdict(),
        cls._make([4, "z", ()]),
        cls._fields,
        cls._field_defaults,
        cls.__match_args__,
        r.__getnewargs__(),
        copy.copy(r) == r,
        copy.deepcopy(r) == r,
        hash(r) == hash(tuple(r)),
        r == (1, "x", (2,)),
        [pickle.loads(pickle.dumps(r, p)) == r for p in range(pickle.HIGHEST_PROTOCOL + 1)],
        cls.a.__doc__,
        r[0] is r.a,
    ]
    for call in (
        lambda: cls(),
        lambda: cls(1, 2, 3, 4),
        lambda: cls(1, d=2),
        lambda: r._replace(d=1),
        lambda: cls._make([1]),
    ):
        try:
            call()
        except (TypeError, ValueError) as exc:
            out.append((type(exc).__name__, str(exc).split("(", 1)[-1].replace("TypingWide", "")))
    return out


def test_a_record_behaves_as_typings_in_every_way_roadworthy_uses():
    ours = _behaviour(Wide)
    theirs = _behaviour(TypingWide)
    assert [repr(x).replace("TypingWide", "Wide") for x in theirs] == [repr(x) for x in ours]


def test_a_record_with_one_field_and_with_many():
    exec_globals = {"NamedTuple": NamedTuple, "__name__": "m"}
    exec("class One(NamedTuple):\n    only: int\n", exec_globals)
    fields = "".join(f"    f{i}: int = {i}\n" for i in range(40))
    exec(f"class Many(NamedTuple):\n{fields}", exec_globals)
    assert exec_globals["One"](3) == (3,) and exec_globals["One"](only=4).only == 4
    many = exec_globals["Many"](f39=-1)
    assert many.f0 == 0 and many.f39 == -1 and len(many) == 40

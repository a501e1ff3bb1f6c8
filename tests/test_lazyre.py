"""lazyre: a pattern compiled on first use answers exactly as `re.compile`'s."""

from __future__ import annotations

import re

import pytest

from roadworthy import lazyre


@pytest.mark.parametrize(
    ("pattern", "flags", "text"),
    [
        (r"(?P<k>[a-z]+)=(\d+)", 0, "a=1, bb=22, c=x"),
        (r"^kind:[ \t]*\S", re.M, "x\nkind: Model\n"),
        (rb"[0-9a-f]{4}", 0, b"beef cafe 12"),
        (r"\bA\b", re.I, "a A b"),
    ],
)
def test_a_lazy_pattern_answers_as_a_compiled_one(pattern, flags, text) -> None:
    lazy, compiled = lazyre.compile(pattern, flags), re.compile(pattern, flags)
    assert lazy.pattern == compiled.pattern  # known before compiling
    for method in ("findall", "split"):
        assert getattr(lazy, method)(text) == getattr(compiled, method)(text)
    assert [m.span() for m in lazy.finditer(text)] == [m.span() for m in compiled.finditer(text)]
    found, expected = lazy.search(text), compiled.search(text)
    assert (found and found.group(0)) == (expected and expected.group(0))
    assert lazy.flags == compiled.flags and lazy.groups == compiled.groups
    assert lazy.groupindex == compiled.groupindex
    assert lazy.sub(lambda m: m.group(0)[::-1], text) == compiled.sub(
        lambda m: m.group(0)[::-1], text
    )


def test_nothing_is_compiled_before_it_is_used() -> None:
    lazy = lazyre.compile(r"(unclosed")  # an invalid pattern fails only when first used
    assert lazy.pattern == "(unclosed"
    with pytest.raises(re.error):
        lazy.match("x")


def test_after_first_use_a_method_is_the_compiled_patterns_own() -> None:
    lazy = lazyre.compile(r"a+")
    assert "fullmatch" not in vars(lazy)
    assert lazy.fullmatch("aaa")
    assert vars(lazy)["fullmatch"] == re.compile(r"a+").fullmatch  # no stand-in on the way

"""jsontext: the same bytes as json.dumps(indent=2, ensure_ascii=False), on any JSON data."""

from __future__ import annotations

import json
import math
import random

import pytest

from roadworthy.formats import jsontext

_TEXT = ["", "a", 'quote " and \\ back', "line\nbreak\ttab\x00\x1f", "é ✓ 🚀", "\u2028", "\ud800"]
_SCALARS = [None, True, False, 0, -7, 2**70, 1.5, -0.0, 1e300, math.inf, -math.inf, math.nan]
_KEYS = [*_TEXT, 1, -2, 2.5, True, False, None]


def _value(rng: random.Random, depth: int) -> object:
    roll = rng.random()
    if depth > 4 or roll < 0.4:
        return rng.choice(_SCALARS + _TEXT)
    size = rng.choice([0, 1, 2, 5])
    if roll < 0.6:
        return [_value(rng, depth + 1) for _ in range(size)]
    if roll < 0.7:
        return tuple(_value(rng, depth + 1) for _ in range(size))
    return {rng.choice(_KEYS): _value(rng, depth + 1) for _ in range(size)}


@pytest.mark.parametrize("seed", range(300))
def test_the_same_text_as_json_dumps(seed):
    value = _value(random.Random(seed), 0)
    assert jsontext.dumps(value) == json.dumps(value, indent=2, ensure_ascii=False)


@pytest.mark.parametrize(
    "value",
    (
        pytest.param({}, id="empty-mapping"),
        pytest.param([[], {}, [[]]], id="empty-inside"),
        pytest.param({"a": {"b": {"c": [1, 2]}}, "d": 3}, id="deep"),
        pytest.param([{"x": 1}, 2, "three"], id="mixed-list"),
    ),
)
def test_shapes(value):
    assert jsontext.dumps(value) == json.dumps(value, indent=2, ensure_ascii=False)


def test_what_is_not_json_is_refused_as_json_dumps_refuses_it():
    with pytest.raises(TypeError, match="Object of type set is not JSON serializable"):
        jsontext.dumps({"a": [{1, 2}]})
    with pytest.raises(TypeError):
        jsontext.dumps({(1, 2): "tuple key"})

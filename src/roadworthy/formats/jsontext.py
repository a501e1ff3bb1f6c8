"""JSON text exactly as ``json.dumps(value, indent=2, ensure_ascii=False)`` writes it, faster.

With ``indent`` the standard library runs its pure-Python encoder, a generator per value; a
report of 2,000 components and 1,000 findings spends 30 ms there. Here every list or mapping
that holds no list or mapping (a finding, a component's readiness) is encoded by the C encoder
in one call, with the line break and indent of its level as the separator between items; only
the containers above those are laid out in Python.
"""

from __future__ import annotations

import itertools
import json
from functools import cache
from typing import Any

_INDENT = "  "
_CONTAINERS = (dict, list, tuple)
_ALWAYS_CONTAINERS = itertools.repeat(_CONTAINERS)  # map(isinstance, ...): the test in C
_MAKE_ENCODER: Any = getattr(json.encoder, "c_make_encoder", None)
_QUOTE = json.encoder.encode_basestring  # the C function where there is one


def dumps(value: Any) -> str:
    if _MAKE_ENCODER is None:  # an interpreter without the C encoder
        return json.dumps(value, indent=2, ensure_ascii=False)
    return _dumps(value, 0)


def _dumps(value: Any, level: int) -> str:
    if type(value) is str:
        return _QUOTE(value)
    if isinstance(value, dict):
        items = value.items()
        if value and any(map(isinstance, value.values(), _ALWAYS_CONTAINERS)):
            inner = [f"{_key(k)}: {_dumps(v, level + 1)}" for k, v in items]
            return _lay_out("{", inner, "}", level)
    elif isinstance(value, (list, tuple)):
        if value and any(map(isinstance, value, _ALWAYS_CONTAINERS)):
            inner = [_dumps(v, level + 1) for v in value]
            return _lay_out("[", inner, "]", level)
    else:
        return "".join(_encoder(0)(value, 0))
    flat = "".join(_encoder(level + 1)(value, 0))
    if len(flat) == 2:  # {} or []
        return flat
    return f"{flat[0]}\n{_INDENT * (level + 1)}{flat[1:-1]}\n{_INDENT * level}{flat[-1]}"


def _lay_out(opening: str, inner: list[str], closing: str, level: int) -> str:
    between = ",\n" + _INDENT * (level + 1)
    return f"{opening}\n{_INDENT * (level + 1)}{between.join(inner)}\n{_INDENT * level}{closing}"


def _key(key: Any) -> str:
    if type(key) is str:
        return _QUOTE(key)
    # Another key becomes text as json.dumps makes it (a number, true, null): a mapping of
    # one item through the C encoder converts and quotes it.
    text: str = "".join(_encoder(0)({key: 0}, 0))
    return text[1 : text.rindex(":")]


@cache
def _encoder(level: int) -> Any:
    """The C encoder with the separators of ``json.dumps(indent=2)`` at ``level``."""
    return _MAKE_ENCODER(
        None,  # no check for cycles: a report is a tree
        _refuse,
        json.encoder.encode_basestring,  # ensure_ascii=False
        None,
        ": ",
        ",\n" + _INDENT * level,
        False,
        False,
        True,
    )


def _refuse(value: Any) -> Any:
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")

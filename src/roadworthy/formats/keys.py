"""Values at dotted key paths (``hyperparameters.lr``, ``features.*.name``) of parsed YAML/JSON.

Comparing these values, not the file's bytes, is what makes a comment, a reformatting or a new
key order not a material change of a training configuration.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

_MISSING = object()


def values(data: Any, patterns: Iterable[str]) -> dict[str, str]:
    """Concrete key path → canonical JSON of the value, for every path the patterns reach."""
    out: dict[str, str] = {}
    for pattern in patterns:
        for path, value in _walk(data, pattern.split("."), ()):
            out[".".join(path)] = json.dumps(value, sort_keys=True, default=str)
    return out


def _walk(
    node: Any, parts: list[str], seen: tuple[str, ...]
) -> Iterator[tuple[tuple[str, ...], Any]]:
    if not parts:
        yield seen, node
        return
    head, rest = parts[0], parts[1:]
    for key, child in _children(node, head):
        yield from _walk(child, rest, (*seen, key))


def _children(node: Any, key: str) -> Iterator[tuple[str, Any]]:
    if isinstance(node, dict):
        if key == "*":
            yield from ((str(k), v) for k, v in node.items())
        elif key in node:
            yield key, node[key]
    elif isinstance(node, list):
        if key == "*":
            yield from ((str(i), v) for i, v in enumerate(node))
        elif key.isdigit() and int(key) < len(node):
            yield key, node[int(key)]


def changed(before: Any, after: Any, patterns: Iterable[str]) -> list[str]:
    """The dotted paths of the values that differ under the patterns (added and removed
    included), down to the leaves, sorted."""
    out: set[str] = set()
    for pattern in patterns:
        old = dict(_walk(before, pattern.split("."), ()))
        new = dict(_walk(after, pattern.split("."), ()))
        for path in old.keys() | new.keys():
            _leaves(old.get(path, _MISSING), new.get(path, _MISSING), list(path), out)
    return sorted(out)


def _leaves(old: Any, new: Any, path: list[str], out: set[str]) -> None:
    if isinstance(old, dict) and isinstance(new, dict):
        for key in old.keys() | new.keys():
            _leaves(old.get(key, _MISSING), new.get(key, _MISSING), [*path, str(key)], out)
    elif _canonical(old) != _canonical(new):
        out.add(".".join(path))


def _canonical(value: Any) -> str:
    return "<absent>" if value is _MISSING else json.dumps(value, sort_keys=True, default=str)

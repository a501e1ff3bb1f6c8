"""What reading YAML gives: a document's JSON data with its values' positions, or an error
with the position of what is wrong (`yamlio` reads; this module imports no YAML library)."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from roadworthy.records import NamedTuple

JsonPath = tuple[str | int, ...]

MAX_NODES = 1_000_000  # expanded size; a real 5 MiB document stays well below
MAX_DEPTH = 100  # far deeper than any real artifact; keeps jsonschema off the stack limit


class YamlError(Exception):
    def __init__(self, line: int, col: int, message: str) -> None:
        super().__init__(f"{line}:{col}: {message}")
        self.line = line
        self.col = col
        self.message = message


class YamlDocument(NamedTuple):
    data: Any
    positions: Mapping[JsonPath, tuple[int, int]] = MappingProxyType({})

    def position(self, path: JsonPath) -> tuple[int, int]:
        """The (line, col) of the value at ``path``, or of its nearest located ancestor."""
        while path not in self.positions and path:
            path = path[:-1]
        return self.positions.get(path, (1, 1))

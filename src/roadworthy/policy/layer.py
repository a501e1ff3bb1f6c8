"""One policy file as loaded: its data and where each value was written; the policy's digest.

Loading (`policy.load`) produces layers; building (`policy.build`) merges them. Both import this
module and neither imports the other's internals, so the pipeline runs one way.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from roadworthy.errors import Location
from roadworthy.formats.yamlio import JsonPath, YamlDocument
from roadworthy.records import NamedTuple


class Layer(NamedTuple):
    label: str  # how errors name the file: "roadworthy.yaml", "preset:recommended"
    data: dict[str, Any]
    doc: YamlDocument
    preset: bool
    pruned: frozenset[JsonPath] = frozenset()  # items dropped for failing the schema

    def at(self, path: JsonPath) -> Location:
        line, col = self.doc.position(path)
        return Location(self.label, line, col)


def policy_digest(data: Mapping[str, Any]) -> str:
    """sha256 of the merged policy's canonical JSON: the same rules give the same digest."""
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()

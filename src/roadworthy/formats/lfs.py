"""Git LFS pointer files: the text git stores in place of large weights.

A pointer stands for the weights it names; two pointers name the same weights when their
``oid`` and ``size`` agree, whatever else (extension lines, whitespace) differs.
"""

from __future__ import annotations

from typing import NamedTuple

HEADER = b"version https://git-lfs.github.com/spec/v1"
MAX_POINTER_SIZE = 1024  # the specification's limit


class Pointer(NamedTuple):
    oid: str
    size: int

    def describe(self) -> str:
        algorithm, _, digest = self.oid.partition(":")
        return f"{algorithm}:{digest[:12]}, {self.size} bytes"


def parse(data: bytes) -> Pointer | None:
    if len(data) > MAX_POINTER_SIZE or not data.startswith(HEADER):
        return None
    fields: dict[str, str] = {}
    for line in data.decode("utf-8", "replace").splitlines()[1:]:
        key, _, value = line.partition(" ")
        fields[key] = value.strip()
    try:
        return Pointer(fields["oid"], int(fields["size"]))
    except (KeyError, ValueError):
        return None

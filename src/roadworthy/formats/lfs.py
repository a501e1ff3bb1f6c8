"""Git LFS pointer files: the text git stores in place of large weights.

A file is a pointer only if the *whole* file is one, as the specification defines it
(git-lfs/git-lfs: docs/spec.md): under 1024 bytes of UTF-8, every line ``key value`` ending in a
newline, ``version`` first, the other keys in ascending order with no repeats, the keys made of
``[a-z0-9.-]``, and ``oid`` (``sha256:`` and 64 hex digits) and ``size`` present. Anything else —
a pointer with bytes appended, a second copy of a key, a carriage return — is the weights' own
bytes: change control then compares the bytes, so appending to a pointer is a change of weights.

A pointer stands for the weights it names; two pointers name the same weights when their
``oid`` and ``size`` agree, whatever extension lines they carry.
"""

from __future__ import annotations

from roadworthy import lazyre
from roadworthy.records import NamedTuple

VERSION = "https://git-lfs.github.com/spec/v1"
HEADER = f"version {VERSION}".encode()
MAX_POINTER_SIZE = 1023  # "less than 1024 bytes"

_LINE = lazyre.compile(r"([a-z0-9.-]+) ([^\r\n]+)")
_OID = lazyre.compile(r"sha256:[0-9a-f]{64}")
_SIZE = lazyre.compile(r"0|[1-9][0-9]{0,18}")


class Pointer(NamedTuple):
    oid: str
    size: int

    def describe(self) -> str:
        algorithm, _, digest = self.oid.partition(":")
        return f"{algorithm}:{digest[:12]}, {self.size} bytes"


def parse(data: bytes) -> Pointer | None:
    """The pointer ``data`` is, or None when it is anything else (then it is the bytes)."""
    if len(data) > MAX_POINTER_SIZE or not data.startswith(HEADER) or not data.endswith(b"\n"):
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    fields: dict[str, str] = {}
    previous = ""
    for number, line in enumerate(text[:-1].split("\n")):
        match = _LINE.fullmatch(line)
        if match is None:
            return None
        key, value = match.groups()
        if number == 0:
            if key != "version" or value != VERSION:
                return None
            continue
        if key <= previous or key == "version":  # sorted, no repeats
            return None
        fields[key] = value
        previous = key
    oid, size = fields.get("oid", ""), fields.get("size", "")
    if not _OID.fullmatch(oid) or not _SIZE.fullmatch(size):
        return None
    return Pointer(oid, int(size))


def value_position(data: bytes, key: str) -> tuple[int, int, int] | None:
    """Where the value of ``key`` is in the pointer ``data``: its line, first column and the
    column after it (1-based, as SARIF counts). None when ``data`` is no pointer or lacks it."""
    if parse(data) is None:
        return None
    for number, line in enumerate(data.decode("utf-8").split("\n"), start=1):
        name = line.partition(" ")[0]
        if name == key:
            return number, len(name) + 2, len(line) + 1
    return None

"""Approval ledgers: append-only YAML lists of approvals, each bound to a digest of content.

    - approved_by: ["@alice", "@bob"]
      ticket: CHG-42
      note: new weights after the Q3 retraining
      version: 2.1.0
      digest: sha256:9f2c...
      at: 2026-11-21

Governance approvals (the policy, CODEOWNERS, waivers) carry ``scope: governance``. Appending
keeps the comments and order of an existing ledger (a YAML round trip), takes turns with other
appends and replaces the file atomically.
"""

from __future__ import annotations

import datetime as dt
import stat
from pathlib import Path
from typing import Any

from roadworthy import lazyre
from roadworthy.errors import LocatedError, Location
from roadworthy.formats import yamlio
from roadworthy.records import NamedTuple
from roadworthy.workspace.write import inside, locked, write_inside

GOVERNANCE = "governance"
SIGNOFF = "signoff"  # a sign-off accepting a component's warnings (`approve --signoff`)
_DIGEST = lazyre.compile(r"sha256:[0-9a-f]{64}")
HEADER = (
    "# Approvals of material changes, appended by `roadworthy approve`.\n"
    "# Append-only: editing or removing an entry is reported (RW409).\n"
)


class Entry(NamedTuple):
    position: int  # 0-based place in the ledger
    approved_by: tuple[str, ...]
    digest: str
    ticket: str | None
    note: str | None
    version: str | None
    at: str | None
    scope: str | None
    line: int
    raw: Any  # the entry as parsed, for the append-only comparison

    def describe(self) -> str:
        when = f" on {self.at}" if self.at else ""
        return f"entry {self.position + 1} ({', '.join(self.approved_by)}{when})"


class Ledger(NamedTuple):
    path: str
    entries: tuple[Entry, ...]
    problems: tuple[tuple[int, str], ...]  # (line, message) for entries that cannot count


def parse(path: str, text: str | None) -> Ledger:
    """Entries of a ledger; malformed entries become problems, never exceptions."""
    if text is None:
        return Ledger(path, (), ())
    doc = yamlio.load(text, positions=True)  # YamlError propagates: the caller reports RW001
    data = doc.data if doc.data is not None else []
    if not isinstance(data, list):
        return Ledger(path, (), ((1, "a ledger must be a YAML list of approval entries"),))
    entries, problems = [], []
    for i, raw in enumerate(data):
        line = doc.position((i,))[0]
        entry, problem = _entry(i, raw, line)
        if entry is not None:
            entries.append(entry)
        if problem is not None:
            problems.append((line, f"entry {i + 1}: {problem}"))
    return Ledger(path, tuple(entries), tuple(problems))


def _entry(index: int, raw: Any, line: int) -> tuple[Entry | None, str | None]:
    if not isinstance(raw, dict):
        return None, "not a mapping"
    approvers = raw.get("approved_by")
    if isinstance(approvers, str):
        approvers = [approvers]
    if (
        not isinstance(approvers, list)
        or not approvers
        or not all(isinstance(a, str) for a in approvers)
    ):
        return None, "approved_by must list one or more handles"
    digest = raw.get("digest")
    if not isinstance(digest, str) or not _DIGEST.fullmatch(digest):
        return None, "digest must be sha256:<64 hex digits>"

    def text(key: str) -> str | None:
        value = raw.get(key)
        return None if value is None else str(value)

    return Entry(
        index,
        tuple(approvers),
        digest,
        text("ticket"),
        text("note"),
        text("version"),
        text("at"),
        text("scope"),
        line,
        raw,
    ), None


def edits(before: Ledger, after: Ledger) -> list[tuple[int, str]]:
    """Append-only: the base's entries must open the head's list unchanged."""
    old = [e.raw for e in before.entries]
    new_raw = [e.raw for e in after.entries]
    out = []
    for i, entry in enumerate(before.entries):
        if i >= len(new_raw):
            out.append((1, f"{entry.describe()} was removed"))
        elif new_raw[i] != old[i]:
            out.append((after.entries[i].line, f"{entry.describe()} was edited"))
    return out


def append(root: Path, relative: str, entry: dict[str, Any]) -> int:
    """Append ``entry`` to the ledger at ``relative`` (under ``root``), keeping the file's
    comments, formatting, byte-order mark and line endings; returns its 1-based number.

    Concurrent appends take turns (a lock on the ledger's folder), and each replaces the file
    atomically, so ten approvals at once leave ten entries. What is not a ledger is refused with
    its file and line, never overwritten: a folder or FIFO at the path, binary bytes, YAML that
    is not one list, a symlink anywhere on the way.
    """
    target = inside(root, relative)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with locked(inside(root, relative).parent):
            return _append(root, relative, target, entry)
    except OSError as exc:  # a file where its folder should be, no permission
        raise LocatedError(Location(relative), f"cannot write ({exc.strerror or exc})") from None


def _append(root: Path, relative: str, target: Path, entry: dict[str, Any]) -> int:
    text = _existing(target, relative)
    try:
        new_text, count = yamlio.append_to_list(text, entry, flow=("approved_by",), header=HEADER)
    except yamlio.YamlError as exc:
        where = Location(relative, exc.line)
        message = f"not a ledger (a YAML list of approvals): {exc.message}"
        raise LocatedError(where, message) from None
    write_inside(root, relative, new_text)
    return count


def _existing(target: Path, relative: str) -> str:
    try:
        info = target.lstat()
    except FileNotFoundError:
        return ""
    if not stat.S_ISREG(info.st_mode):  # a FIFO is never opened: reading it would wait forever
        raise LocatedError(Location(relative), "is not a regular file; not a ledger")
    data = target.read_bytes()
    if b"\0" in data:
        raise LocatedError(
            Location(relative, data[: data.index(b"\0")].count(b"\n") + 1),
            "holds binary bytes; not a ledger",
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise LocatedError(Location(relative, line), "is not UTF-8 text; not a ledger") from None


def today_iso(today: dt.date) -> str:
    return today.isoformat()

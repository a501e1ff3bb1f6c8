"""Where in a changed file a change-control finding points: at a line the change touched.

GitHub code scanning shows an alert on a pull request only when its location lies in the diff,
so a finding about a change must name a changed line, not line 1 of a file whose first line is
the same on both sides. Per file, in this order:

- a Git LFS pointer: the line of the first of ``oid`` and ``size`` whose value changed (the
  ``oid`` line, 2, for new weights), with the columns of the value;
- a text file: the first hunk between the two blobs, as ``git diff -U0`` numbers it (its start
  and end line; a pure deletion points at the line before it, which GitHub's diff shows as
  context);
- an added file: line 1 (every line is new); a binary file: line 1, which stands for the file,
  since there is no changed line to name.
"""

from __future__ import annotations

from collections.abc import Iterable

from roadworthy.findings import NO_SPAN, Span
from roadworthy.formats import lfs
from roadworthy.records import NamedTuple
from roadworthy.workspace import git
from roadworthy.workspace.changes import ChangeSet
from roadworthy.workspace.worktree import ArtifactError, Tree


class Where(NamedTuple):
    line: int
    span: Span = NO_SPAN


FILE = Where(1)  # the file as a whole
MAX_DIFFED = 1024 * 1024  # a text artifact is far smaller; larger files point at the file


def first_changed(changes: ChangeSet, paths: Iterable[str | None]) -> tuple[str, Where] | None:
    """The first of ``paths`` that the change adds or modifies (the head has it), and its first
    changed line."""
    for path in paths:
        change = changes.changed(path) if path else None
        if path and change is not None and change.after == path and changes.head.exists(path):
            return path, changed_line(changes, path)
    return None


def material_line(changes: ChangeSet, paths: Iterable[str | None]) -> tuple[str, Where] | None:
    """Where a material change shows: the first of ``paths`` the change touches, at its first
    changed line; else the first the head has (a link whose target changed behind it), as a
    whole file."""
    listed = [p for p in paths if p]
    found = first_changed(changes, listed)
    if found is not None:
        return found
    return next(((p, FILE) for p in listed if changes.head.exists(p)), None)


def changed_line(changes: ChangeSet, path: str) -> Where:
    """The first changed line of ``path`` (a file of the head) in ``changes``."""
    change = changes.changed(path)
    if change is None or change.after != path or not change.new_blob:
        return FILE
    old_blob = change.old_blob or ""
    if not old_blob.strip("0"):
        return FILE  # added: every line is new, and the first is as good as any
    pointer = _pointer_line(changes, change.before, path)
    if pointer is not None:
        return pointer
    hunk = first_hunk(changes.head.objects, old_blob, change.new_blob)
    if hunk is None:
        return FILE  # binary
    start, count = hunk
    if count == 0:
        return Where(max(start, 1))
    return Where(start, Span(end_line=start + count - 1) if count > 1 else NO_SPAN)


def first_hunk(objects: git.ObjectReader, old_blob: str, new_blob: str) -> tuple[int, int] | None:
    """Where the first changed hunk of ``new_blob`` against ``old_blob`` starts, and how many of
    its lines it spans (as ``git diff -U0`` numbers it: a pure deletion has 0 lines and starts
    at the line before it). None for binary content (a NUL byte in the first 8000, git's test),
    a blob over `MAX_DIFFED` bytes, or no change. Computed here from the blobs the run reads
    anyway: a ``git diff`` per finding cost a process each."""
    old, new = objects.read_many([old_blob, new_blob], limit=MAX_DIFFED)  # one round trip
    if old is None or new is None or old[1] != "blob" or new[1] != "blob":
        return None
    if b"\0" in old[2][:8000] or b"\0" in new[2][:8000]:
        return None
    a, b = old[2].splitlines(), new[2].splitlines()
    if len(a) * len(b) > 4_000_000:
        # Matching is quadratic at worst: for long files, the first line that differs.
        first = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), None)
        first = min(len(a), len(b)) if first is None else first
        return None if len(a) == len(b) and first == len(a) else (first + 1, 1)
    import difflib  # a changed line is asked for only when a finding needs one

    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, _i1, _i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            return (j1, 0) if j1 == j2 else (j1 + 1, j2 - j1)
    return None


def _pointer_line(changes: ChangeSet, before: str | None, path: str) -> Where | None:
    new = _read(changes.head, path)
    if new is None or lfs.parse(new) is None:
        return None
    old = _read(changes.base, before) if before else None
    old_pointer = lfs.parse(old) if old is not None else None
    new_pointer = lfs.parse(new)
    assert new_pointer is not None
    key = "oid"
    if old_pointer is not None and old_pointer.oid == new_pointer.oid:
        key = "size" if old_pointer.size != new_pointer.size else "oid"
    found = lfs.value_position(new, key)
    if found is None:
        return None
    line, column, end = found
    return Where(line, Span(column=column, end_line=line, end_column=end))


def _read(tree: Tree, path: str) -> bytes | None:
    size_of = getattr(tree, "size", None)
    size = size_of(path) if size_of is not None else None
    if size is None or size > lfs.MAX_POINTER_SIZE:
        return None  # larger than any pointer: not read
    try:
        return tree.read_bytes(path)
    except ArtifactError:
        return None

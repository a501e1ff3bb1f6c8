"""Git listings of the whole index, filed into folders or split between two git processes.

A listing is sorted by its bytes, and at 100,000 files most of it is not wanted: what is done
per path is kept to C where it can be (see `file_listing`).
"""

from __future__ import annotations

import bisect
import threading
from collections.abc import Callable, Collection, Iterable, Sequence
from pathlib import Path

from roadworthy.workspace import git


def ancestors(dirs: Collection[str]) -> set[str]:
    """Every folder that is one of ``dirs`` or contains one of them."""
    out: set[str] = set()
    for d in dirs:
        while d and d not in out:
            out.add(d)
            d = d.rpartition("/")[0]
    return out


def folders_of(paths: Iterable[str]) -> set[str]:
    """Every folder holding one of ``paths`` (the repository root "" included). A walk up
    stops at a folder met already: 10,000 paths cost a step or two each, not their depth."""
    out = {""}
    for path in paths:
        folder = path.rpartition("/")[0]
        while folder and folder not in out:
            out.add(folder)
            folder = folder.rpartition("/")[0]
    return out


def inside(ordered: Sequence[str], folder: str) -> range:
    """The indexes of the sorted paths ``ordered`` holds below ``folder`` (not "", the root):
    one run, from ``folder/`` up to ``folder0`` ("0" follows "/"), found by binary search."""
    return range(
        bisect.bisect_left(ordered, f"{folder}/"), bisect.bisect_left(ordered, f"{folder}0")
    )


def owners(wanted: set[str]) -> Callable[[str], str | None]:
    """The deepest of ``wanted`` that holds a path (None: none), found once per folder: a
    listing holds some twenty files per folder, all filed alike."""
    prefixes = ancestors(wanted)
    whole_repo = "" in wanted
    by_folder: dict[str, str | None] = {}

    def owner(path: str) -> str | None:
        folder = path[: path.rfind("/") + 1]
        if folder in by_folder:
            return by_folder[folder]
        found = by_folder[folder] = _deepest_ancestor(path, wanted, prefixes, whole_repo)
        return found

    return owner


def file_listing(
    chunks: Iterable[list[bytes]], wanted: set[str], result: dict[str, list[str]]
) -> dict[str, list[str]]:
    """``result`` with each path of a git listing filed under the deepest of ``wanted`` that
    holds it. The listing is sorted by its bytes, so the files under a folder are one slice of
    it, found by bisection in each chunk: nothing is done for the paths no folder wants (at
    100k files, nine in ten), and only the kept ones are decoded."""
    if "" in wanted:
        return _file_each(chunks, wanted, result)  # everything is kept: no slices to find
    starts = {w.encode("utf-8", "surrogateescape") + b"/": w for w in wanted}
    ordered = sorted(starts)
    holding = {a for w in wanted for a in ancestors([w.rpartition("/")[0]]) if a in wanted}
    owner_of = owners(wanted)
    for parts in chunks:
        first = parts[0]
        # Folders whose slice overlaps this chunk: those holding its first path, and those
        # whose slice begins within it.
        above = [first[: i + 1] for i, c in enumerate(first) if c == _SLASH]
        inside = [a for a in above if a in starts]
        inside += ordered[
            bisect.bisect_left(ordered, first) : bisect.bisect_right(ordered, parts[-1])
        ]
        for start in inside:
            lo = bisect.bisect_left(parts, start)
            hi = bisect.bisect_left(parts, start[:-1] + b"0")  # "0" follows "/"
            folder = starts[start]
            paths = [git.decode_path(p) for p in parts[lo:hi]]
            if folder in holding:  # a wanted folder inside it keeps its own files
                paths = [p for p in paths if owner_of(p) == folder]
            result[folder] += paths
    return result


def _file_each(
    chunks: Iterable[list[bytes]], wanted: set[str], result: dict[str, list[str]]
) -> dict[str, list[str]]:
    owner_of = owners(wanted)
    for parts in chunks:
        for path in map(git.decode_path, parts):
            owner = owner_of(path)
            if owner is not None:
                result[owner].append(path)
    return result


_SLASH = ord("/")


def _deepest_ancestor(
    path: str, wanted: set[str], prefixes: set[str], whole_repo: bool
) -> str | None:
    # Walk down from the top and stop at the first folder that leads to no component: most
    # files of a large repository are rejected after one set lookup.
    owner = "" if whole_repo else None
    i = path.find("/")
    while i > 0:
        head = path[:i]
        if head not in prefixes:
            break
        if head in wanted:
            owner = head
        i = path.find("/", i + 1)
    return owner


# From this many pathspecs (the 25 default markers), two git processes share them: git matches
# every entry against every pathspec, and that, not reading the index, is most of its time.
SPLIT_FROM = 8


def listed_in_halves(root: Path, specs: list[str]) -> list[str]:
    """What ``git ls-files -- SPECS`` lists, from two git processes at once, each with half of
    the pathspecs. A path either lists is there as often as the index has it (an unmerged path
    once per stage), as in one listing: the second half adds only what the first did not list."""
    half = len(specs) // 2
    second: list[str] = []
    failed: list[BaseException] = []

    def list_second() -> None:
        try:
            second.extend(git.ls_files(root, specs[half:]))
        except BaseException as exc:  # re-raised in the caller's thread
            failed.append(exc)

    thread = threading.Thread(target=list_second, name="roadworthy-markers", daemon=True)
    thread.start()
    try:
        first = list(git.ls_files(root, specs[:half]))
    finally:
        thread.join()  # never left running: a fork (--jobs) needs a process without threads
    if failed:
        raise failed[0]
    seen = set(first)
    return first + [p for p in second if p not in seen]

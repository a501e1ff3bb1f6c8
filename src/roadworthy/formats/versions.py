"""Versions and dates as artifacts write them.

A version is PEP 440 (through ``packaging``) or Semantic Versioning 2.0. Two versions compare by
semver precedence when both are semver, else by PEP 440. A YAML float such as ``1.10`` has
already lost its text, so only strings and integers are versions.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from roadworthy import lazyre
from roadworthy.records import NamedTuple

_SEMVER = lazyre.compile(
    r"v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)(?:\.(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*))*))?"
    r"(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?"
)


class Version(NamedTuple):
    text: str
    semver: tuple[Any, ...] | None  # precedence key, when the text is semver

    @property
    def pep440(self) -> Any:
        """packaging.version.Version, when the text is PEP 440 (None otherwise): parsed only
        when asked, since most versions are semver and packaging's import is 3 ms of a hook."""
        return _pep440(self.text)

    @property
    def major(self) -> int:
        if self.semver is not None:
            return int(self.semver[0])
        return int(self.pep440.major)

    def compare(self, other: Version) -> int | None:
        """-1, 0 or 1; None when the two cannot be ordered under one scheme."""
        if self.semver is not None and other.semver is not None:
            a, b = self.semver, other.semver
        elif self.pep440 is not None and other.pep440 is not None:
            a, b = self.pep440, other.pep440
        else:
            return None
        return (a > b) - (a < b)


def parse(value: Any) -> Version | None:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return None
    text = str(value).strip()
    semver = _semver_key(text)
    if semver is None and _pep440(text) is None:
        return None
    return Version(text, semver)


@functools.lru_cache(maxsize=1024)
def _pep440(text: str) -> Any:
    from packaging.version import InvalidVersion
    from packaging.version import Version as Pep440

    try:
        return Pep440(text)
    except InvalidVersion:
        return None


def _semver_key(text: str) -> tuple[Any, ...] | None:
    m = _SEMVER.fullmatch(text)
    if m is None:
        return None
    major, minor, patch, pre = int(m[1]), int(m[2]), int(m[3]), m[4]
    # A release ranks above its pre-releases; numeric identifiers rank below alphanumeric ones.
    pre_key: tuple[Any, ...] = (
        (1,)
        if pre is None
        else (
            0,
            tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in pre.split(".")),
        )
    )
    return (major, minor, patch, pre_key)


_DATE = lazyre.compile(r"\d{4}-\d{2}-\d{2}")


def parse_date(value: Any) -> dt.date | None:
    """A calendar date written YYYY-MM-DD (Python 3.11 would also take 20261121 or 2026-W47)."""
    if not isinstance(value, str) or not _DATE.fullmatch(value.strip()):
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        return None

"""The one glob dialect of policy files: markers, excludes, scopes, waivers, material paths.

Patterns are POSIX paths anchored at the repository root (a leading ``/`` or ``./`` is
ignored). ``*`` and ``?`` stay within one path segment, ``[...]`` is a character class, ``**/``
matches zero or more directories and a trailing ``/**`` everything inside a directory. These are
git's ``:(glob)`` pathspec rules, so a pattern means the same here as in ``git ls-files``.

Matching is linear in the path, whatever a policy writes (a policy may be an attacker's):
repeated ``**/`` collapse into one, a pattern with one ``**`` runs as one regular expression
(the stars inside a segment are atomic, see `_assemble`), and a pattern with several runs as a
walk over the path's segments that keeps a set of positions in the pattern — never more than
the pattern has — so nothing backtracks. `problem` says what is wrong with a pattern that
cannot be matched at all (a reversed range), for the policy's own error report.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache


def normalize(pattern: str) -> str:
    while pattern.startswith(("./", "/")):
        pattern = pattern[2:] if pattern.startswith("./") else pattern[1:]
    return pattern


class _Star:
    """A ``*`` (one segment's worth of anything) while a pattern is being translated."""


class _DoubleStar(str):
    """A ``**`` form: a regular expression that spans folders."""


_STAR = _Star()
_ANY_FOLDERS = _DoubleStar("(?:[^/]+/)*")


@lru_cache(maxsize=1024)
def translate(pattern: str, group: str = "g") -> str:
    """The body of a regular expression that fully matches the paths ``pattern`` names.

    ``group`` prefixes the names of the groups the expression uses, so that several patterns
    can share one expression.
    """
    return _assemble(_tokens(normalize(pattern)), group)


def _tokens(pat: str) -> list[str | _Star]:
    out: list[str | _Star] = []
    i, n = 0, len(pat)
    while i < n:
        at_segment_start = i == 0 or pat[i - 1] == "/"
        if at_segment_start and pat.startswith("**/", i):
            if not (out and out[-1] == _ANY_FOLDERS):  # "**/**/" is "**/"
                out.append(_ANY_FOLDERS)
            i += 3
        elif at_segment_start and pat.startswith("**", i) and i + 2 == n:
            out.append(_DoubleStar("(?s:.*)"))  # a name may hold a newline, as * matches it
            i += 2
        elif pat[i] == "*":
            if not (out and out[-1] is _STAR):  # "a**b" is "a*b"
                out.append(_STAR)
            i += 1
        elif pat[i] == "?":
            out.append("[^/]")
            i += 1
        elif pat[i] == "[" and _class_end(pat, i) >= 0:
            end = _class_end(pat, i)
            out.append(_character_class(pat[i + 1 : end]))
            i = end + 1
        else:
            out.append(re.escape(pat[i]))
            i += 1
    return out


def _assemble(tokens: list[str | _Star], group: str) -> str:
    # CPython's fnmatch.translate does this: every `*` but the last, with the fixed text up to
    # the next star, becomes an atomic group (a lookahead captured and matched back), so a
    # pattern such as *a*a*a*a*b cannot backtrack exponentially. Within one segment the earliest
    # match of the fixed text is always the right one to commit to.
    out: list[str] = []
    i, n, count = 0, len(tokens), 0
    while i < n:
        token = tokens[i]
        i += 1
        if token is not _STAR:
            out.append(str(token))
            continue
        fixed: list[str] = []
        while i < n and tokens[i] is not _STAR and not isinstance(tokens[i], _DoubleStar):
            fixed.append(str(tokens[i]))
            i += 1
        if i < n and tokens[i] is _STAR:
            count += 1
            name = f"{group}{count}"
            out.append(f"(?=(?P<{name}>[^/]*?{''.join(fixed)}))(?P={name})")
        else:
            out.append("[^/]*" + "".join(fixed))
    return "".join(out)


def _class_end(pat: str, start: int) -> int:
    j = start + 1
    if j < len(pat) and pat[j] in "!^":
        j += 1
    if j < len(pat) and pat[j] == "]":
        j += 1
    return pat.find("]", j)


def _character_class(body: str) -> str:
    negate = body[:1] in ("!", "^")
    if negate:
        body = body[1:]
    # Escape what Python reads, or may one day read, as set operations ([, &&, ||, ~~).
    body = re.sub(r"([\\\[&|~])", r"\\\1", body)
    # A class never matches the separator, as in git's wildmatch with FNM_PATHNAME.
    return f"[^/{body}]" if negate else f"(?!/)[{body}]"


def problem(pattern: str) -> str | None:
    """Why ``pattern`` cannot be matched (a reversed range such as ``[z-a]``), or None."""
    if "[" not in pattern:
        return None  # everything else is escaped: only a character class can be malformed
    try:
        re.compile(translate(pattern))
        for part in _segments(pattern):
            if part is not None:
                re.compile(part)
    except re.error as exc:
        return f"{pattern!r} is not a valid pattern: {exc.msg}"
    return None


@lru_cache(maxsize=1024)
def _segments(pattern: str) -> tuple[str | None, ...]:
    """The pattern's segments as regular expressions, ``None`` for a ``**`` segment, with
    repeated ``**`` collapsed (a trailing one is kept apart: it needs one segment at least)."""
    out: list[str | None] = []
    parts = normalize(pattern).split("/")
    for i, part in enumerate(parts):
        if part == "**":
            if i < len(parts) - 1 and out and out[-1] is None and i > 0 and parts[i - 1] == "**":
                continue
            out.append(None)
        else:
            out.append(translate(part, "s"))
    return tuple(out)


def _folder_stars(pattern: str) -> int:
    """How many ``**/`` the pattern has (after collapsing). Only these multiply the ways a
    regular expression can split a path; a trailing ``/**`` matches the rest at once."""
    parts = _segments(pattern)
    return sum(1 for part in parts[:-1] if part is None)


class _SegmentWalk:
    """A pattern with several ``**`` matched segment by segment: the positions the pattern may
    be at after each path segment are a set (at most one per pattern segment), so the work is
    the path's segments times the pattern's, with no backtracking."""

    def __init__(self, pattern: str) -> None:
        self.parts = [None if p is None else re.compile(p) for p in _segments(pattern)]
        self.end = len(self.parts)

    def match(self, path: str) -> bool:
        states = self._closure({0})
        for segment in path.split("/"):
            following: set[int] = set()
            for i in states:
                if i == self.end:
                    continue
                part = self.parts[i]
                if part is None:
                    trailing = i == self.end - 1
                    if trailing:  # "dir/**": anything inside, one segment at least
                        following |= {i, self.end}
                    elif segment:  # "**/": whole folders
                        following.add(i)
                elif part.fullmatch(segment):
                    following.add(i + 1)
            states = self._closure(following)
            if not states:
                return False
        return self.end in states

    def _closure(self, states: set[int]) -> set[int]:
        out = set(states)
        for i in sorted(states):
            j = i
            # A leading or middle "**" may match no folder at all.
            while j < self.end - 1 and self.parts[j] is None:
                j += 1
                out.add(j)
        return out


class GlobSet:
    """A set of patterns: one regular expression for those with at most one ``**``, a segment
    walk for each of the others."""

    def __init__(self, patterns: Iterable[str]) -> None:
        self.patterns = tuple(patterns)
        self._compiled: tuple[re.Pattern[str] | None, list[_SegmentWalk]] | None = None

    def __bool__(self) -> bool:
        return bool(self.patterns)

    def match(self, path: str) -> bool:
        # Compiled on first use, and once per pattern list: many sets are built (markers,
        # excludes, each artifact's names) that a small run never matches a path against.
        if self._compiled is None:
            self._compiled = _compile(self.patterns)
        regex, walks = self._compiled
        if regex is not None and regex.fullmatch(path) is not None:
            return True
        return any(walk.match(path) for walk in walks)

    def match_dir(self, path: str) -> bool:
        """True when a pattern names the directory itself or what is inside it (``dir/**``)."""
        return self.match(path) or self.match(f"{path}/") if path else self.match("")

    def _split(self) -> tuple[set[str], tuple[str, ...], GlobSet]:
        """``**/NAME`` and ``**/*.EXT`` patterns (all the default markers) as a set of file
        names and a tuple of suffixes; the rest as an expression."""
        names: set[str] = set()
        suffixes: list[str] = []
        rest: list[str] = []
        for p in self.patterns:
            norm = normalize(p)
            tail = norm[3:] if norm.startswith("**/") else None
            if tail is not None and not any(c in tail for c in "*?[/"):
                names.add(tail)
            elif (
                tail is not None
                and tail.startswith("*.")
                and not any(c in tail[1:] for c in "*?[/")
            ):
                suffixes.append(tail[1:])
            else:
                rest.append(p)
        return names, tuple(suffixes), GlobSet(rest)

    def fast_matcher(self) -> Callable[[str], bool]:
        """``match`` for streams of many paths: set lookups on the file name where it can."""
        names, ends, others = self._split()

        def matches(path: str) -> bool:
            name = path[path.rfind("/") + 1 :]
            return name in names or name.endswith(ends) or others.match(path)

        return matches

    def name_filter(self) -> tuple[frozenset[bytes], tuple[bytes, ...]] | None:
        """File names and suffixes (as raw bytes) that keep a superset of the matches, or None
        when some pattern needs the full expression."""
        names, ends, others = self._split()
        if others:
            return None
        return frozenset(_raw(n) for n in names), tuple(_raw(e) for e in ends)

    def pathspecs(self) -> list[str]:
        """git pathspecs that match a superset of these patterns, for prefiltering in git.

        git's default pathspec matching lets ``*`` cross ``/``, so collapsing every ``**`` form
        to ``*`` only ever widens a pattern; the exact match is then done here in Python. A
        ``\\`` is a plain character here and escapes the next one in a pathspec: it is doubled.
        """
        specs = []
        for p in self.patterns:
            spec = normalize(p).replace("**/", "*").replace("/**", "/*").replace("**", "*")
            spec = spec.replace("\\", "\\\\")
            specs.append(f":(top){spec}")
        return specs


@lru_cache(maxsize=256)
def matcher(patterns: tuple[str, ...]) -> Callable[[str], bool]:
    """`GlobSet.fast_matcher` of ``patterns``, made once per pattern list: what a rule tries on
    every file of many components (the material patterns, 37 of them by default, each file a
    set lookup and a suffix test, not a 37-way expression)."""
    return GlobSet(patterns).fast_matcher()


@lru_cache(maxsize=256)
def _compile(patterns: tuple[str, ...]) -> tuple[re.Pattern[str] | None, list[_SegmentWalk]]:
    """One expression for the patterns with at most one ``**``, a segment walk for each other."""
    simple = [(i, p) for i, p in enumerate(patterns) if _folder_stars(p) < 2]
    body = "|".join(f"(?:{translate(p, f'g{i}_')})" for i, p in simple)
    walks = [_SegmentWalk(p) for p in patterns if _folder_stars(p) >= 2]
    return (re.compile(body) if simple else None), walks


def _raw(text: str) -> bytes:
    return text.encode("utf-8", "surrogateescape")


def match(pattern: str, path: str) -> bool:
    return _single(pattern).match(path)


@lru_cache(maxsize=1024)
def _single(pattern: str) -> GlobSet:
    return GlobSet((pattern,))

"""GitHub CODEOWNERS: parse the file and answer "who owns this path?" with GitHub's semantics.

Locations: GitHub reads the first of `CANDIDATE_PATHS` that exists and ignores the others.

Lines (split at LF, CRLF or CR; a leading BOM is dropped): blank lines and lines starting with
``#`` are ignored. A rule is a pattern followed by zero or more owners (``@user``, ``@org/team`` or
an e-mail address), separated by spaces or tabs; a token starting with ``#`` after the pattern
starts a trailing comment. A rule without owners is valid and means "no owners" (it overrides
earlier rules). A backslash makes the next character of a pattern literal (``path\\ with\\ spaces``,
``\\*``). The last matching rule wins.

Problems: the parser never raises. A malformed line is reported as a `SyntaxProblem` (1-based line
number, at most one problem per line) and skipped; the rest of the file still counts. Reported:
negation (``!``), character ranges (``[ ]``), an escaped leading ``\\#``, GitLab section headers
(``[Name]``, ``^[Name]``, ``[Name][2]``), an owner that is not a handle or e-mail address, a line
that starts with an owner (a rule with its pattern missing), ``.``/``..``/empty path segments, a
dangling backslash, control characters and undecodable bytes.

Matching (paths are POSIX, relative to the repository root, case-sensitive; `owners_of` ignores
leading, trailing and doubled slashes and ``.`` segments):

- A leading ``/`` anchors the pattern to the root, and so does a ``/`` anywhere except at the end;
  any other pattern (``apps/``, ``*.js``, ``logs``) matches at any depth.
- ``*`` matches within one segment, ``?`` one character other than ``/``; ``**`` as a whole
  segment matches any number of segments (``**/logs``, ``a/**/b``); ``logs/**`` is ``logs/``.
- A trailing ``/`` names a directory: the pattern owns everything inside a directory it matches
  (``apps/`` owns ``x/apps/y.py``; ``/f*/`` owns everything in root folders starting with ``f``).
- A pattern whose last segment is literal also owns everything under a directory it names:
  ``/apps/github`` owns ``apps/github`` and ``apps/github/x/y.py``.
- A pattern whose last segment has a wildcard matches only the path itself, never anything below
  it: ``docs/*`` owns ``docs/getting-started.md`` but not ``docs/build-app/troubleshooting.md``
  (GitHub's documented example), and ``/foo/b*`` does not own ``foo/bar/baz.txt``.

Catch-all: `OwnerRule.catch_all` is true when the pattern matches every file path in any repository:
``*``, ``**``, ``/**``, ``**/*``, ``/**/*``, ``**/``, ``**/**`` and the like. ``/*`` is not a
catch-all: like ``docs/*`` it matches only files directly in the root, not nested ones.

Directories (``is_dir=True``, used for model components): a component is owned when its folder is
owned, i.e. when the rule owns every file that is or could be inside it. That holds for a rule
that names the folder itself or one of its ancestors and owns what lies below (trailing ``/``,
literal last segment, ``**``), and for catch-alls. A rule for some files only (``*.onnx``,
``ml/scorer/*``) never owns a directory.

Speed: rules are indexed on the first lookup by their literal leading directories (anchored
rules), by their first literal segment (``**/name/...`` and unanchored ``name``), and by file
extension (``*.ext``); only the remaining rules are tried for every path, so a lookup costs
O(path depth + unindexable rules). The answer equals trying every rule in order. Patterns without
wildcards are matched by string comparison; a ``*`` inside a segment is translated so that the
regex never backtracks catastrophically (``*a*a*a*a*b`` against a long name); a regex is compiled
when first tried. The parsed and indexed file has a plain form (`CodeOwners.plain`, of tuples,
lists, dicts, strings and numbers) that a caller can keep (``workspace/ownerscache.py`` does, per
text) and `CodeOwners.from_plain` reads back without rebuilding an object per rule: lookups read
its plain rows.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable, Collection, Iterable, Iterator
from typing import Any

from roadworthy import lazyre
from roadworthy.records import NamedTuple

CANDIDATE_PATHS = (".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS")
# The version of `CodeOwners.plain`'s form. A kept form is only as good as the parser that made
# it: bump this whenever parsing, the index or the form changes what a file answers.
PLAIN_FORMAT = 1


class OwnerRule(NamedTuple):
    pattern: str  # as written, escapes included
    owners: tuple[str, ...]  # empty: the matching paths have no owners
    line: int
    catch_all: bool  # the pattern matches every file path (see the module docstring)


class SyntaxProblem(NamedTuple):
    line: int
    message: str


class Match(NamedTuple):
    owners: tuple[str, ...]  # may be empty: a matching rule with no owners
    rule: OwnerRule


class _Shape(NamedTuple):
    """A pattern reduced to segments: ``**`` only leading or in the middle, never last."""

    segments: tuple[str, ...]  # as written (escaped); () means "everything"
    dir_only: bool  # owns what is strictly below the paths it matches
    descend: bool  # owns everything below the paths it matches (and those, unless dir_only)
    # No wildcard and no escape anywhere (most rules): every segment but a leading "**" added
    # for an unanchored pattern is the literal name, and matching skips the general path.
    plain: bool = False


class _Pattern(NamedTuple):
    """What `_matches` needs of a pattern. The commonest patterns, without wildcards, skip
    regexes.

    Regexes are kept as their source and compiled when first tried: most rules of a large file
    sit in index buckets that a run never reaches, and the source is what a kept index holds."""

    dir_only: bool
    literal: str | None = None  # "/a/b", "a/b/": the path, unescaped
    name: str | None = None  # "name", "name/", "**/name": the segment, unescaped
    file_re: str | None = None  # fullmatched with DOTALL
    dir_re: str | None = None  # None (without literal or name): owns no directory


# A `_Pattern` as a plain tuple: a kept index holds these, matched without being rebuilt.
_PatternRow = tuple[bool, "str | None", "str | None", "str | None", "str | None"]


def _matches(pattern: _PatternRow, target: str, is_dir: bool) -> bool:
    """Whether ``pattern`` matches the normalised path ``target``."""
    dir_only, literal, name, file_re, dir_re = pattern
    if literal is not None:
        if target == literal:
            return is_dir or not dir_only
        return target.startswith(literal) and target.startswith("/", len(literal))
    if name is not None:
        parts = target.split("/")
        return name in (parts[:-1] if dir_only and not is_dir else parts)
    regex = dir_re if is_dir else file_re
    return regex is not None and _compiled(regex).fullmatch(target) is not None


@functools.lru_cache(maxsize=4096)
def _compiled(source: str) -> re.Pattern[str]:
    return re.compile(source, re.DOTALL)


# An `OwnerRule` as a plain tuple, as a kept form holds it.
_RuleRow = tuple[str, tuple[str, ...], int, bool]


class _Index(NamedTuple):
    patterns: tuple[_PatternRow | None, ...]  # parallel to CodeOwners.rules; None never matches
    by_prefix: dict[str, list[int]]  # anchored: literal leading segments "a/b" -> rule indexes
    by_segment: dict[str, list[int]]  # "**/name/...": any path segment "name"
    by_extension: dict[str, list[int]]  # "**/*.ext": the file's extension
    general: list[int]  # everything else, tried for every file
    general_dirs: list[int]  # the part of general that can own a directory
    prefix_depths: tuple[int, ...]  # the numbers of segments of by_prefix keys, ascending


class CodeOwners:
    """A parsed CODEOWNERS file. Its lookup index is built on the first lookup."""

    __slots__ = ("_built", "_rows", "_rules", "_shapes", "path", "problems")

    def __init__(
        self, path: str, rules: tuple[OwnerRule, ...], problems: tuple[SyntaxProblem, ...]
    ) -> None:
        self.path = path  # where it was read from, e.g. ".github/CODEOWNERS"
        self._rules: tuple[OwnerRule, ...] | None = rules
        # The rules as lookups read them: ``rules`` itself, or a kept form's plain rows, made
        # into OwnerRules only when something asks for them (most runs ask for one match).
        self._rows: tuple[_RuleRow, ...] = rules
        self.problems = problems
        self._built: _Index | None = None
        self._shapes: tuple[_Shape, ...] | None = None  # the rules' shapes, as parse found them

    def __repr__(self) -> str:
        return f"CodeOwners({self.path!r}, {len(self._rows)} rules, {len(self.problems)} problems)"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, CodeOwners):
            return NotImplemented
        return (self.path, self.rules, self.problems) == (other.path, other.rules, other.problems)

    __hash__ = None  # type: ignore[assignment]

    @property
    def rules(self) -> tuple[OwnerRule, ...]:
        if self._rules is None:
            self._rules = tuple(itertools.starmap(OwnerRule, self._rows))
        return self._rules

    @property
    def _index(self) -> _Index:
        if self._built is None:
            self._built = _build_index(self._rows, self._shapes)
            self._shapes = None
        return self._built

    def plain(self) -> tuple[Any, ...]:
        """The parsed and indexed file as tuples, lists and dicts of str, int, bool and None
        (what `marshal` and JSON carry); `from_plain` turns it back into an equal file."""
        index = self._index
        # One object per distinct owner list, and per distinct string of the index (a literal
        # path is also its bucket's key): marshal writes a repeated object once.
        owners: dict[tuple[str, ...], tuple[str, ...]] = {}
        strings: dict[str | None, str | None] = {None: None}

        def one(text: str | None) -> str | None:
            return strings.setdefault(text, text)

        def table(buckets: dict[str, list[int]]) -> dict[str | None, list[int]]:
            return {one(key): indexes for key, indexes in buckets.items()}

        return (
            PLAIN_FORMAT,
            tuple((r[0], owners.setdefault(r[1], r[1]), r[2], r[3]) for r in self._rows),
            tuple(map(tuple, self.problems)),
            tuple(None if p is None else (p[0], *map(one, p[1:])) for p in index.patterns),
            table(index.by_prefix),
            table(index.by_segment),
            table(index.by_extension),
            index.general,
            index.general_dirs,
            index.prefix_depths,
        )

    @classmethod
    def from_plain(cls, path: str, plain: object) -> CodeOwners:
        """The file `plain` gave (read from ``path``). ValueError when it is not that form."""
        try:
            return _from_plain(path, plain)
        except (TypeError, ValueError, IndexError, AttributeError) as exc:
            raise ValueError(f"not a plain CODEOWNERS form: {exc}") from None

    def owners_of(
        self,
        path: str,
        *,
        is_dir: bool = False,
        ignore_catch_all: bool = False,
        ignore_patterns: Collection[str] = (),
    ) -> Match | None:
        """The last rule matching ``path`` (a file, or a directory with ``is_dir``), or None.

        Rules that are catch-alls (with ``ignore_catch_all``) or whose pattern text is in
        ``ignore_patterns`` are skipped as if they were not in the file.
        """
        segments = [s for s in path.split("/") if s not in ("", ".")]
        if not segments and not is_dir:
            return None
        target = "/".join(segments)
        index, rows = self._index, self._rows

        def matches(i: int) -> bool:
            (pattern_text, _, _, catch_all), pattern = rows[i], index.patterns[i]
            if pattern is None or (ignore_catch_all and catch_all):
                return False
            if ignore_patterns and pattern_text in ignore_patterns:
                return False
            return _matches(pattern, target, is_dir)

        best = _last_match(index.general_dirs if is_dir else index.general, -1, matches)
        for bucket in _buckets(index, segments, is_dir):
            best = _last_match(bucket, best, matches)
        if best < 0:
            return None
        rule = OwnerRule._make(rows[best])
        return Match(rule.owners, rule)


def _from_plain(path: str, plain: object) -> CodeOwners:
    """Rebuilds what `CodeOwners.plain` took apart. The form comes from a kept entry whose MAC
    proved it is ours, so the checks here guard against another version's form, not an
    attacker: the shape of each part, and every index within the rules."""
    if not isinstance(plain, tuple) or len(plain) != 10 or plain[0] != PLAIN_FORMAT:
        raise ValueError("another format")
    _, rules, problems, patterns, by_prefix, by_segment, by_extension, *rest = plain
    general, general_dirs, depths = rest
    # Rows are read as they are used (one per lookup): the first and last stand for the rest.
    if not isinstance(rules, tuple) or not all(_is_rule_row(r) for r in rules[:1] + rules[-1:]):
        raise ValueError("a rule is not a rule")
    if not isinstance(patterns, tuple) or len(patterns) != len(rules):
        raise ValueError("patterns and rules differ")
    if not isinstance(depths, tuple):
        raise ValueError("the prefix depths are not a tuple")
    tables = (by_prefix, by_segment, by_extension)
    if not all(isinstance(t, dict) for t in tables):
        raise ValueError("an index is not a table")
    # min and max compare in C, and raise TypeError on anything but numbers.
    buckets = [general, general_dirs, *(b for t in tables for b in t.values())]
    indexes = list(itertools.chain.from_iterable(buckets))
    if indexes and (min(indexes) < 0 or max(indexes) >= len(rules)):
        raise ValueError("an index outside the rules")
    index = _Index(patterns, by_prefix, by_segment, by_extension, general, general_dirs, depths)
    owners = CodeOwners(path, (), tuple(SyntaxProblem(n, m) for n, m in problems))
    owners._rules, owners._rows, owners._built = None, rules, index
    return owners


def _is_rule_row(row: object) -> bool:
    if not isinstance(row, tuple) or len(row) != len(OwnerRule._fields):
        return False
    pattern, owners, line, catch_all = row
    return (
        isinstance(pattern, str)
        and isinstance(owners, tuple)
        and isinstance(line, int)
        and isinstance(catch_all, bool)
    )


def _buckets(index: _Index, segments: list[str], is_dir: bool) -> Iterable[list[int]]:
    for depth in index.prefix_depths:
        if depth > len(segments):
            break
        bucket = index.by_prefix.get("/".join(segments[:depth]))
        if bucket:
            yield bucket
    for segment in set(segments):
        bucket = index.by_segment.get(segment)
        if bucket:
            yield bucket
    if not is_dir and segments and "." in segments[-1]:
        bucket = index.by_extension.get(segments[-1].rsplit(".", 1)[1])
        if bucket:
            yield bucket


def _last_match(bucket: list[int], best: int, matches: Callable[[int], bool]) -> int:
    """The highest rule index in ``bucket`` (ascending) above ``best`` that matches, else best."""
    for i in reversed(bucket):
        if i <= best:
            break
        if matches(i):
            return i
    return best


@functools.lru_cache(maxsize=8)  # the base and the head of a change usually share the file
def parse(text: str, path: str = ".github/CODEOWNERS") -> CodeOwners:
    """Parse CODEOWNERS text. Never raises: bad lines become problems and are skipped."""
    rules: list[OwnerRule] = []
    shapes: list[_Shape] = []
    problems: list[SyntaxProblem] = []
    # One search of the whole text spares one per line when no line has a bad character.
    clean = _BAD_CHARACTER_IN_TEXT.search(text) is None
    for number, line in enumerate(_lines(text), start=1):
        result = _parse_line(line, clean)
        if result is None:
            continue
        if isinstance(result, str):
            problems.append(SyntaxProblem(number, result))
            continue
        pattern, owners, catch_all, shape = result
        rules.append(OwnerRule(pattern, owners, number, catch_all))
        shapes.append(shape)
    parsed = CodeOwners(path, tuple(rules), tuple(problems))
    parsed._shapes = tuple(shapes)  # the index needs them: not worked out twice
    return parsed


# --- parsing -----------------------------------------------------------------------------------

_LINE_BREAK = lazyre.compile(r"\r\n|\r|\n")
_TOKEN = lazyre.compile(r"(?:\\.|[^ \t\\])+(?:\\\Z)?|\\\Z", re.DOTALL)
_SECTION = lazyre.compile(r"\^?\[[^\]]*\](?:\[[^\]]*\])?(?=[ \t]|\Z)")
_USER = lazyre.compile(r"@[A-Za-z0-9][A-Za-z0-9_-]*")
_TEAM = lazyre.compile(r"@[A-Za-z0-9][A-Za-z0-9_-]*/[A-Za-z0-9_][A-Za-z0-9._-]*")
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
_EMAIL = lazyre.compile(rf"[A-Za-z0-9.!#$%&'*+/=?^_`{{|}}~-]+@{_LABEL}(?:\.{_LABEL})+")
_OWNER = lazyre.compile(f"(?:{_USER.pattern})|(?:{_TEAM.pattern})|(?:{_EMAIL.pattern})")
_UNESCAPED_BRACKET = lazyre.compile(r"(?<!\\)(?:\\\\)*[\[\]]")
_UNESCAPED_WILDCARD = lazyre.compile(r"(?<!\\)(?:\\\\)*[*?]")
# Control characters other than tab (Unicode category Cc) and lone surrogates (undecodable bytes).
_BAD_CHARACTER = lazyre.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\ud800-\udfff]")
_BAD_CHARACTER_IN_TEXT = lazyre.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]"
)  # not LF, CR


def _lines(text: str) -> list[str]:
    return _LINE_BREAK.split(text.removeprefix("\ufeff"))


# Per line, not per file: the base and the head of a change share nearly all their lines.
@functools.lru_cache(maxsize=16384)
def _parse_line(line: str, clean: bool) -> tuple[str, tuple[str, ...], bool, _Shape] | str | None:
    """A rule (its pattern, owners, whether it is a catch-all, and its shape), a problem
    message, or None for a blank or comment line. ``clean``: the line has no bad character."""
    stripped = line.strip(" \t")
    if not stripped or stripped.startswith("#"):
        return None
    bad = None if clean else _BAD_CHARACTER.search(stripped)
    if bad:
        char = bad.group(0)
        kind = "an undecodable byte" if "\ud800" <= char <= "\udfff" else "a control character"
        return f"line contains {kind} (U+{ord(char):04X})"
    header = _SECTION.match(stripped) if stripped[0] in "[^" else None
    if header:
        return (
            f"{header.group(0)!r} is a GitLab section header: GitLab syntax that GitHub "
            "CODEOWNERS does not support"
        )
    # Escapes (\\ ) are rare: plain whitespace splitting gives the same tokens without them.
    tokens = _TOKEN.findall(stripped) if "\\" in stripped else stripped.split()
    if not tokens:
        return None
    comment = len(tokens)
    if "#" in stripped:
        comment = next((i for i, t in enumerate(tokens) if i > 0 and t.startswith("#")), comment)
    pattern, owners = tokens[0], tokens[1:comment]
    problem = _pattern_problem(pattern)
    if problem is not None:
        return problem
    shape = _shape(pattern)
    if isinstance(shape, str):
        return shape
    if not all(map(_valid_owner, owners)):
        listed = ", ".join(repr(o) for o in owners if not _valid_owner(o))
        return f"invalid owner {listed}: expected @user, @org/team or an e-mail address"
    return pattern, tuple(owners), not shape.segments, shape


def _pattern_problem(pattern: str) -> str | None:
    if pattern.startswith("\\#"):
        return (
            f"pattern {pattern!r}: escaping a leading '#' with '\\' is not supported by GitHub "
            "(the line would be a comment)"
        )
    if pattern.startswith("!"):
        return f"pattern {pattern!r}: negation with '!' is not supported by GitHub CODEOWNERS"
    if ("[" in pattern or "]" in pattern) and _UNESCAPED_BRACKET.search(pattern):
        return f"pattern {pattern!r}: character ranges '[ ]' are not supported by GitHub CODEOWNERS"
    if pattern.startswith("@"):
        return (
            f"{pattern!r} looks like an owner, not a path pattern: "
            "a rule is a pattern followed by its owners"
        )
    return None


@functools.lru_cache(maxsize=4096)  # a few teams own most rules
def _valid_owner(owner: str) -> bool:
    return _OWNER.fullmatch(owner) is not None


# --- patterns ----------------------------------------------------------------------------------


def _shape(pattern: str) -> _Shape | str:
    """The normalised form of ``pattern``, or a problem message if it is malformed."""
    if "*" not in pattern and "?" not in pattern and "\\" not in pattern:
        return _plain_shape(pattern)
    return _general_shape(pattern)


def _general_shape(pattern: str) -> _Shape | str:
    """`_shape` of any pattern: the one definition the fast path `_plain_shape` must agree with."""
    body, dir_only = pattern, pattern.endswith("/")
    anchored = body.startswith("/")
    body = body.removeprefix("/")
    if dir_only:
        body = body[:-1] if body else body
    if not body:
        return f"pattern {pattern!r} names no path"
    segments = body.split("/")
    problem = _segment_problem(pattern, segments)
    if problem is not None:
        return problem
    anchored = anchored or len(segments) > 1
    segments = _collapse_double_stars(segments)
    if not anchored and segments[0] != "**":
        segments.insert(0, "**")
    # "**/*" is "**": it matches every file below; a trailing "**" is a trailing "/".
    if not dir_only and len(segments) > 1 and segments[-2] == "**" and _stars_only(segments[-1]):
        segments.pop()
    if segments[-1] == "**":
        segments.pop()
        dir_only = True
    plain = not any(c in pattern for c in "*?\\")
    return _Shape(tuple(segments), dir_only, dir_only or _literal(segments[-1]), plain)


def _plain_shape(pattern: str) -> _Shape | str:
    """`_shape` of a pattern without wildcards or escapes (most rules), in fewer steps."""
    dir_only = pattern.endswith("/")
    body = pattern[1:] if pattern.startswith("/") else pattern
    if dir_only:
        body = body[:-1]
    if not body:
        return f"pattern {pattern!r} names no path"
    segments = body.split("/")
    problem = _segment_problem(pattern, segments)
    if problem is not None:
        return problem
    if len(segments) == 1 and not pattern.startswith("/"):
        segments.insert(0, "**")  # unanchored: at any depth
    return _Shape(tuple(segments), dir_only, True, True)


def _segment_problem(pattern: str, segments: list[str]) -> str | None:
    if "" in segments:
        return f"pattern {pattern!r} has an empty path segment ('//')"
    if "." in segments or ".." in segments:
        return f"pattern {pattern!r}: '.' and '..' segments never match; patterns start at the root"
    if "\\" in pattern and any(_dangling(s) for s in segments):
        return f"pattern {pattern!r} has a dangling backslash"
    return None


def _dangling(segment: str) -> bool:
    return (len(segment) - len(segment.rstrip("\\"))) % 2 == 1


def _collapse_double_stars(segments: list[str]) -> list[str]:
    collapsed: list[str] = []
    for segment in segments:
        if not (segment == "**" and collapsed and collapsed[-1] == "**"):
            collapsed.append(segment)
    return collapsed


def _stars_only(segment: str) -> bool:
    return set(segment) == {"*"}


@functools.lru_cache(maxsize=8192)
def _literal(segment: str) -> bool:
    return segment != "**" and _UNESCAPED_WILDCARD.search(segment) is None


def _matcher(shape: _Shape) -> _Pattern:
    segments, dir_only, descend = shape.segments, shape.dir_only, shape.descend
    if shape.plain:
        if segments[0] != "**":
            return _Pattern(dir_only, literal="/".join(segments))
        if len(segments) == 2:
            return _Pattern(dir_only, name=segments[1])
    if not segments:  # everything: "**", "*", "**/*", "/**", ...
        return _Pattern(True, file_re=".+", dir_re=".*")
    if segments[0] != "**" and all(_literal(s) for s in segments):
        return _Pattern(dir_only, literal="/".join(_unescape(s) for s in segments))
    if len(segments) == 2 and segments[0] == "**" and _literal(segments[1]):
        return _Pattern(dir_only, name=_unescape(segments[1]))
    parts: list[str] = []
    group = itertools.count()
    for position, segment in enumerate(segments):
        if segment == "**":
            parts.append("(?:[^/]+/)*")
        else:
            parts.append(_segment_regex(segment, group))
            if position < len(segments) - 1:
                parts.append("/")
    body = "".join(parts)
    # A directory pattern owns strictly below; a literal last segment, itself and below.
    tail = "/.+" if dir_only else "(?:/.+)?" if descend else ""
    return _Pattern(dir_only, file_re=body + tail, dir_re=body + "(?:/.+)?" if descend else None)


def _segment_regex(segment: str, group: Iterator[int]) -> str:
    if _literal(segment):
        return re.escape(_unescape(segment))
    pieces = _pieces(segment)
    if len(pieces) == 1:  # "?" wildcards only
        return pieces[0]
    # Each piece between two stars matches at its earliest position, atomically (a lookahead
    # and a backreference, as fnmatch does): enough for globs, and no catastrophic backtracking
    # on patterns like "*a*a*a*a*b".
    out = [pieces[0]]
    for piece in pieces[1:-1]:
        name = f"g{next(group)}"
        out.append(f"(?=(?P<{name}>[^/]*?{piece}))(?P={name})")
    out.append(f"[^/]*{pieces[-1]}")
    return "".join(out)


def _pieces(segment: str) -> list[str]:
    """The regexes of the parts of a segment between its unescaped stars."""
    pieces: list[str] = []
    current: list[str] = []
    chars = iter(segment)
    for char in chars:
        if char == "*":
            pieces.append("".join(current))
            current = []
        elif char == "?":
            current.append("[^/]")
        else:
            current.append(re.escape(next(chars, "\\") if char == "\\" else char))
    pieces.append("".join(current))
    if len(pieces) == 1:
        return pieces
    return [pieces[0], *(p for p in pieces[1:-1] if p), pieces[-1]]  # "a**b" is "a*b"


_ESCAPE = lazyre.compile(r"\\(.)", re.DOTALL)


def _unescape(segment: str) -> str:
    return _ESCAPE.sub(r"\1", segment) if "\\" in segment else segment


# --- index -------------------------------------------------------------------------------------


def _build_index(rules: tuple[_RuleRow, ...], shapes: tuple[_Shape, ...] | None) -> _Index:
    patterns: list[_Pattern | None] = []
    by_prefix: dict[str, list[int]] = {}
    by_segment: dict[str, list[int]] = {}
    by_extension: dict[str, list[int]] = {}
    general: list[int] = []
    tables = {"prefix": by_prefix, "segment": by_segment, "extension": by_extension}
    for i, rule in enumerate(rules):
        shape = shapes[i] if shapes is not None else _shape(rule[0])
        if isinstance(shape, str):
            patterns.append(None)
            continue
        patterns.append(_matcher(shape))
        kind, key = _index_key(shape)
        if kind in tables:
            tables[kind].setdefault(key, []).append(i)
        else:
            general.append(i)
    depths = tuple(sorted({key.count("/") + 1 for key in by_prefix}))
    general_dirs = [i for i in general if _owns_directories(patterns[i])]
    return _Index(
        tuple(patterns), by_prefix, by_segment, by_extension, general, general_dirs, depths
    )


def _owns_directories(pattern: _Pattern | None) -> bool:
    return pattern is not None and (
        pattern.dir_re is not None or pattern.literal is not None or pattern.name is not None
    )


def _index_key(shape: _Shape) -> tuple[str, str]:
    """Where a rule goes in the index: a table name and key, or ("general", "")."""
    segments = shape.segments
    if shape.plain and segments:
        return ("prefix", "/".join(segments)) if segments[0] != "**" else ("segment", segments[1])
    if not segments:
        return "general", ""
    if segments[0] != "**":
        leading: list[str] = []
        for segment in segments:
            if not _literal(segment):
                break
            leading.append(_unescape(segment))
        if leading:
            return "prefix", "/".join(leading)
        return "general", ""
    if _literal(segments[1]):
        return "segment", _unescape(segments[1])
    last = segments[1]
    if len(segments) == 2 and not shape.descend and last.startswith("*"):
        rest = last[1:]
        if "." in rest and re.search(r"[*?\\]", rest) is None:
            return "extension", rest.rsplit(".", 1)[1]
    return "general", ""

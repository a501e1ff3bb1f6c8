"""Plain YAML without PyYAML: the core schema's scalars, and a reader for the simple block
subset most artifacts are written in.

A data contract or a ``model.yaml`` is block mappings and lists of scalars; PyYAML's C composer
makes two marks and a node object per value of it (140 µs for a 50-line contract, a third of a
full check's time). `read` takes such a text a line at a time with one regular expression and
gives the same data as `yamlparse.parse` in about half the time. It reads block mappings and
lists, plain and quoted scalars on one line, flow lists of those on one line, ``{}``, comments,
``---`` first, CRLF, and literal block scalars (``|``, ``|-``), and answers None for anything
else: a character outside printable ASCII, a tab, an escape, an anchor, a tag, a folded
scalar, a value continued on the next line, a duplicate key, an indentation PyYAML would
refuse. The caller then parses the text in full, which also words any error: this reader never
raises. `tests/formats/test_yamlsimple.py` holds it to PyYAML's composer on the corpus and on
tens of thousands of mutated texts.
"""

from __future__ import annotations

import math
import re
import string
import sys
from collections.abc import Iterable, Sequence
from typing import Any

from roadworthy.formats.yamldoc import MAX_DEPTH

# --- the YAML 1.2 core schema for an untagged plain scalar -----------------------------------

_INT = re.compile(r"[-+]?[0-9]+")
# Python's int() also takes "_", spaces and signs inside; the YAML core schema does not.
_HEX = re.compile(r"0x[0-9a-fA-F]+")
_OCTAL = re.compile(r"0o[0-7]+")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
SPECIAL: dict[str, Any] = {
    **dict.fromkeys(("null", "Null", "NULL", "~", ""), None),
    **dict.fromkeys(("true", "True", "TRUE"), True),
    **dict.fromkeys(("false", "False", "FALSE"), False),
    **dict.fromkeys((".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"), math.inf),
    **dict.fromkeys(("-.inf", "-.Inf", "-.INF"), -math.inf),
    **dict.fromkeys((".nan", ".NaN", ".NAN"), math.nan),
}
_MAYBE_NOT_STRING = frozenset("0123456789-+.~nNtTfF")
_MAYBE_NUMBER = frozenset("0123456789-+.")  # the first characters _INT, _HEX, _OCTAL, _FLOAT allow
# The longest decimal integer int() reads (0: no limit, as before Python 3.10.7).
DIGITS = getattr(sys, "get_int_max_str_digits", int)()


def resolve_plain(value: str) -> Any:
    """YAML 1.2 core schema for an untagged plain scalar. Raises ValueError for an integer of
    more than `DIGITS` digits."""
    if value and value[0] not in _MAYBE_NOT_STRING:
        return value
    if value in SPECIAL:
        return SPECIAL[value]
    if value[0] not in _MAYBE_NUMBER:  # "float64", "timestamp", "~x": no number starts so
        return value
    if _INT.fullmatch(value):
        return int(value)
    if _HEX.fullmatch(value):
        return int(value[2:], 16)
    if _OCTAL.fullmatch(value):
        return int(value[2:], 8)
    if _FLOAT.fullmatch(value) and any(c.isdigit() for c in value):
        return float(value)
    return value


# --- the simple block subset ------------------------------------------------------------------

# Only printable ASCII is read: a tab, a carriage return, a BOM, a control character PyYAML
# refuses, a NEL or U+2028 (YAML 1.1 line breaks) anywhere makes a line "bad".
_WORD = r'[!-"$-9;-~]'  # printable ASCII but space, "#" and ":"
_FIRST = r"(?:[A-Za-z0-9_./(~$+=]|-(?=[0-9.]))"  # no indicator ("-" before a digit: -1, -.5)
# A plain scalar on one line: words joined by colons or spaces, so no ": ", " #" or final
# ":" (YAML allows ":#" and " :" too: left to the composer), and no trailing spaces. Each
# repetition starts with a separator and ends with a word: one way to match, no backtracking.
_PLAIN = rf"{_FIRST}{_WORD}*(?:(?::+| +){_WORD}+)*"
# In a flow list the words hold no "," "[" "]" "{" "}" (nor a quote, nor ":", nor "?", where
# PyYAML's pure-Python scanner ends a plain scalar and libyaml does not).
_FLOW_WORD = r"[!$-&(-+\--9;->@-Z\\^-z|~]"
_FLOW_PLAIN = rf"{_FIRST}{_FLOW_WORD}*(?: +{_FLOW_WORD}+)*"
# Quoted on one line: '' is a quote in single quotes; no escape (backslash) in double quotes.
_SINGLE = r"'(?:[ -&(-~]|'')*'"
_DOUBLE = r'"[ !#-\[\]-~]*"'
_FLOW_ITEM = rf"(?:{_FLOW_PLAIN}|{_SINGLE}|{_DOUBLE})"
# A value: plain, quoted, a flow list of such on one line (no trailing comma), "{}", or the
# header of a literal block scalar ("|", "|-": clipped or stripped; no indentation digit).
# (The spaces before "]" belong to the items' group: "[ *(...)? *]" could split a run of
# spaces after "[" two ways at each space, quadratic in a hostile unclosed list.)
_VALUE = (
    rf"(?:{_PLAIN}|{_SINGLE}|{_DOUBLE}"
    rf"|\[ *(?:{_FLOW_ITEM}(?: *, *{_FLOW_ITEM})* *)?\]|\{{ *\}}|\|-?)"
)
_KEY = r"[A-Za-z_][A-Za-z0-9_.-]{0,127}"  # well under PyYAML's 1024 for a simple key
# One line: its indentation, then a comment, or "- " (at most one) and "key:", "key: value" or
# a value, then a comment or trailing spaces. Any other line that is not blank is "bad"
# (greedy: a lazy group would try the end of the line at each character, quadratic in a
# hostile line).
_LINE = re.compile(
    rf"^( *)(?:#[ -~]*|(- )?(?:({_KEY}):(?: +({_VALUE}))?|({_VALUE}))(?: +#[ -~]*| *)"
    r"|(?P<bad>[^ \n].*))$",
    re.MULTILINE,
)
_FLOW_ITEMS = re.compile(rf"({_FLOW_PLAIN})|({_SINGLE})|({_DOUBLE})")
# "---" alone on the first line that is no blank or comment line (one line per repetition: no
# two ways to match, so no backtracking over many blank lines).
_DOCUMENT_START = re.compile(r"(?: *(?:#[ -~]*)?\n)*---\n")

# What the parser walks: (column, kind, key, value, on the line of the "- " before it).
_Token = tuple[int, int, str | None, Any, bool]
_DASH, _OPEN, _PAIR, _ITEM = range(4)  # "- "; "key:"; "key: value"; a value after "- "


class _NotSimple(Exception):
    """Outside the subset: the caller parses the text in full."""


def read(text: str, max_nodes: int) -> Any:
    """The data of ``text``, as `yamlparse.parse` gives it, when ``text`` is in the simple
    subset; else None (the text may still be valid YAML, or not)."""
    if "\r" in text:
        text = text.replace("\r\n", "\n")  # a "\r" alone is left: a bad line
    start = _DOCUMENT_START.match(text)
    at = start.end() if start is not None else 0
    try:
        # A text with no "|" holds no block scalar: one pass of the expression over it.
        tokens = _tokens(text, at) if "|" not in text else _tokens_by_line(text, at)
        # At most two nodes a token and the root, and one more for each item of a flow list
        # (only a value that starts with "[" is one: a text without "[" holds none).
        nodes = 2 * len(tokens) + 1
        if "[" in text:
            nodes += sum(len(t[3]) for t in tokens if type(t[3]) is list)
        if not tokens or nodes > max_nodes:
            return None
        data, end = _Walk(tokens).block(0, tokens[0][0], 0)
    except (_NotSimple, ValueError):  # ValueError: an integer too long for int()
        return None
    return data if end == len(tokens) else None


def _tokens(text: str, start: int) -> list[_Token]:
    tokens: list[_Token] = []
    _add(tokens, _LINE.findall(text, start))
    return tokens


def _tokens_by_line(text: str, start: int) -> list[_Token]:
    tokens: list[_Token] = []
    lines = text[start:].split("\n")
    rows: list[tuple[str, ...]] = []  # lines as `_LINE` splits them, since the last block
    i, count = 0, len(lines)
    while i < count:
        match = _LINE.match(lines[i])
        i += 1
        if match is None:
            continue  # blank
        indent, dash, key, value, _, _ = groups = match.groups()
        if not (value and value[0] == "|"):
            rows.append(groups)
            continue
        _add(tokens, rows)
        rows = []
        column = len(indent) + (2 if dash else 0)
        literal, i = _literal(lines, i, column, strip=value == "|-")
        if i == count and not text.endswith("\n"):
            raise _NotSimple  # its last line has no line break to clip: left to PyYAML
        tokens += [(len(indent), _DASH, None, None, False)] if dash else []
        tokens.append((column, _PAIR, key, literal, bool(dash)))
    _add(tokens, rows)
    return tokens


# The first characters of a plain scalar that is a string whatever follows (no null, bool or
# number starts so, nor a quote, a flow list or a block): most values, taken as they are.
_STRING = frozenset(string.ascii_letters) - frozenset("nNtTfF") | frozenset("_/($=")


def _add(tokens: list[_Token], rows: Iterable[Sequence[str]]) -> None:
    """The tokens of lines as `_LINE` splits them (one loop: this is the reader's inner one)."""
    append = tokens.append
    for indent, dash, key, value, item, bad in rows:
        if bad:
            raise _NotSimple
        column = len(indent)
        inline = bool(dash)
        if inline:
            append((column, _DASH, None, None, False))
            column += 2
        if key:
            if not value:
                append((column, _OPEN, key, None, inline))
            else:
                scalar = value if value[0] in _STRING else _scalar(value)
                append((column, _PAIR, key, scalar, inline))
        elif item:  # (none of the three: a comment line)
            if not inline:
                raise _NotSimple  # a value on a line of its own: maybe the rest of the one above
            append((column, _ITEM, None, item if item[0] in _STRING else _scalar(item), True))


def _literal(lines: list[str], i: int, column: int, *, strip: bool) -> tuple[str, int]:
    """The text of a literal block scalar whose key is at ``column`` and whose lines start at
    ``lines[i]``, and the index of the line after it, as PyYAML's scanner reads it: the
    indentation is the first line's (at least one more than the key's), blank lines inside
    are kept, the trailing ones dropped, and a line break ends it unless ``strip``."""
    first = i
    while i < len(lines) and not lines[i].strip(" "):
        i += 1
    if i == len(lines):
        raise _NotSimple  # no line of text: left to PyYAML
    indent = len(lines[i]) - len(lines[i].lstrip(" "))
    # A blank line above wider than the first line of text makes PyYAML take its width.
    if indent <= column or any(len(line) > indent for line in lines[first:i]):
        raise _NotSimple
    body = [""] * (i - first)
    while i < len(lines):
        line = lines[i]
        if not line.strip(" ") and len(line) <= indent:
            body.append("")  # blank
        elif line[:indent].strip(" ") or len(line) <= indent:
            break  # less indented: the block has ended
        elif line.isascii() and line.isprintable():
            body.append(line[indent:])
        else:
            raise _NotSimple  # a tab or a character outside printable ASCII
        i += 1
    while body and body[-1] == "":
        body.pop()  # (a line of text is never "": it is longer than the indentation)
        i -= 1
    return "\n".join(body) + ("" if strip else "\n"), i


def _scalar(text: str) -> Any:
    first = text[0]
    if first == "|":
        raise _NotSimple  # a block scalar's header: only `_tokens_by_line` reads the block
    if first == "'":
        return text[1:-1].replace("''", "'")
    if first == '"':
        return text[1:-1]
    if first == "[":
        return [_scalar(m.group()) for m in _FLOW_ITEMS.finditer(text, 1, len(text) - 1)]
    if first == "{":
        return {}
    return resolve_plain(text)


class _Walk:
    def __init__(self, tokens: list[_Token]) -> None:
        self.tokens = tokens
        self.count = len(tokens)

    def block(self, i: int, column: int, depth: int) -> tuple[Any, int]:
        """The node whose first token is ``tokens[i]``, at ``column``; and the index after it."""
        if depth > MAX_DEPTH // 2:
            raise _NotSimple
        at, kind, _, value, _ = self.tokens[i]
        if at != column:
            raise _NotSimple
        if kind == _DASH:
            return self.sequence(i, column, depth)
        if kind == _ITEM:
            return value, i + 1  # an item's value, on the line of its "- "
        return self.mapping(i, column, depth)

    def mapping(self, i: int, column: int, depth: int) -> tuple[dict[str, Any], int]:
        tokens, count = self.tokens, self.count
        result: dict[str, Any] = {}
        first = True
        while i < count:
            at, kind, key, value, inline = tokens[i]
            if at != column or kind < _OPEN or kind > _PAIR or (inline and not first):
                break
            assert key is not None
            if key in result:
                raise _NotSimple  # PyYAML's composer words the error
            first = False
            i += 1
            if kind == _PAIR:
                result[key] = value
            elif i < count and tokens[i][0] > column:
                result[key], i = self.block(i, tokens[i][0], depth + 1)
            elif i < count and tokens[i][0] == column and tokens[i][1] == _DASH:
                result[key], i = self.sequence(i, column, depth + 1)  # "key:" then "- " below
            else:
                result[key] = None
        if i < count and tokens[i][0] > column:
            raise _NotSimple  # deeper than its mapping: a continued value, or an error
        return result, i

    def sequence(self, i: int, column: int, depth: int) -> tuple[list[Any], int]:
        tokens, count = self.tokens, self.count
        result: list[Any] = []
        while i < count and tokens[i][0] == column and tokens[i][1] == _DASH:
            # A "- " line holds more (a bad line otherwise): its token comes next, inline.
            item, i = self.block(i + 1, column + 2, depth + 1)
            result.append(item)
        if i < count and tokens[i][0] > column:
            raise _NotSimple
        return result, i

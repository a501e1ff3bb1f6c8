"""Just enough Markdown structure for the model-card / runbook checks.

``parse`` returns the YAML front matter (as text), the sections with whether each is *filled*,
and the relative links of a Markdown file. It is a line scanner, not a full CommonMark parser:
it runs on thousands of files per run, so it is linear in the input and never raises on any
``str``.

Front matter
    Only on the very first line (after an optional UTF-8 BOM): ``---`` (trailing blanks
    allowed) up to the next ``---`` or ``...`` line. Unclosed -> no front matter, an error
    message, and the whole file is parsed as Markdown. ``+++`` (TOML) -> an error, no front
    matter; its block is skipped when it is closed.

Headings
    ATX (``#``..``######`` + blank or end of line, up to 3 spaces of indent, closing ``#``s
    dropped), setext (a plain paragraph underlined with ``===``/``---``), one-line HTML
    headings (``<h2 class="x">Title</h2>``, tags stripped from the title, empty ones ignored)
    and *bold labels* (level 7): a line that starts a paragraph (or directly follows another
    label) and begins with a bold span whose text ends with ``:`` or is followed by ``:``
    (``**Model type:** text``), or that is only a bold span not ending in ``.``/``!``/``?``
    (``**Training Data**``). Text after a label is content of the label's own section; a
    bold span inside a paragraph, list item or quote is just emphasis. Nothing counts as a
    heading inside fenced or indented code, HTML comments, block quotes or list items.

Sections and "filled"
    A section runs from its heading to the next heading of the same or a higher level, so
    subsection content counts for the parent. It is filled when a line of its body (heading
    lines excluded, except the text after a bold label) is real content. Not content: blank
    lines, HTML comments, thematic breaks, fence lines, link reference definitions, table
    header and delimiter rows, and lines that are empty or a placeholder once template
    expressions (``{{ }}``, ``{% %}``, ``{# #}``), HTML tags (except media such as ``<img>``),
    entities (``&emsp;``), block-quote / list markers, task boxes, a leading bold label,
    emphasis / code markers and surrounding blanks / punctuation are removed. A placeholder
    is a text in :data:`PLACEHOLDERS`, a text starting with one of
    :data:`PLACEHOLDER_PREFIXES` followed by ``:``/``-``/blank/end (``TODO: describe``), or
    any text containing ``lorem ipsum``. Code (fenced or indented) is content unless the line
    is blank, only template expressions or a placeholder. A table body row is content only
    when *every* cell is content: a row that is a label with blank value cells is a form
    still to be filled in (the incident post-mortem templates in the corpus look like that).

Links
    Inline links and images ``[t](dest "title")`` / ``(<dest>)``, reference definitions
    ``[ref]: dest`` and ``href=``/``src=`` attributes, outside code spans, code blocks, HTML
    comments and front matter. Only relative targets are kept: no URL scheme, not ``//host``,
    not a pure ``#fragment``, not a template expression. Targets keep their text, with the
    ``<>`` wrapper and backslash escapes removed; :func:`link_path` drops the fragment and
    query and percent-decodes.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from typing import Final
from urllib.parse import unquote

from roadworthy import lazyre
from roadworthy.records import NamedTuple

__all__ = [
    "BOILERPLATE",
    "PLACEHOLDERS",
    "PLACEHOLDER_PREFIXES",
    "FrontMatter",
    "Heading",
    "Link",
    "MarkdownDocument",
    "Section",
    "find_section",
    "link_path",
    "normalize_title",
    "parse",
]

#: Whole-line placeholder texts, compared case-insensitively once markup, template expressions
#: and surrounding blanks/punctuation are stripped (so ``**TBD**``, ``[More Information
#: Needed]``, ``N/A.`` and ``- (todo)`` all match). ``...`` and lines that are only HTML
#: comments or template expressions are not content either: they strip to nothing.
PLACEHOLDERS: Final[frozenset[str]] = frozenset(
    {
        "todo",
        "tbd",
        "tbc",
        "fixme",
        "n/a",
        "na",
        "none yet",
        "more information needed",
        "...",
        "…",
    }
)
#: Sentences Hugging Face's card templates (huggingface_hub ``modelcard_template.md`` and
#: ``datasetcard_template.md``) fill in by default: a card that still says only these was
#: generated, not written. Compared like placeholders, sentence by sentence.
BOILERPLATE: Final[frozenset[str]] = frozenset(
    {
        "users (both direct and downstream) should be made aware of the risks, biases and"
        " limitations of the model",
        "users should be made aware of the risks, biases and limitations of the dataset",
        "more information needed for further recommendations",
    }
)
#: A line starting with one of these, followed by ``:``, ``-``, a blank or the end, is a
#: placeholder whatever follows (``TODO: describe the training data``).
PLACEHOLDER_PREFIXES: Final[tuple[str, ...]] = ("todo", "tbd", "fixme")
_PREFIX_INITIALS: Final = frozenset(prefix[0] for prefix in PLACEHOLDER_PREFIXES)
_LONGEST_PLACEHOLDER: Final = max(map(len, PLACEHOLDERS))  # a longer text is none: no hashing


class FrontMatter(NamedTuple):
    text: str  # the YAML between the fences, without them
    line: int  # 1-based line of the first YAML line: YAML line n is file line n + line - 1
    end_line: int  # 1-based line of the closing fence


class Heading(NamedTuple):
    title: str  # as written, inline markup kept
    level: int  # 1-6 for ATX/setext/HTML headings; 7 for a bold-label pseudo-heading
    line: int  # 1-based


class Section(NamedTuple):
    heading: Heading
    filled: bool
    first_content_line: int | None  # first line that counts as real content


class Link(NamedTuple):
    target: str  # as written (without <> and backslash escapes), before any resolution
    line: int


class MarkdownDocument(NamedTuple):
    front_matter: FrontMatter | None
    front_matter_error: str | None
    sections: tuple[Section, ...]
    links: tuple[Link, ...]  # only relative links, in document order


# Line kinds recorded by the scanner; "filled" is decided lazily from them.
_NONE: Final = 0  # never content (blank, comment, fence line, rule, header row, ...)
_TEXT: Final = 1  # prose, list item, block quote, heading remainder
_CODE: Final = 2  # a line of a fenced or indented code block
_ROW: Final = 3  # a table body row

# Paragraph state: what the previous line left open (setext, lazy continuation, tables).
_P_NONE: Final = 0  # nothing open: blank line, heading, code, rule, comment
_P_PLAIN: Final = 1  # a plain paragraph (may become a setext heading or a table header)
_P_LIST: Final = 2  # a paragraph started by a list item
_P_OTHER: Final = 3  # block quote, HTML, table rows
_P_LABEL: Final = 4  # text after a bold label (another label may follow directly)

# First characters of a line that _line / _block treat as more than prose (with digits).
_BLOCK_STARTS: Final = frozenset(" \t#`~-=*_+:|<>[!?")
_PUNCT: Final = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~ \t\u00a0\u2002\u2003\u2009\u200b–—‒―…•·・"
_LIST_ITEM: Final = lazyre.compile(r"(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)")
_TASK_BOX: Final = lazyre.compile(r"\[[ xX]\](?:[ \t]|$)")
_BOLD_LABEL: Final = lazyre.compile(r"(\*{2,3}|_{2,3})(?=[^\s*_])(.*?[^\s*_])\1(:?)")
_REF_DEF: Final = lazyre.compile(r"\[(?!\^)((?:[^\]\\]|\\.){1,999})\]:[ \t]*(?:<([^<>]*)>|(\S+))")
_HTML_HEADING: Final = lazyre.compile(r"<h([1-6])(?:\s[^>]*)?>(.*)</h\1\s*>", re.IGNORECASE)
_HTML_ATTR: Final = lazyre.compile(
    r"(?<![\w-])(?:href|src)[ \t]*=[ \t]*(?:\"([^\"]*)\"|'([^']*)'|([^\s\"'=<>`]+))",
    re.IGNORECASE,
)
# An inline link destination (``<...>`` or bare with one level of balanced parentheses), an
# optional title, then ")".
_INLINE_DESTINATION: Final = lazyre.compile(
    r"[ \t]*(?:<((?:[^<>\\\n]|\\.)*)>|((?:[^\s()\\]|\\.|\((?:[^\s()\\]|\\.)*\))*))"
    r"(?:[ \t]+(?:\"[^\"]*\"|'[^']*'|\([^()]*\)))?[ \t]*\)"
)
# The common case, matched with one character class: no <>, parentheses, escapes or title.
_PLAIN_DESTINATION: Final = lazyre.compile(r"[ \t]*([^\s()<>\\]*)[ \t]*\)")
# A tag name must end at a blank, "/" or ">", so autolinks (<https://x>) are not tags.
_HTML_TAG: Final = lazyre.compile(r"</?([A-Za-z][A-Za-z0-9-]*)(?:[\s/][^<>]*)?>")
_MEDIA_TAGS: Final = frozenset({"img", "picture", "video", "audio", "iframe", "svg", "object"})
_ENTITY: Final = lazyre.compile(
    r"&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});"
)
_TABLE_DELIM: Final = lazyre.compile(r"\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*")
_BACKTICKS: Final = lazyre.compile(r"`+")
_ESCAPED: Final = lazyre.compile(r"\\([!-/:-@\[-`{-~])")
_SCHEME: Final = lazyre.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
_LEADING_NUMBER: Final = lazyre.compile(r"(?:\d+(?:\.\d+)+\.?|\d+[.)]|[a-z][.)])\s+")
_MD_LINK: Final = lazyre.compile(r"!?\[([^\[\]]*)\](?:\([^()]*\)|\[[^\[\]]*\])")
_NON_ALNUM: Final = lazyre.compile(r"[\W_]+")


def parse(text: str) -> MarkdownDocument:
    """Front matter, sections and relative links of a Markdown text; never raises."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.removeprefix("\ufeff").split("\n")
    front_matter, error, body_start = _front_matter(lines)
    scanner = _Scanner(lines)
    scanner.scan(body_start)
    return MarkdownDocument(front_matter, error, scanner.sections(), tuple(scanner.links))


def find_section(doc: MarkdownDocument, names: Sequence[str]) -> Section | None:
    """The first section whose normalized title equals a normalized name.

    A trailing ``s`` added to or removed from the title counts as equal (``Intended uses``
    matches ``Intended use``); nothing fuzzier.
    """
    if isinstance(names, str):  # a lone name is a Sequence[str] too; don't match letters
        names = (names,)
    wanted: set[str] = set()
    for name in names:
        key = _normalized(name)
        if key:
            wanted.update((key, key + "s"))
            if key.endswith("s") and len(key) > 1:
                wanted.add(key[:-1])
    for section in doc.sections:
        if _normalized(section.heading.title) in wanted:
            return section
    return None


def normalize_title(title: str) -> str:
    """Lowercase words of a title: markup, link targets, numbering and punctuation dropped."""
    if "[" in title:
        title = _MD_LINK.sub(r"\1", title)
    if "<" in title:
        title = _HTML_TAG.sub(" ", title)
    text = title.lower().replace("&", " and ").lstrip(" \t*_`")
    match = _LEADING_NUMBER.match(text)
    if match:
        text = text[match.end() :]
    return _NON_ALNUM.sub(" ", text).strip()


_normalized = functools.lru_cache(maxsize=4096)(normalize_title)


def link_path(target: str) -> str:
    """The path part of a link target: no ``#fragment`` or ``?query``, percent-decoded."""
    path = target.split("#", 1)[0].split("?", 1)[0]
    return unquote(path) if path else ""


def _front_matter(lines: list[str]) -> tuple[FrontMatter | None, str | None, int]:
    """(front matter, error, index of the first body line)."""
    first = lines[0].rstrip(" \t")
    if first == "+++":
        closing = _find_line(lines, ("+++",))
        return None, "TOML front matter (+++) is not supported", 0 if closing < 0 else closing + 1
    if first != "---":
        return None, None, 0
    closing = _find_line(lines, ("---", "..."))
    if closing < 0:
        return None, "front matter opened at line 1 is never closed", 0
    return FrontMatter("\n".join(lines[1:closing]), 2, closing + 1), None, closing + 1


def _find_line(lines: list[str], fences: tuple[str, ...]) -> int:
    for index in range(1, len(lines)):
        if lines[index].rstrip(" \t") in fences:
            return index
    return -1


class _Scanner:
    """One pass over the body lines: records headings, links and each line's kind."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.kinds = [_NONE] * len(lines)
        self.texts = [""] * len(lines)
        self.headings: list[tuple[int, Heading]] = []
        self.links: list[Link] = []
        self.fence = ""  # the opening fence run while inside a fenced code block
        self.fence_indent = 0
        self.in_comment = False
        self.para = _P_NONE
        self.para_start = 0
        self.container = False  # inside a list item or admonition: indented lines continue it
        self.in_table = False
        self.open_bracket = False  # the previous line left a "[" open (link text over lines)

    def scan(self, start: int) -> None:
        lines, kinds, texts = self.lines, self.kinds, self.texts
        for index in range(start, len(lines)):
            line = lines[index]
            if self.fence:
                self._fenced_line(index, line)
            elif self.in_comment:
                self._comment_line(index, line)
            elif not line:  # what _line does with a blank line, most lines of a card
                self.para = _P_NONE
                self.in_table = self.open_bracket = False
            elif (
                line[0] not in _BLOCK_STARTS
                and not line[0].isdigit()
                and not self.in_table
                and "<!--" not in line
            ):
                # A line of prose at the margin (what _line and _block make of it, by _text):
                # no heading, fence, marker, list item, quote, HTML, reference or comment.
                if self.para == _P_NONE:
                    self.para = _P_PLAIN
                    self.para_start = index
                    self.container = False
                kinds[index] = _TEXT
                texts[index] = line
                if "[" in line or "]" in line or "=" in line:  # else _links finds nothing
                    self._links(index, line)
            elif "<!--" in line or line[0] in " \t":
                self._line(index, line)
            elif self.in_table:
                if "|" in line:  # a table row at the margin (what _block makes of it)
                    kinds[index] = _ROW
                    texts[index] = line
                    self._links(index, line)
                else:
                    self._line(index, line)
            elif line[0] != "#" or not self._atx(index, line):
                self._line(index, line)  # (an ATX heading at the margin is what _block makes)

    def _fenced_line(self, index: int, line: str) -> None:
        stripped = line.lstrip(" \t")
        if (
            stripped.startswith(self.fence)
            and not stripped.rstrip().strip(self.fence[0])
            and len(line) - len(stripped) <= self.fence_indent + 3
        ):
            self.fence = ""
            self.para = _P_NONE
        else:
            self.kinds[index] = _CODE
            self.texts[index] = line

    def _comment_line(self, index: int, line: str) -> None:
        end = line.find("-->")
        if end < 0:
            return
        self.in_comment = False
        self.para = _P_NONE
        rest = line[end + 3 :]
        if "<!--" in rest:
            rest = self._cut_comments(rest)
        if rest.strip():
            self.kinds[index] = _TEXT
            self.texts[index] = rest
            self._links(index, rest)

    def _line(self, index: int, line: str) -> None:
        text = line.lstrip(" \t")
        if not text:
            self.para = _P_NONE
            self.in_table = self.open_bracket = False
            return
        indent = len(line) - len(text)
        if indent and "\t" in line[:indent]:
            indent = len(line[:indent].expandtabs(4))
        if indent >= 4 and self.para == _P_NONE and not self.container:
            self.kinds[index] = _CODE  # indented code: no headings, no links
            self.texts[index] = text
            return
        if "<!--" in text:
            text = self._cut_comments(text).lstrip(" \t")
            if not text.strip():
                self.para = _P_NONE  # an HTML comment is a block of its own
                return
        if indent >= 4:
            self._indented(index, text, indent)
        else:
            self._block(index, text, indent)

    def _indented(self, index: int, text: str, indent: int) -> None:
        """A 4+ space line continuing a paragraph, list item or admonition."""
        fence_allowed = self.container and self.para == _P_NONE and text[0] in "`~"
        if fence_allowed and self._open_fence(index, text, indent):
            return
        if _LIST_ITEM.match(text):
            self.para = _P_LIST
        self._text(index, text)

    def _block(self, index: int, text: str, indent: int) -> None:
        first = text[0]
        if self.in_table:
            if "|" in text:
                self.kinds[index] = _ROW
                self.texts[index] = text
                self._links(index, text)
                return
            self.in_table = False
        if first == "#":
            if self._atx(index, text):
                return
        elif first in "`~":
            if self._open_fence(index, text, indent):
                return
        elif first in "-=*_+:|":
            if self._marker_line(index, text):
                return
        elif first.isdigit():
            if _LIST_ITEM.match(text):
                self._list_item(index, text)
                return
        elif first in "<>":
            if first == "<" and self._html_heading(index, text):
                return
            self.para = _P_OTHER  # block quotes and HTML blocks interrupt a paragraph
            self._text(index, text)
            return
        elif first == "[":
            if self._reference(index, text):
                return
        elif first in "!?" and text[:3] in ("!!!", "???"):
            self.para = _P_OTHER
            self.container = True  # a MkDocs admonition: its indented body is not code
            self._text(index, text)
            return
        self._text(index, text, _P_PLAIN, indent)

    def _marker_line(self, index: int, text: str) -> bool:
        """Lines starting with - = * _ + : |: table delimiter, setext, rule, list, bold label."""
        first = text[0]
        if "|" in text and self._table_delimiter(index, text):
            return True
        if first in "=-" and self.para == _P_PLAIN and not text.rstrip().strip(first):
            self._setext(index, 1 if first == "=" else 2)
            return True
        if first in "-*_" and not text.strip(first + " \t") and text.count(first) >= 3:
            self.para = _P_NONE  # thematic break
            self.container = False
            return True
        if first in "-*+" and _LIST_ITEM.match(text):
            self._list_item(index, text)
            return True
        if first in "*_" and text[1:2] == first:
            return self._bold_label(index, text)
        return False

    def _text(self, index: int, text: str, kind: int = _P_PLAIN, indent: int = 4) -> None:
        if self.para == _P_NONE:
            self.para = kind
            self.para_start = index
            if indent < 2 and kind == _P_PLAIN:
                self.container = False
        self.kinds[index] = _TEXT
        self.texts[index] = text
        self._links(index, text)

    def _list_item(self, index: int, text: str) -> None:
        self.para = _P_LIST
        self.container = True
        self.kinds[index] = _TEXT
        self.texts[index] = text
        self._links(index, text)

    def _heading(self, index: int, title: str, level: int, rest: str = "") -> None:
        self.headings.append((index, Heading(title, level, index + 1)))
        self.para = _P_LABEL if rest.strip() else _P_NONE
        self.container = False
        if rest:
            self.kinds[index] = _TEXT
            self.texts[index] = rest

    def _atx(self, index: int, text: str) -> bool:
        level = len(text) - len(text.lstrip("#"))
        rest = text[level:]
        if level > 6 or (rest and rest[0] not in " \t"):
            return False
        title = rest.strip(" \t")
        if title.endswith("#"):
            bare = title.rstrip("#")
            if not bare:
                title = ""
            elif bare[-1] in " \t":
                title = bare.rstrip(" \t")
        self._heading(index, title, level)
        if "[" in text or "]" in text or "=" in text:  # else _links finds nothing
            self._links(index, text)
        return True

    def _setext(self, index: int, level: int) -> None:
        start = self.para_start
        title = " ".join(self.texts[i].strip() for i in range(start, index))
        for i in range(start, index):
            self.kinds[i] = _NONE
        self._heading(start, title, level)

    def _html_heading(self, index: int, text: str) -> bool:
        match = _HTML_HEADING.fullmatch(text.rstrip())
        if not match:
            return False
        title = _HTML_TAG.sub("", match.group(2)).strip()
        if not title:
            return False
        self._heading(index, title, int(match.group(1)))
        self._links(index, text)
        return True

    def _bold_label(self, index: int, text: str) -> bool:
        if self.para not in (_P_NONE, _P_LABEL) or self._underlined(index):
            return False
        match = _BOLD_LABEL.match(text)
        if not match:
            return False
        inner, rest = match.group(2), text[match.end() :]
        if match.group(3) or inner.endswith(":"):
            title = inner[:-1].rstrip() if inner.endswith(":") else inner
        elif not rest.strip() and inner[-1] not in ".!?":
            title = inner
        else:
            return False
        self._heading(index, title, 7, rest)
        self._links(index, text)
        return True

    def _underlined(self, index: int) -> bool:
        """Whether the next line would make this one a setext heading."""
        if index + 1 >= len(self.lines):
            return False
        following = self.lines[index + 1].strip()
        return bool(following) and following[0] in "=-" and not following.strip(following[0])

    def _open_fence(self, index: int, text: str, indent: int) -> bool:
        char = text[0]
        size = len(text) - len(text.lstrip(char))
        if size < 3 or (char == "`" and "`" in text[size:]):
            return False
        self.fence = text[:size]
        self.fence_indent = indent
        self.para = _P_NONE
        if indent < 2:
            self.container = False
        return True

    def _table_delimiter(self, index: int, text: str) -> bool:
        if self.para != _P_PLAIN or index == 0 or "|" not in self.texts[index - 1]:
            return False
        if not _TABLE_DELIM.fullmatch(text):
            return False
        self.kinds[index - 1] = _NONE  # the header row names columns; it is not content
        self.in_table = True
        self.para = _P_OTHER
        return True

    def _reference(self, index: int, text: str) -> bool:
        match = _REF_DEF.match(text) if self.para == _P_NONE else None
        if not match:
            return False
        target = match.group(2) if match.group(2) is not None else match.group(3)
        self._add_link(_unescape(target), index)
        return True

    def _cut_comments(self, text: str) -> str:
        """The line without its HTML comments; an unclosed one runs on to later lines."""
        scan = _blank_code_spans(text) if "`" in text else text
        parts: list[str] = []
        pos = 0
        while True:
            start = scan.find("<!--", pos)
            if start < 0:
                parts.append(text[pos:])
                break
            parts.append(text[pos:start])
            end = scan.find("-->", start + 2)
            if end < 0:
                self.in_comment = True
                break
            pos = end + 3
        return "".join(parts)

    def _links(self, index: int, text: str) -> None:
        inline = "](" in text
        attributes = "=" in text and _has_attribute_name(text)
        if inline or attributes:
            scan = _blank_code_spans(text) if "`" in text else text
            if inline:
                self._inline_links(index, scan)
            if attributes:
                for match in _HTML_ATTR.finditer(scan):
                    self._add_link(match.group(1) or match.group(2) or match.group(3) or "", index)
        if "[" in text or "]" in text:
            self.open_bracket = text.rfind("[") > text.rfind("]")

    def _inline_links(self, index: int, text: str) -> None:
        first_open = text.find("[")
        pos = text.find("](")
        while pos >= 0:
            resume = pos + 2
            # "](" closes link text only if a "[" opened it (maybe on an earlier line).
            found = (
                _destination(text, resume) if 0 <= first_open < pos or self.open_bracket else None
            )
            if found:
                self._add_link(found[0], index)
                resume = found[1]
            pos = text.find("](", resume)

    def _add_link(self, target: str, index: int) -> None:
        if (
            target
            and target[0] != "#"
            and not target.startswith("//")
            and not _SCHEME.match(target)
            and "{{" not in target
            and "{%" not in target
        ):
            self.links.append(Link(target, index + 1))

    def sections(self) -> tuple[Section, ...]:
        headings = self.headings
        ends = [len(self.lines)] * len(headings)
        open_sections: list[int] = []
        for number, (index, heading) in enumerate(headings):
            while open_sections and headings[open_sections[-1]][1].level >= heading.level:
                ends[open_sections.pop()] = index
            open_sections.append(number)
        verdicts = [-1] * len(self.lines)  # per line: -1 unknown, 0 not content, 1 content
        result = []
        for number, (index, heading) in enumerate(headings):
            first = self._first_content(index, ends[number], verdicts)
            line = None if first is None else first + 1
            result.append(Section(heading, first is not None, line))
        return tuple(result)

    def _first_content(self, start: int, end: int, verdicts: list[int]) -> int | None:
        kinds, texts = self.kinds, self.texts
        for index in range(start, end):
            verdict = verdicts[index]
            if verdict < 0:
                kind = kinds[index]
                if kind == _TEXT:
                    verdict = _prose_is_content(texts[index])
                elif kind == _CODE:
                    verdict = _code_is_content(texts[index])
                elif kind == _ROW:
                    verdict = _row_is_content(texts[index])
                else:
                    verdict = 0
                verdicts[index] = verdict
            if verdict:
                return index
        return None


def _prose_is_content(text: str) -> int:
    """1 if a prose line (list item, quote, heading remainder) holds real content, else 0."""
    if "{" in text:
        text = _strip_templates(text)
    if "<" in text:
        text = _HTML_TAG.sub(_tag_stand_in, text)
    if "&" in text:
        text = _ENTITY.sub(" ", text)
    text = text.strip()
    first = text[:1]
    if first.isalpha():  # prose, the usual line: no quote, list, task box or bold label
        return _words_are_content(text)
    if first == ">":
        text = text.lstrip("> \t")  # (nested) block-quote markers
        first = text[:1]
    if first in ("-", "*", "+") or first.isdigit():
        match = _LIST_ITEM.match(text)
        if match:
            text = text[match.end() :].lstrip()
    if text.startswith("["):
        match = _TASK_BOX.match(text)
        if match:
            text = text[match.end() :]
    if text.startswith(("**", "__")):
        match = _BOLD_LABEL.match(text)
        if match and (match.group(3) or match.group(2).endswith(":")):
            text = text[match.end() :]  # "**Key:** value": only the value can be content
    return _words_are_content(text)


def _code_is_content(line: str) -> int:
    text = _strip_templates(line) if "{" in line else line
    return _words_are_content(text.strip(), markup=False)


def _row_is_content(row: str) -> int:
    cells = row.replace("\\|", "").strip().strip("|").split("|")
    return int(all(_prose_is_content(cell) for cell in cells))


def _words_are_content(text: str, markup: bool = True) -> int:
    if markup and ("*" in text or "_" in text or "`" in text or "~" in text):
        text = text.replace("*", "").replace("_", "").replace("`", "").replace("~", "")
    core = text.strip(_PUNCT)
    if not core:
        return 0
    lowered = core.lower()
    if (len(lowered) <= _LONGEST_PLACEHOLDER and lowered in PLACEHOLDERS) or (
        "lorem ipsum" in lowered
    ):
        return 0
    if "made aware" in lowered or "information needed" in lowered:
        sentences = [part.strip(_PUNCT) for part in lowered.split(". ")]
        if all(not part or part in BOILERPLATE or part in PLACEHOLDERS for part in sentences):
            return 0
    if lowered[:1] in _PREFIX_INITIALS:
        for prefix in PLACEHOLDER_PREFIXES:
            if lowered.startswith(prefix) and lowered[len(prefix) : len(prefix) + 1] in ":- \t":
                return 0
    return 1


def _tag_stand_in(match: re.Match[str]) -> str:
    # An image or video is content; <br>, <details>, <div> and friends are layout.
    return " media " if match.group(1).lower() in _MEDIA_TAGS else " "


def _strip_templates(text: str) -> str:
    """Drop Jinja-style ``{{ }}``, ``{% %}`` and ``{# #}``; an unclosed one runs to the end."""
    parts: list[str] = []
    pos = 0
    while True:
        start = text.find("{", pos)
        while start >= 0 and text[start + 1 : start + 2] not in ("{", "%", "#"):
            start = text.find("{", start + 1)
        if start < 0:
            parts.append(text[pos:])
            break
        parts.append(text[pos:start])
        closer = "}}" if text[start + 1] == "{" else text[start + 1] + "}"
        end = text.find(closer, start + 2)
        if end < 0:
            break
        pos = end + 2
    return "".join(parts)


def _has_attribute_name(text: str) -> bool:
    lowered = text.lower()
    return "href" in lowered or "src" in lowered


def _blank_code_spans(text: str) -> str:
    """The text with each code span replaced by spaces of the same length."""
    if "``" not in text:  # the common case: single backticks, paired left to right
        parts = text.split("`")
        if len(parts) % 2 == 0:  # an odd backtick count: the last one is a literal
            last = parts.pop()
            parts[-1] += "`" + last
        return "".join(
            part if number % 2 == 0 else " " * (len(part) + 2) for number, part in enumerate(parts)
        )
    runs = [(m.start(), m.end()) for m in _BACKTICKS.finditer(text)]
    closer: list[int] = [-1] * len(runs)
    last_seen: dict[int, int] = {}
    for number in range(len(runs) - 1, -1, -1):  # next run of the same length, if any
        size = runs[number][1] - runs[number][0]
        closer[number] = last_seen.get(size, -1)
        last_seen[size] = number
    parts = []
    pos = number = 0
    while number < len(runs):
        partner = closer[number]
        if partner < 0:
            number += 1
            continue
        start, end = runs[number][0], runs[partner][1]
        parts.append(text[pos:start])
        parts.append(" " * (end - start))
        pos = end
        number = partner + 1
    parts.append(text[pos:])
    return "".join(parts)


def _destination(text: str, pos: int) -> tuple[str, int] | None:
    """The inline link destination at ``pos`` (just after ``](``) and the end of the link."""
    match = _PLAIN_DESTINATION.match(text, pos)
    if match:
        return match.group(1), match.end()
    match = _INLINE_DESTINATION.match(text, pos)
    if not match:
        return None
    angled, bare = match.groups()
    return _unescape(angled if angled is not None else bare), match.end()


def _unescape(target: str) -> str:
    return _ESCAPED.sub(r"\1", target) if "\\" in target else target

"""The text of a Markdown section, and the tables in it, for documents that quote a card.

`markdown.parse` tells where sections are and whether they are filled; this module cuts a
section's own words out of the file so that a bill of materials can carry them. A section runs
from the line after its heading to the next heading of the same or a higher level, as
`markdown` counts it (subsections belong to their parent). A bold label (level 7) keeps the text
that follows it on its own line.
"""

from __future__ import annotations

import re

from roadworthy import lazyre
from roadworthy.formats.markdown import MarkdownDocument, Section
from roadworthy.records import NamedTuple

_COMMENT = lazyre.compile(r"<!--.*?-->", re.S)
_LABEL = lazyre.compile(r"\s*(\*{2,3}|_{2,3}).*?\1:?")
_SETEXT = lazyre.compile(r" {0,3}(=+|-+)[ \t]*")
_DELIMITER = lazyre.compile(r"\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*")


class Table(NamedTuple):
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


def section_text(text: str, doc: MarkdownDocument, section: Section) -> str:
    """The section's body as written, without HTML comments and surrounding blank lines."""
    lines = text.splitlines()
    start = section.heading.line  # 1-based heading line: the body starts on the next index
    end = len(lines)
    found = False
    for other in doc.sections:
        if found and other.heading.level <= section.heading.level:
            end = other.heading.line - 1
            break
        found = found or other is section
    body = lines[start:end]
    if body and section.heading.level <= 2 and _SETEXT.fullmatch(body[0]):
        body = body[1:]  # the underline of a setext heading
    if section.heading.level == 7:
        first = _LABEL.sub("", lines[start - 1], count=1).strip()
        body = [first, *body] if first else body
    return _COMMENT.sub("", "\n".join(body)).strip()


def tables(body: str) -> tuple[Table, ...]:
    """Pipe tables of a section body: a header row, a delimiter row, then body rows."""
    lines = body.splitlines()
    found: list[Table] = []
    index = 1
    while index < len(lines):
        if "|" in lines[index - 1] and _DELIMITER.fullmatch(lines[index].strip()):
            header = _cells(lines[index - 1])
            rows: list[tuple[str, ...]] = []
            index += 1
            while index < len(lines) and "|" in lines[index]:
                rows.append(_cells(lines[index]))
                index += 1
            found.append(Table(header, tuple(rows)))
        index += 1
    return tuple(found)


def _cells(row: str) -> tuple[str, ...]:
    inner = row.strip()
    inner = inner.removeprefix("|").removesuffix("|")
    # An escaped pipe is part of a cell, not a column boundary.
    return tuple(cell.strip().replace("\0", "|") for cell in inner.replace("\\|", "\0").split("|"))

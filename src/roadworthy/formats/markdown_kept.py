"""What a Markdown text parses to (`markdown.parse`), kept between runs beside the YAML documents.

A full check parses every model card and runbook of the repository: 9,001 cards were 0.48 s of
a 500k-file check's 4.6 s on one core, each parsed again though none had changed. The store
`yamlio` keeps parsed YAML in (`workspace.parsecache`: the user's cache, a file signed with
the user's key, a repository's own file for a full check, nothing in a CI job) keeps each
Markdown document too, as plain tuples under the digest of its text and of the parsing code,
so an edit of the scanner is a new key. What is read back is checked to have a parse's shape,
field by field, before it is used; anything else is parsed afresh.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path
from typing import Any, Protocol, cast, runtime_checkable

from roadworthy.formats import codestamp, markdown, yamlio
from roadworthy.formats.markdown import FrontMatter, Heading, Link, MarkdownDocument, Section

KIND = 2  # an entry's first item: 0 and 1 are a YAML parse's data and error (parsecache)


@runtime_checkable
class Store(Protocol):
    """A store that keeps entries other than YAML parses (`ParseCache`)."""

    def get_other(self, key: str) -> Any: ...

    def put_other(self, key: str, value: tuple[Any, ...]) -> None: ...


def parse(text: str) -> MarkdownDocument:
    """`markdown.parse`, from the kept document when there is one."""
    store = yamlio.installed()
    if store is None or not _keeps_others(type(store)):
        return markdown.parse(text)
    others = cast(Store, store)  # what _keeps_others said of its class
    key = _key(text)
    kept = _document(others.get_other(key))
    if kept is not None:
        return kept
    document = markdown.parse(text)
    others.put_other(key, _plain(document))
    return document


@functools.cache
def _keeps_others(kind: type) -> bool:
    """Whether a store of this class keeps other entries: asked once per class, as
    ``isinstance`` against a protocol costs ten microseconds a call (9,000 cards at 500k)."""
    return issubclass(kind, Store)


def _key(text: str) -> str:
    return hashlib.sha256(
        f"markdown\0{_code()}\0{text}".encode("utf-8", "surrogatepass")
    ).hexdigest()


@functools.cache
def _code() -> str:
    """A digest of the code a document comes from: the scanner and this module."""
    here = Path(__file__).parent
    return codestamp.digest((here / "markdown.py", here / "markdown_kept.py"))


def _plain(doc: MarkdownDocument) -> tuple[Any, ...]:
    # marshal writes plain tuples only, not the record classes.
    front = None if doc.front_matter is None else tuple(doc.front_matter)
    sections = tuple((tuple(s.heading), s.filled, s.first_content_line) for s in doc.sections)
    return (KIND, front, doc.front_matter_error, sections, tuple(map(tuple, doc.links)))


def _document(value: Any) -> MarkdownDocument | None:
    """The document ``value`` holds, if it has the shape `_plain` gives one; else None."""
    if type(value) is not tuple or len(value) != 5 or value[0] != KIND:
        return None
    _, front, error, sections, links = value
    if front is not None and not _is(front, (str, int, int)):
        return None
    if error is not None and type(error) is not str:
        return None
    if type(sections) is not tuple or type(links) is not tuple:
        return None
    made: list[Section] = []
    for section in sections:
        if type(section) is not tuple or len(section) != 3:
            return None
        heading, filled, first = section
        if not _is(heading, (str, int, int)) or type(filled) is not bool:
            return None
        if first is not None and type(first) is not int:
            return None
        made.append(Section(Heading(*heading), filled, first))
    if not all(_is(link, (str, int)) for link in links):
        return None
    return MarkdownDocument(
        None if front is None else FrontMatter(*front),
        error,
        tuple(made),
        tuple(Link(*link) for link in links),
    )


def _is(value: Any, types: tuple[type, ...]) -> bool:
    """Whether ``value`` is a plain tuple of exactly these types (bool is no int here)."""
    return (
        type(value) is tuple
        and len(value) == len(types)
        and all(type(v) is t for v, t in zip(value, types, strict=True))
    )

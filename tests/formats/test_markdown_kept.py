"""markdown_kept: a Markdown text kept parsed between runs gives exactly what `markdown.parse`
gives, for the corpus's real model cards and runbooks; an entry without a parse's shape, even
in a file signed with the user's key, is parsed afresh; a change of the scanner is a new key."""

from __future__ import annotations

import marshal
from collections.abc import Iterator
from pathlib import Path

import pytest
from testing.kept import installed_cache, reopened

from roadworthy.formats import markdown, markdown_kept, yamlio
from roadworthy.workspace.parsecache import ParseCache

CARD = (
    "---\nversion: '1.0.0'\nowners: ['@acme/ml']\n---\n# Card\n\n## Intended use\nRanking.\n"
    "## Limitations\nTODO\n**Model type:** tree\n\nSee [eval](eval/report.md) and "
    '<img src="fig.png">.\n'
)
ODD = [
    "",
    "\ufeff# Title\r\n\r\ntext\r\n",
    "+++\ntoml = 1\n+++\n# After\n",
    "---\nunclosed: front matter\n# Heading\n",
    "<h2>Html heading</h2>\n\n```\ncode\n```\n",
    "Setext\n======\n\n| a | b |\n|---|---|\n| | |\n",
]


@pytest.fixture()
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ParseCache]:
    yield from installed_cache(tmp_path / "ours", monkeypatch)


def _refuse_to_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(text: str) -> None:
        raise AssertionError("parsed again: the kept document was not used")

    monkeypatch.setattr(markdown, "parse", fail)


def _texts(corpus: Path) -> list[str]:
    files = sorted((corpus / "model-cards").glob("*.md")) + sorted(
        (corpus / "runbooks").glob("*.md")
    )
    assert len(files) > 40
    return [f.read_text(encoding="utf-8", errors="surrogateescape") for f in files] + ODD


def test_a_kept_document_is_what_a_fresh_parse_gives(store, monkeypatch, corpus) -> None:
    texts = _texts(corpus)
    fresh = [markdown.parse(t) for t in texts]
    assert [markdown_kept.parse(t) for t in texts] == fresh  # parsed, and kept
    store = reopened(store)
    _refuse_to_parse(monkeypatch)
    kept = [markdown_kept.parse(t) for t in texts]
    assert kept == fresh
    # The same record classes, not tuples that merely compare equal.
    assert all(type(d) is markdown.MarkdownDocument for d in kept)
    assert all(type(s.heading) is markdown.Heading for d in kept for s in d.sections)
    assert all(type(link) is markdown.Link for d in kept for link in d.links)
    with_front = [d for d in kept if d.front_matter is not None]
    assert with_front and all(type(d.front_matter) is markdown.FrontMatter for d in with_front)


def test_without_a_store_nothing_is_kept(monkeypatch) -> None:
    yamlio.install(None)
    calls: list[str] = []
    real = markdown.parse

    def counted(text: str) -> markdown.MarkdownDocument:
        calls.append(text)
        return real(text)

    monkeypatch.setattr(markdown, "parse", counted)
    assert markdown_kept.parse(CARD) == markdown_kept.parse(CARD) == real(CARD)
    assert len(calls) == 2


class _YamlOnly:
    """A store of YAML parses alone (a test's, a caller's own): it keeps no Markdown."""

    def get(self, key: str, *, anchored: bool = True) -> None:
        return None

    def put(self, key: str, parsed: object) -> None:
        pass


def test_a_store_of_yaml_parses_alone_keeps_no_markdown(monkeypatch) -> None:
    monkeypatch.setattr(yamlio, "_store", _YamlOnly())
    assert markdown_kept.parse(CARD) == markdown.parse(CARD)


@pytest.mark.parametrize(
    "entry",
    [
        pytest.param("not a tuple", id="not-a-tuple"),
        pytest.param((2, None, None, ()), id="four-items"),
        pytest.param((0, None, None, (), ()), id="a-yaml-kind"),
        pytest.param((2, ("x", 1), None, (), ()), id="front-matter-of-two"),
        pytest.param((2, ("x", True, 3), None, (), ()), id="front-matter-line-a-bool"),
        pytest.param((2, None, 5, (), ()), id="error-not-text"),
        pytest.param((2, None, None, [], ()), id="sections-a-list"),
        pytest.param((2, None, None, ((("t", 1, 1), 1, None),), ()), id="filled-not-a-bool"),
        pytest.param((2, None, None, ((("t", 1, 1), True, "3"),), ()), id="first-line-text"),
        pytest.param((2, None, None, ((("t", 1), True, None),), ()), id="heading-of-two"),
        pytest.param((2, None, None, ((b"t", 1, 1), True, None), ()), id="section-of-bytes"),
        pytest.param((2, None, None, (), (("x", 1.5),)), id="link-line-a-float"),
        pytest.param((2, None, None, (), ([("x", 1)])), id="link-a-list"),
    ],
)
def test_an_entry_without_a_parses_shape_is_parsed_afresh(store, entry) -> None:
    """The file is signed with the user's key (a restored CI cache brings the key too): what it
    holds must still be a parse, or it is not used and nothing ends in an internal error."""
    key = markdown_kept._key(CARD)
    store.add(key, entry if isinstance(entry, str) else marshal.dumps(entry))
    store = reopened(store)
    assert markdown_kept.parse(CARD) == markdown.parse(CARD)


def test_a_well_formed_entry_is_believed(store, monkeypatch) -> None:
    """The other side of the test above: the shape check passes what `_plain` writes (a signed
    entry decides what a card says, as a kept YAML document does; docs/security.md)."""
    forged = markdown.parse("# Other\n\ntext\n")
    store.add(markdown_kept._key(CARD), marshal.dumps(markdown_kept._plain(forged)))
    store = reopened(store)
    _refuse_to_parse(monkeypatch)
    assert markdown_kept.parse(CARD) == forged


def test_a_new_scanner_is_a_new_key(monkeypatch) -> None:
    before = markdown_kept._key(CARD)
    markdown_kept._code.cache_clear()
    monkeypatch.setattr(markdown_kept.codestamp, "digest", lambda *a, **k: "another scanner")
    try:
        assert markdown_kept._key(CARD) != before
    finally:
        monkeypatch.undo()
        markdown_kept._code.cache_clear()
    assert markdown_kept._key(CARD) == before


def test_a_yaml_lookup_of_a_markdown_entry_finds_no_document(store) -> None:
    """Both kinds share one file: a YAML key that somehow named a Markdown entry is no parse."""
    key = yamlio._key("a: 1\n", False, 0, yamlio.MAX_NODES)
    store.add(key, marshal.dumps(markdown_kept._plain(markdown.parse(CARD))))
    store = reopened(store)
    assert yamlio.load("a: 1\n").data == {"a": 1}

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from roadworthy.formats.markdown import (
    PLACEHOLDERS,
    MarkdownDocument,
    Section,
    find_section,
    link_path,
    normalize_title,
    parse,
)


def _headings(text: str) -> list[tuple[int, str, int]]:
    return [(s.heading.level, s.heading.title, s.heading.line) for s in parse(text).sections]


def _section(doc: MarkdownDocument, title: str) -> Section:
    for section in doc.sections:
        if section.heading.title == title:
            return section
    raise AssertionError(
        f"no section titled {title!r} in {[s.heading.title for s in doc.sections]}"
    )


def _targets(text: str) -> list[str]:
    return [link.target for link in parse(text).links]


# --- headings -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("# One", [(1, "One", 1)], id="atx-h1"),
        pytest.param("###### Six", [(6, "Six", 1)], id="atx-h6"),
        pytest.param("####### Seven", [], id="atx-too-many-hashes"),
        pytest.param("#hashtag", [], id="atx-needs-space"),
        pytest.param("#\tTabbed", [(1, "Tabbed", 1)], id="atx-tab"),
        pytest.param("#", [(1, "", 1)], id="atx-empty"),
        pytest.param("## Title ##", [(2, "Title", 1)], id="atx-closing-hashes"),
        pytest.param("## C#", [(2, "C#", 1)], id="atx-hash-in-word-kept"),
        pytest.param("   ### Indented", [(3, "Indented", 1)], id="atx-3-spaces"),
        pytest.param("    # Code", [], id="atx-4-spaces-is-code"),
        pytest.param("## Uses <!-- note -->", [(2, "Uses", 1)], id="atx-comment-dropped"),
        pytest.param("## **Bold** `x`", [(2, "**Bold** `x`", 1)], id="atx-markup-kept"),
        pytest.param("Title\n=====", [(1, "Title", 1)], id="setext-h1"),
        pytest.param("Title\n---", [(2, "Title", 1)], id="setext-h2"),
        pytest.param("Two\nlines\n--", [(2, "Two lines", 1)], id="setext-multiline"),
        pytest.param('<h2 class="x">Usage</h2>', [(2, "Usage", 1)], id="html-h2"),
        pytest.param("<H3>A <em>b</em></H3>", [(3, "A b", 1)], id="html-inner-tags"),
        pytest.param('<h1><img src="logo.png"></h1>', [], id="html-empty-title-ignored"),
        pytest.param("<h2>Open\n", [], id="html-not-one-line"),
        pytest.param("**Training Data**", [(7, "Training Data", 1)], id="bold-only"),
        pytest.param("**Limitations:**", [(7, "Limitations", 1)], id="bold-colon-inside"),
        pytest.param("**Model type:** MusicGen", [(7, "Model type", 1)], id="bold-label-text"),
        pytest.param("**Date**: today", [(7, "Date", 1)], id="bold-colon-after"),
        pytest.param("__Training data__:", [(7, "Training data", 1)], id="underscore-label"),
        pytest.param("***Notes:*** *fill*", [(7, "Notes", 1)], id="bold-italic-label"),
        pytest.param(
            "**Date**: a\n**Duration**: b",
            [(7, "Date", 1), (7, "Duration", 2)],
            id="consecutive-labels",
        ),
        pytest.param("**SD 2.1** is a model.", [], id="bold-then-prose"),
        pytest.param("**Read this first.**", [], id="bold-sentence"),
        pytest.param("**A** **B**", [], id="two-bold-spans"),
        pytest.param("Text **Key:** value", [], id="bold-mid-line"),
        pytest.param("Some text\n**Key:** value", [], id="bold-continues-paragraph"),
        pytest.param("- **Key:** value", [], id="bold-in-list-item"),
        pytest.param("> **Note:** value", [], id="bold-in-quote"),
        pytest.param("**Title**\n---", [(2, "**Title**", 1)], id="bold-with-setext-underline"),
        pytest.param("> # Quoted", [], id="heading-in-quote"),
    ],
)
def test_headings(text: str, expected: list[tuple[int, str, int]]) -> None:
    assert _headings(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("Para\n\n---\n", [], id="rule-after-blank"),
        pytest.param("- item\n---\n", [], id="rule-after-list-item"),
        pytest.param("> quote\n---\n", [], id="rule-after-quote"),
        pytest.param("Para\n***\n", [], id="stars-never-setext"),
        pytest.param("Para\n- - -\n", [], id="spaced-dashes-are-a-rule"),
        pytest.param("# T\n---\ntext", [(1, "T", 1)], id="rule-after-heading"),
        pytest.param("a | b\n--|--\n", [], id="table-delimiter-not-setext"),
        pytest.param(
            "---\nk: v\n---\nTitle\n---\n", [(2, "Title", 4)], id="front-matter-then-setext"
        ),
        pytest.param("\n---\nk: v\n---\n", [(2, "k: v", 3)], id="late-dashes-are-markdown"),
    ],
)
def test_setext_front_matter_and_thematic_breaks(
    text: str, expected: list[tuple[int, str, int]]
) -> None:
    assert _headings(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("```\n# hidden\n```\n# shown", id="backticks"),
        pytest.param("~~~ yaml\n# hidden\n~~~\n# shown", id="tildes"),
        pytest.param("````\n```\n# hidden\n```\n````\n# shown", id="longer-fence-wins"),
        pytest.param("```\n# hidden\n~~~\n## hidden\n```\n# shown", id="other-char-no-close"),
        pytest.param("   ```\n# hidden\n   ```\n# shown", id="indented-fence"),
        pytest.param("``` a`b\n# shown", id="backtick-in-info-not-fence"),
        pytest.param("text\n\n    # hidden\n\n# shown", id="indented-code"),
        pytest.param("<!--\n# hidden\n-->\n# shown", id="comment-block"),
        pytest.param("<!-- # hidden -->\n# shown", id="comment-one-line"),
        pytest.param("text <!-- open\n## hidden\nclose -->\n# shown", id="comment-mid-line"),
        pytest.param("Use `<!--` literally\n# shown", id="comment-in-code-span-ignored"),
    ],
)
def test_code_and_comments_hide_headings(text: str) -> None:
    assert [title for _, title, _ in _headings(text)] == ["shown"]


def test_unterminated_fence_and_comment_hide_the_rest() -> None:
    assert _headings("# a\n```\n# b\n# c") == [(1, "a", 1)]
    assert _headings("# a\n<!--\n# b\n# c") == [(1, "a", 1)]


# --- front matter ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "yaml", "line", "end_line"),
    [
        pytest.param("---\na: 1\n---\n# T", "a: 1", 2, 3, id="plain"),
        pytest.param("---\r\na: 1\r\nb: 2\r\n---\r\n# T\r\n", "a: 1\nb: 2", 2, 4, id="crlf"),
        pytest.param("\ufeff---\na: 1\n---\n", "a: 1", 2, 3, id="bom"),
        pytest.param("---  \na: 1\n---\t\n", "a: 1", 2, 3, id="trailing-blanks"),
        pytest.param("---\na: 1\n...\n# T", "a: 1", 2, 3, id="dots-closer"),
        pytest.param("---\n---\n# T", "", 2, 2, id="empty"),
    ],
)
def test_front_matter(text: str, yaml: str, line: int, end_line: int) -> None:
    doc = parse(text)
    assert doc.front_matter is not None
    assert (doc.front_matter.text, doc.front_matter.line, doc.front_matter.end_line) == (
        yaml,
        line,
        end_line,
    )
    assert doc.front_matter_error is None


def test_front_matter_line_mapping_and_headings_after_it() -> None:
    doc = parse("---\ntitle: x\n# yaml comment\n---\n# Body\n")
    assert doc.front_matter is not None
    yaml_lines = doc.front_matter.text.split("\n")
    assert yaml_lines[1] == "# yaml comment"
    assert 2 + doc.front_matter.line - 1 == 3  # YAML line 2 is file line 3
    assert _headings("---\ntitle: x\n# yaml comment\n---\n# Body\n") == [(1, "Body", 5)]


@pytest.mark.parametrize(
    ("text", "error", "headings"),
    [
        pytest.param(
            "---\na: 1\n# Title",
            "front matter opened at line 1 is never closed",
            [(1, "Title", 3)],
            id="unterminated",
        ),
        pytest.param(
            "+++\ntitle = 'x'\n# toml comment\n+++\n# Real",
            "TOML front matter (+++) is not supported",
            [(1, "Real", 5)],
            id="toml",
        ),
        pytest.param("# T\n---\nk: v\n---", None, [(1, "T", 1), (2, "k: v", 3)], id="none"),
        pytest.param("\n---\nk: v\n---", None, [(2, "k: v", 3)], id="not-first-line"),
        pytest.param(" ---\nk: v\n---", None, [(2, "k: v", 2)], id="indented-opener"),
    ],
)
def test_no_front_matter(
    text: str, error: str | None, headings: list[tuple[int, str, int]]
) -> None:
    doc = parse(text)
    assert doc.front_matter is None
    assert doc.front_matter_error == error
    assert _headings(text) == headings


# --- filled ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "filled"),
    [
        pytest.param("Real text.", True, id="prose"),
        pytest.param("", False, id="empty"),
        pytest.param("\n\n   \n", False, id="blank-lines"),
        pytest.param("TODO", False, id="todo"),
        pytest.param("TBD", False, id="tbd"),
        pytest.param("tbc", False, id="tbc-lowercase"),
        pytest.param("FIXME", False, id="fixme"),
        pytest.param("N/A", False, id="n-a"),
        pytest.param("NA", False, id="na"),
        pytest.param("None yet.", False, id="none-yet"),
        pytest.param("[More Information Needed]", False, id="more-info-brackets"),
        pytest.param("More information needed", False, id="more-info-plain"),
        pytest.param("...", False, id="ellipsis"),
        pytest.param("…", False, id="unicode-ellipsis"),
        pytest.param("<!-- describe the data -->", False, id="html-comment"),
        pytest.param("<!--\nmulti-line\n-->", False, id="html-comment-block"),
        pytest.param("{{ training_data | default('x') }}", False, id="jinja-expression"),
        pytest.param("{% if x %}{{ y }}{% endif %}", False, id="jinja-statements"),
        pytest.param("{# jinja comment #}", False, id="jinja-comment"),
        pytest.param("TODO: describe the training data", False, id="todo-colon-text"),
        pytest.param("TBD - after launch", False, id="tbd-dash-text"),
        pytest.param("fixme later", False, id="fixme-space-text"),
        pytest.param("Lorem ipsum dolor sit amet.", False, id="lorem-ipsum"),
        pytest.param("**TBD**", False, id="bold-placeholder"),
        pytest.param("_TODO_: write", False, id="emphasised-todo-prefix"),
        pytest.param("- TODO\n- N/A", False, id="list-placeholders"),
        pytest.param("> TBD", False, id="quoted-placeholder"),
        pytest.param("- [ ]", False, id="empty-task"),
        pytest.param("- **Owner:** TBD", False, id="label-with-placeholder"),
        pytest.param("- **Model type:** {{ model_type }}", False, id="label-with-template"),
        pytest.param("---\n***", False, id="thematic-breaks"),
        pytest.param("&emsp;&nbsp;", False, id="entities"),
        pytest.param("<br>\n<details>\n</details>", False, id="layout-tags"),
        pytest.param("[ref]: ./guide.md", False, id="reference-definition"),
        pytest.param("TODOs live in Jira.", True, id="todo-prefix-needs-separator"),
        pytest.param("- **Owner:** Ana", True, id="label-with-value"),
        pytest.param("- [ ] Call the owner", True, id="task-with-text"),
        pytest.param("Model for {{ task }} tasks", True, id="text-around-template"),
        pytest.param('<img src="arch.png">', True, id="image-tag"),
        pytest.param("![diagram](arch.png)", True, id="image"),
        pytest.param("<https://example.com/issues>", True, id="autolink"),
        pytest.param("`pip install x`", True, id="code-span"),
        pytest.param("```\nrun()\n```", True, id="fenced-code"),
        pytest.param("```\n```", False, id="empty-fence"),
        pytest.param("```\n{{ get_started_code }}\n```", False, id="fence-only-template"),
        pytest.param("Intro:\n\n    run()", True, id="indented-code"),
        pytest.param("| A | B |\n|---|---|\n| 1 | 2 |", True, id="table-real-cells"),
        pytest.param("| A | B |\n|---|---|\n| TBD | N/A |", False, id="table-placeholder-cells"),
        pytest.param("| Field | Value |\n|--|--|\n| Owner | &emsp; |", False, id="table-form"),
        pytest.param("| A | B |\n|---|---|", False, id="table-header-only"),
    ],
)
def test_filled(body: str, filled: bool) -> None:
    doc = parse(f"## Section\n{body}\n## Next\nNext text.")
    section = doc.sections[0]
    assert section.filled is filled
    assert (section.first_content_line is not None) is filled


def test_placeholder_list_is_documented_constant() -> None:
    assert {"todo", "tbd", "tbc", "fixme", "n/a", "na", "none yet"} <= PLACEHOLDERS
    assert "more information needed" in PLACEHOLDERS


def test_subsection_content_counts_for_parent() -> None:
    doc = parse("## Uses\n### Direct use\n\nText here.\n## Limitations\n### Known\nTBD\n")
    assert _section(doc, "Uses").filled
    assert _section(doc, "Uses").first_content_line == 4
    assert _section(doc, "Direct use").first_content_line == 4
    assert not _section(doc, "Limitations").filled
    assert not _section(doc, "Known").filled


def test_section_ends_at_same_or_higher_level() -> None:
    doc = parse("# A\n## B\ntext\n# C\n## D\n### E\n## F\nf text")
    assert [s.filled for s in doc.sections] == [True, True, True, False, False, True]


def test_bold_label_text_is_content_of_its_section() -> None:
    doc = parse("## Details\n\n**Model type:** MusicGen\n\n**Limitations:**\n\n- No vocals\n")
    assert _section(doc, "Details").first_content_line == 3
    assert _section(doc, "Model type").first_content_line == 3
    assert _section(doc, "Limitations").first_content_line == 7


def test_bold_label_without_value_is_not_content_of_parent() -> None:
    doc = parse("## Citation\n\n**BibTeX:**\n\n{{ citation_bibtex }}\n")
    assert not _section(doc, "Citation").filled
    assert not _section(doc, "BibTeX").filled


# --- links ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("[a](docs/x.md)", ["docs/x.md"], id="inline"),
        pytest.param("![i](img/a.png)", ["img/a.png"], id="image"),
        pytest.param('[a](x.md "Title")', ["x.md"], id="double-quoted-title"),
        pytest.param("[a](x.md 'Title')", ["x.md"], id="single-quoted-title"),
        pytest.param("[a](x.md (Title))", ["x.md"], id="paren-title"),
        pytest.param("[a](<my file.md>)", ["my file.md"], id="angle-brackets"),
        pytest.param("[a](foo(1).md)", ["foo(1).md"], id="balanced-parens"),
        pytest.param(r"[a](foo\)bar.md)", ["foo)bar.md"], id="backslash-escape"),
        pytest.param("[a](x.md#part)", ["x.md#part"], id="fragment-kept"),
        pytest.param("[a](x%20y.md?raw=1)", ["x%20y.md?raw=1"], id="query-kept"),
        pytest.param("[a](/docs/x.md)", ["/docs/x.md"], id="root-relative"),
        pytest.param("[a](a.md) and [b](b.md)", ["a.md", "b.md"], id="two-on-a-line"),
        pytest.param(
            "[![b](badge.svg)](docs/index.md)", ["badge.svg", "docs/index.md"], id="badge"
        ),
        pytest.param("- see [a](list.md)", ["list.md"], id="in-list-item"),
        pytest.param("| x | [a](cell.md) |", ["cell.md"], id="in-table"),
        pytest.param("## [Guide](guide.md)", ["guide.md"], id="in-heading"),
        pytest.param("[ref]: ./guide.md", ["./guide.md"], id="reference-definition"),
        pytest.param('[ref]: <./a b.md> "T"', ["./a b.md"], id="reference-angle"),
        pytest.param('<a href="runbook.md">x</a>', ["runbook.md"], id="href-double"),
        pytest.param("<img src='img/x.png'>", ["img/x.png"], id="src-single"),
        pytest.param("<img SRC=img/x.png>", ["img/x.png"], id="src-unquoted"),
        pytest.param("[a](http://x.org/a.md)", [], id="http"),
        pytest.param("[a](https://x.org)", [], id="https"),
        pytest.param("[a](mailto:a@b.org)", [], id="mailto"),
        pytest.param("![a](data:image/png;base64,AAAA)", [], id="data-uri"),
        pytest.param("[a](//cdn.example.org/x.js)", [], id="protocol-relative"),
        pytest.param("[a](#section)", [], id="pure-fragment"),
        pytest.param("[a]()", [], id="empty"),
        pytest.param("<https://example.org>", [], id="autolink"),
        pytest.param('<a href="#top">x</a>', [], id="href-fragment"),
        pytest.param("[a]({{ url }})", [], id="template"),
        pytest.param("[a] (x.md)", [], id="space-before-paren"),
        pytest.param("`[a](code.md)`", [], id="code-span"),
        pytest.param("``[a](`x`.md)``", [], id="double-backtick-code-span"),
        pytest.param("```\n[a](fenced.md)\n```", [], id="fenced-code"),
        pytest.param("Intro\n\n    [a](indented.md)", [], id="indented-code"),
        pytest.param("<!-- [a](commented.md) -->", [], id="html-comment"),
        pytest.param("---\nurl: '[a](fm.md)'\n---\n", [], id="front-matter"),
        pytest.param("[^1]: a footnote", [], id="footnote-definition"),
    ],
)
def test_links(text: str, expected: list[str]) -> None:
    assert _targets(text) == expected


def test_link_lines() -> None:
    doc = parse("# T\n\n[a](a.md)\n\n[multi\nline text](b.md)\n\n[r]: c.md\n")
    assert [(link.target, link.line) for link in doc.links] == [
        ("a.md", 3),
        ("b.md", 6),
        ("c.md", 8),
    ]


@pytest.mark.parametrize(
    ("target", "path"),
    [
        pytest.param("x.md", "x.md", id="plain"),
        pytest.param("x.md#sec", "x.md", id="fragment"),
        pytest.param("x.md?raw=1#a", "x.md", id="query-and-fragment"),
        pytest.param("my%20file.md", "my file.md", id="percent-decoded"),
        pytest.param("a/%C3%A9.md", "a/é.md", id="utf8-decoded"),
        pytest.param("100%zz.md", "100%zz.md", id="bad-escape-kept"),
        pytest.param("#frag", "", id="only-fragment"),
        pytest.param("?q=1", "", id="only-query"),
        pytest.param("", "", id="empty"),
    ],
)
def test_link_path(target: str, path: str) -> None:
    assert link_path(target) == path


# --- titles ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "normalized"),
    [
        pytest.param("Intended Uses:", "intended uses", id="colon"),
        pytest.param("**Model type:**", "model type", id="bold"),
        pytest.param("`code` _title_", "code title", id="code-and-underscores"),
        pytest.param("1. Introduction", "introduction", id="number-dot"),
        pytest.param("2.3 Scope", "scope", id="dotted-number"),
        pytest.param("A. Appendix", "appendix", id="letter"),
        pytest.param("2023 Results", "2023 results", id="year-kept"),
        pytest.param("Bias, Risks, & Limitations", "bias risks and limitations", id="ampersand"),
        pytest.param("[Model Card](https://x.org) Authors", "model card authors", id="link"),
        pytest.param("<em>HTML</em> title", "html title", id="html-tags"),
        pytest.param("  Évaluation — Données  ", "évaluation données", id="unicode"),
        pytest.param("", "", id="empty"),
    ],
)
def test_normalize_title(title: str, normalized: str) -> None:
    assert normalize_title(title) == normalized


_FIND_DOC = parse(
    "# Card\n## Intended Uses\nx\n## Limitation\ny\n## Use\nz\n## Bias, Risks & Limitations\nw\n"
)


@pytest.mark.parametrize(
    ("names", "title"),
    [
        pytest.param(["Intended use"], "Intended Uses", id="plural-title"),
        pytest.param(["limitations"], "Limitation", id="singular-title"),
        pytest.param(["Model Use", "intended uses:"], "Intended Uses", id="any-of-names"),
        pytest.param(["Bias, risks and limitations"], "Bias, Risks & Limitations", id="and-amp"),
        pytest.param("Use", "Use", id="lone-string-name"),
        pytest.param(["Uses"], "Use", id="plural-name-singular-title"),
        pytest.param(["Risks"], None, id="no-substring-match"),
        pytest.param(["Intended"], None, id="no-prefix-match"),
        pytest.param([], None, id="no-names"),
        pytest.param([""], None, id="empty-name"),
    ],
)
def test_find_section(names: list[str] | str, title: str | None) -> None:
    section = find_section(_FIND_DOC, names)
    assert (section.heading.title if section else None) == title


def test_find_section_returns_first_in_document_order() -> None:
    doc = parse("## Limitations\nTBD\n## Limitation\nreal\n")
    section = find_section(doc, ["limitation"])
    assert section is not None
    assert section.heading.line == 1


# --- robustness -----------------------------------------------------------------------------

_PIECES = [
    "```",
    "~~~",
    "````python",
    "    ",
    "#",
    "## ",
    "###### ",
    "---",
    "===",
    "***",
    "+++",
    "...",
    "<!--",
    "-->",
    "**",
    "__",
    ":",
    "[",
    "]",
    "](",
    "(",
    ")",
    "<",
    ">",
    "|",
    "|---|",
    "- ",
    "1. ",
    "> ",
    "!!! ",
    "{{",
    "}}",
    "{%",
    "%}",
    "`",
    "``",
    "\\",
    "\t",
    "\x00",
    "\r",
    "\ufeff",
    "\u2028",
    "&emsp;",
    '<h2 a="',
    "</h2>",
    'href="',
    "src=",
    "TODO",
    "text",
    "x.md",
    "http://",
    " ",
]


def _random_line(rng: random.Random) -> str:
    if rng.random() < 0.02:
        return rng.choice(_PIECES) * rng.randint(1_000, 20_000)  # a very long line
    return "".join(rng.choice(_PIECES) for _ in range(rng.randint(0, 8)))


def test_fuzz_never_raises_and_keeps_invariants() -> None:
    rng = random.Random(20240611)
    for _ in range(1500):
        text = "\n".join(_random_line(rng) for _ in range(rng.randint(0, 30)))
        doc = parse(text)
        line_count = text.replace("\r\n", "\n").replace("\r", "\n").count("\n") + 1
        heading_lines = [s.heading.line for s in doc.sections]
        assert heading_lines == sorted(set(heading_lines))
        for section in doc.sections:
            assert 1 <= section.heading.line <= line_count
            assert 1 <= section.heading.level <= 7
            assert section.filled is (section.first_content_line is not None)
            if section.first_content_line is not None:
                assert section.heading.line <= section.first_content_line <= line_count
        for link in doc.links:
            assert 1 <= link.line <= line_count
            assert link.target
            link_path(link.target)
        assert (doc.front_matter is None) or (doc.front_matter_error is None)


@pytest.mark.parametrize(
    "piece",
    [
        "](",
        "[",
        "`",
        "``",
        "`a``",
        "{{",
        "{#",
        "<!--",
        "**",
        "__",
        "> ",
        "<h1>",
        'href="',
        "](<",
        '](x "',
        "[a](b\\",
        "| ",
    ],
)
def test_huge_pathological_line_parses(piece: str) -> None:
    # Megabyte lines of one repeated construct (a quadratic block-quote stripping once made
    # these crawl); speed itself is measured by bench/, not asserted here.
    line = piece * 50_000
    doc = parse(f"# T\n{line}\n- {line}x\n| a |\n|---|\n{line}\n")
    assert doc.sections[0].heading.title == "T"


# --- the shared corpus ----------------------------------------------------------------------


def _corpus_docs(corpus: Path) -> dict[str, MarkdownDocument]:
    paths = sorted((corpus / "model-cards").glob("*.md")) + sorted(
        (corpus / "runbooks").glob("*.md")
    )
    assert len(paths) >= 50
    return {path.name: parse(path.read_text(encoding="utf-8")) for path in paths}


def _card(corpus: Path, name: str) -> MarkdownDocument:
    return parse((corpus / "model-cards" / name).read_text(encoding="utf-8"))


def _runbook(corpus: Path, name: str) -> MarkdownDocument:
    return parse((corpus / "runbooks" / name).read_text(encoding="utf-8"))


def test_corpus_parses_and_has_no_broken_front_matter(corpus: Path) -> None:
    docs = _corpus_docs(corpus)
    # No corpus file opens front matter without closing it (wmt19's "---" comes after a
    # blank line, so it is not front matter at all).
    assert {name: doc.front_matter_error for name, doc in docs.items()} == dict.fromkeys(docs)
    scheme = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
    targets = [link.target for doc in docs.values() for link in doc.links]
    assert len(targets) > 50
    assert [t for t in targets if scheme.match(t) or t.startswith(("#", "//"))] == []


def test_corpus_whisper_model_use_is_filled(corpus: Path) -> None:
    doc = _card(corpus, "openai-whisper__model-card.md")
    section = find_section(doc, ["Intended Use", "Model Use", "Evaluated Use"])
    assert section is not None
    assert (section.heading.title, section.heading.level, section.heading.line) == (
        "Model Use",
        2,
        38,
    )
    assert section.first_content_line == 42  # via its "### Evaluated Use" subsection
    limitations = find_section(doc, ["Performance and Limitations"])
    assert limitations is not None and limitations.filled


def test_corpus_hf_template_sections_are_not_filled(corpus: Path) -> None:
    doc = _card(corpus, "hf-hub__templates__modelcard_template.md")
    assert doc.front_matter is not None and "{{ card_data }}" in doc.front_matter.text
    for names in (
        ["Model Details"],
        ["Uses"],
        ["Direct Use"],
        ["Out-of-Scope Use"],
        ["Bias, Risks, and Limitations"],
        ["Training Data"],
        ["Evaluation"],
        ["Model Card Contact"],
        ["BibTeX"],
    ):
        section = find_section(doc, names)
        assert section is not None, names
        assert not section.filled, names
    # The two sections that carry real instructions are filled.
    started = find_section(doc, ["How to Get Started with the Model"])
    assert started is not None and started.first_content_line == 73
    impact = find_section(doc, ["Environmental Impact"])
    assert impact is not None and impact.filled


def test_corpus_crlf_front_matter(corpus: Path) -> None:
    doc = _card(corpus, "hf-hub__fixtures__cards__sample_windows_line_breaks.md")
    assert doc.front_matter is not None
    assert (doc.front_matter.line, doc.front_matter.end_line) == (2, 9)
    assert doc.front_matter.text.startswith("license: mit\nlanguage: eo\n")
    assert "\r" not in doc.front_matter.text
    assert _headings_of(doc) == [(1, "Hello old Windows line breaks", 11)]


def _headings_of(doc: MarkdownDocument) -> list[tuple[int, str, int]]:
    return [(s.heading.level, s.heading.title, s.heading.line) for s in doc.sections]


def test_corpus_musicgen_bold_labels(corpus: Path) -> None:
    doc = _card(corpus, "facebookresearch-audiocraft__model_cards__MUSICGEN_MODEL_CARD.md")
    labels = [s.heading.title for s in doc.sections if s.heading.level == 7]
    assert labels == [
        "Organization developing the model",
        "Model date",
        "Model version",
        "Model type",
        "Paper or resources for more information",
        "Citation details",
        "License",
        "Where to send questions or comments about the model",
        "Primary intended use",
        "Primary intended users",
        "Out-of-scope use cases",
        "Models performance measures",
        "Decision thresholds",
        "Data",
        "Mitigations",
        "Limitations",
        "Biases",
        "Risks and harms",
        "Use cases",
    ]
    limitations = find_section(doc, ["Limitations"])
    assert limitations is not None
    assert (limitations.heading.line, limitations.first_content_line) == (76, 78)
    out_of_scope = find_section(doc, ["Out-of-scope use case"])
    assert out_of_scope is not None and out_of_scope.first_content_line == 29
    assert doc.front_matter is None and doc.front_matter_error is None


def test_corpus_bold_in_prose_is_not_a_heading(corpus: Path) -> None:
    stability = _card(corpus, "Stability-AI-stablediffusion__modelcard.md")
    labels = [s.heading.title for s in stability.sections if s.heading.level == 7]
    assert labels == ["Training Data", "Training Procedure"]  # not "SD-unCLIP 2.1" (line 100)
    rollout = _runbook(corpus, "agentic-field-manual__06-operations__rollout-and-rollback.md")
    assert all("ability to change" not in s.heading.title for s in rollout.sections)
    assert find_section(rollout, ["Version everything that affects output"]) is not None


def test_corpus_no_metadata_fixture(corpus: Path) -> None:
    doc = _card(corpus, "hf-hub__fixtures__cards__sample_no_metadata.md")
    assert doc.front_matter is None and doc.front_matter_error is None
    assert _headings_of(doc) == [(1, "MyCoolModel", 1)]


def test_corpus_blank_line_before_dashes_is_not_front_matter(corpus: Path) -> None:
    doc = _card(corpus, "transformers-model_cards__facebook__wmt19-en-de__README.md")
    assert doc.front_matter is None and doc.front_matter_error is None
    assert _headings_of(doc)[0] == (1, "FSMT", 18)
    assert all(":" not in s.heading.title for s in doc.sections)


def test_corpus_commented_out_template_sections_are_absent(corpus: Path) -> None:
    doc = _card(corpus, "setfit__model_card_template.md")
    assert find_section(doc, ["Bias, Risks and Limitations", "Glossary"]) is None
    labels = find_section(doc, ["Model Labels"])
    assert labels is not None and not labels.filled


def test_corpus_fill_in_tables_are_not_filled(corpus: Path) -> None:
    doc = _runbook(corpus, "agentic-field-manual__00-templates__incident-postmortem.md")
    summary = find_section(doc, ["Incident Summary"])
    assert summary is not None and not summary.filled
    schedule = find_section(doc, ["Follow-up Schedule"])
    assert schedule is not None and schedule.first_content_line == 222


def test_corpus_html_comment_metadata_is_not_content(corpus: Path) -> None:
    doc = _card(corpus, "tfhub.dev__assets__docs__google__models__universal-sentence-encoder__4.md")
    assert doc.sections[0].first_content_line == 3
    assert [s.heading.title for s in doc.sections[:2]] == [
        "Module google/universal-sentence-encoder/4",
        "Overview",
    ]


def test_corpus_runbook_links(corpus: Path) -> None:
    rollback = _runbook(corpus, "sofareai__docs__operations__rollback.md")
    assert [(link.target, link.line) for link in rollback.links] == [
        ("deployment.md", 425),
        ("ab-testing.md", 426),
        ("monitoring.md", 427),
        ("../development/cicd.md", 428),
    ]
    # Markdown inside a ```markdown fence is an example, not structure.
    assert find_section(rollback, ["Incident Report: Model Rollback", "Timeline"]) is None
    during = _runbook(
        corpus, "pagerduty-incident-response-docs__docs__during__during_an_incident.md"
    )
    targets = [link.target for link in during.links]
    assert targets[:2] == [
        "../before/severity_levels.md",
        "../during/security_incident_response.md",
    ]
    assert "../training/glossary.md#span-of-control" in targets
    assert "#" not in targets  # href="#" placeholders in the HTML table are fragments


def test_corpus_hugo_front_matter(corpus: Path) -> None:
    doc = _runbook(corpus, "prometheus-operator-runbooks__content__runbooks__general__Watchdog.md")
    assert doc.front_matter is not None
    assert doc.front_matter.text == "title: Watchdog\nweight: 20"
    assert [s.heading.title for s in doc.sections] == [
        "Watchdog",
        "Meaning",
        "Impact",
        "Diagnosis",
        "Mitigation",
    ]
    assert all(s.filled for s in doc.sections)

"""The Markdown scanner's answers, recorded: a change made for speed must not change one.

The scanner takes short cuts for the lines most files are made of (blank lines, prose and ATX
headings at the margin, table rows); everything else goes the general way. What it returns for
the shared corpus, for every short sequence of tricky lines and for a few documents made to
reach each short cut from an odd state, was recorded from the scanner before the short cuts
(commit e570e1b). If the parser's behaviour is changed on purpose, print the new digests with
``python tests/formats/test_markdown_agreement.py`` and record them here with the reason.
"""

from __future__ import annotations

import hashlib
import itertools
from pathlib import Path

import pytest

from roadworthy.formats.markdown import find_section, parse

# Lines that move the scanner between its states: paragraph, list (container), table, quote,
# fence, comment, setext; with links, placeholders and a bold label. Some carry a blank line.
PIECES = (
    "## S",
    "| a | b |",
    "| --- | --- |",
    "| label | |",
    "TODO",
    "plain [x](y.md)",
    "",
    "- item\n",
    "    [t](in.md)",
    "> q",
    "<!-- c",
    "-->",
    "```",
    "===",
    "**L:**",
    "#x",
    "1. x",
)
NAMES = ("S", "Title", "L", "x", "Evaluation")

# Documents that reach each short cut from each state it must leave as the general way would.
TRICKY = {
    "fenced-code-with-headings": "# T\n```\n# not a heading\n## nor this\n```\n## S\ntext\n",
    "tilde-fence-and-indented-close": "## S\n~~~~\n# no\n   ~~~~\n## T\nx\n",
    "setext": "Title\n=====\nbody\nSub\n---\n\nmore\n",
    "setext-after-prose-lines": "one\ntwo [a](b.md)\n---\n## S\n",
    "html-comments": "<!-- # hidden\n## hidden too\n-->\n## S\n<!-- c --> text\nx <!-- y\n# z -->\n",
    "front-matter": "---\nowners: [a]\n---\n# T\n## S\nTODO\n",
    "front-matter-unclosed": "---\nowners: [a]\n# T\n",
    "crlf": "---\r\na: 1\r\n---\r\n# T\r\n\r\n## S\r\ntext\r\n",
    "tabs": "#\tTab heading\n\t# code?\n \t## S\n\tindented\n- item\n\n\tcontinued [l](m.md)\n",
    "trailing-hashes": "# T #\n## C#\n### ###\n#### x ##  \n##### y\\#\n###### \n####### z\n",
    "empty-sections": "# A\n## B\n\n## C\n<!-- x -->\n## D\nN/A\n## E\n| k | v |\n|---|---|\n| a | |\n",
    "table-then-prose-then-row": "## S\n| a | b |\n| --- | --- |\nTODO\n| label | |\n",
    "list-then-prose-then-indented": "- item\n\nplain\n\n    [c](code.md)\n## S\n- x\n\n    [t](in.md)\n",
    "admonition": "!!! note\n    body [a](b.md)\n\n## S\n??? tip\n    more\n",
    "bold-labels": "**Model type:** text\n**Data**\nprose **Bold:** here\n## S\n__Under:__ v\n",
    "open-bracket-over-lines": "## S\nsee [the\nguide](g.md) and [x]\n(y.md)\n",
    "attributes": '## S\n<img src="a.png">\nplain href="b.md" = c\n<a href=\'d.md\'>d</a>\n',
    "digits-and-lists": "1. one\n2) two\n²x\n12345\n## S\n3. [n](n.md)\n",
    "quote-and-html": "> # quoted\n> text\n<h2>Html</h2>\n<h3></h3>\n<details>\nx\n",
    "toml-front-matter": "+++\na = 1\n+++\n# T\n",
    "bom-and-cr": "\ufeff# T\rtext\r## S\r\r",
    "list-item-then-underline": "1. item\n---\n2) two\n===\n1. x\n\n    [c](code.md)\n",
    "bracket-closed-on-the-next-line": "## S\nsee [the\nguide](g.md)\n",
    "bracket-left-open-over-a-blank": "## S\nsee [open\n\nclose](f.md)\n",
    "comments-in-headings-and-rows": (
        "## S <!-- c -->\ntext\n| a | b |\n| - | - |\n| x <!-- y | z |\n# hidden -->\n| q |\n"
    ),
    "blank-only-for-spaces-and-tabs": " \t\n## S\n\u3000\ntext\n---\n\u00a0\n",
    "what-counts-as-content": (
        "## A\n1. TODO\n## B\n> 1. TODO\n## C\n> - [ ] tbd\n## D\n**Key:** N/A\n## E\nÉtude réelle\n"
        "## F\n- n/a\n## G\n2) fixme: later\n## H\nmore information needed\n## I\n_TODO_\n"
        "## J\n²\n## K\n  > > none yet\n## L\n| 1. TODO | x |\n|---|---|\n| 1. TODO | x |\n"
    ),
    "placeholders": "## S\nTBD\n## T\ntodo: later\n## U\nLorem ipsum dolor\n## V\nfine\n",
}


def _digest(text: str) -> str:
    doc = parse(text)
    found = [find_section(doc, name) for name in NAMES]
    return hashlib.sha256(repr((doc, found)).encode()).hexdigest()[:16]


def _sequences() -> str:
    """One digest for every document of a heading and up to four pieces (88,741 documents),
    with LF and with CRLF line ends."""
    total = hashlib.sha256()
    for size in range(5):
        for combo in itertools.product(PIECES, repeat=size):
            text = "\n".join(("# Title", *combo))
            total.update(_digest(text).encode())
            if size == 2:
                total.update(_digest(text.replace("\n", "\r\n")).encode())
    return total.hexdigest()[:16]


RECORDED_SEQUENCES = "7a3621a612ee44cc"
RECORDED_TRICKY: dict[str, str] = {
    "admonition": "e9a45adf5739b040",
    "attributes": "d2501ab1c318ce6e",
    "blank-only-for-spaces-and-tabs": "129b25effb847c7f",
    "bold-labels": "bc622dc41fa97c03",
    "bom-and-cr": "2e21eaa1145c795d",
    "bracket-closed-on-the-next-line": "e778f45fe438530a",
    "bracket-left-open-over-a-blank": "ee9a529a46a14d4f",
    "comments-in-headings-and-rows": "ee9a529a46a14d4f",
    "crlf": "4fa47006c0b5f09a",
    "digits-and-lists": "c5d95664d9f937d4",
    "empty-sections": "3f06be75f741279e",
    "fenced-code-with-headings": "03ea466a5fa7bf99",
    "front-matter": "41f655923a172e77",
    "front-matter-unclosed": "79fe17ed055d0b2f",
    "html-comments": "6d669c95e294f0a2",
    "list-item-then-underline": "cd3454de4126cad3",
    "list-then-prose-then-indented": "7dbf52e9851a3041",
    "open-bracket-over-lines": "e778f45fe438530a",
    "placeholders": "874ff0dbbbaeb88e",
    "quote-and-html": "190bdce129236530",
    "setext": "0490abb06b8d2b56",
    "setext-after-prose-lines": "7cfd3484ee4b2d6f",
    "table-then-prose-then-row": "7874c432c9a4ad79",
    "tabs": "53318f1c6e0e0a24",
    "tilde-fence-and-indented-close": "d3da44ff59dfb07d",
    "toml-front-matter": "ee22d4aeef0b51c8",
    "trailing-hashes": "1f7368e2a3ae9f49",
    "what-counts-as-content": "95ced347a721a005",
}
# sha256 of a corpus file's bytes (first 16 hex digits) → the digest of its parse.
RECORDED_CORPUS: dict[str, str] = {
    "14c7891cf6c60fc1": "9bce4aa774167a5e",
    "841527a92048fc5f": "04ac9cd88f4ed1d9",
    "b4e4679785970dcb": "1dc6e02dfd3e5398",
    "02105383cacefcd1": "23b1269f6470e424",
    "70ca59606bee0a5f": "d562f13f765fb2e8",
    "466c1cd4c9512444": "10c04995d7d1a47f",
    "dedf5b358ba0db0c": "4458d46583814f13",
    "788903f28036bf87": "e0942795e4991f43",
    "4509ed8fe6989185": "30fe03b9535aadb4",
    "449acf4a26a3d421": "868fb99da3b8fb1c",
    "583cb0420b60a0b1": "13736a4ca103d79f",
    "b5d6156c056f51ad": "1eed3422ec1d53c5",
    "d64e15c03f8932f6": "cae827fcf21d4256",
    "fcd2eb3d2eec109d": "b28da9a907e692b5",
    "9c46abe0be49fbe9": "e28a85878772eddf",
    "b7c576e902be8961": "883bf43c36dc1ab6",
    "12609d834b187260": "f051b19115c4c339",
    "5be10ca91eb09dd6": "3da92d5c7cdf3c45",
    "e00a80ad2ddca9db": "584461ce299dd5f4",
    "9a5702df6b90d574": "f410bfffe4050d7e",
    "e9201253c7362d83": "96fb78b6f3ff4b46",
    "a6c095bb0a010efd": "06bd523b626e8296",
    "f91253855408a08f": "96f2befad063a3e3",
    "fe8af325a7ef9f27": "0c83130afe0c9822",
    "5067f454e951ff6e": "b001268ee955cfa7",
    "47b24abde8f2c671": "5631a89aaa1ea824",
    "7baf04f60c6234b3": "c1166a1feba9bb50",
    "b89feaa5629a565a": "798005b820fc2442",
    "174ccd3cd2472f03": "bbc7e5b3ba2f2a41",
    "3c2dc15e0c4bf2f1": "2756f1e2ac35c70e",
    "3b1a69e2a5058717": "7a976258b491cbb8",
    "0decfa1362208949": "f18531d5192d7503",
    "534c04938d77f178": "d339869fe75ed257",
    "8e5492d02ebe15b8": "345e22bd528cc01a",
    "b56d89bbe9f8b7e7": "b439c360282d561f",
    "f0b34f6a47c3cd6e": "e1492e842e44c022",
    "383cdd10fe9aa424": "cf7aa6834336034f",
    "747effdf6eb2d2b0": "9a84298aa302dcff",
    "3f67da08a87fc951": "84f5b28e36cd6627",
    "250eca98a57e85bd": "4274de582240df61",
    "b3bf5719d3d5afb3": "8823faf1fa2fd1b2",
    "6fcbbeb1e8ea691a": "34bfea9d65447723",
    "12dd8c07a9e71d19": "c0a4e788bc986b1b",
    "1cac70085297faf1": "efbe5424bc94881d",
    "ce4d1f8f43f4b5d7": "b4fefd1d89b365b3",
    "09799acbb109a7db": "88749bd62827dda3",
    "64a2393d2d60ebab": "8ce9f35f16623634",
    "bcde18dfecbeb6d5": "7168fa7bae16b53a",
    "23ad9f2c30e56939": "288a81560c9611fe",
    "1704c591c3945fd4": "5e9d3cd227f392be",
    "d6b18239b967fa88": "c79f4629daf9b634",
    "c0c475ee1781c16f": "f2b33b4410347c53",
    "637f49b98626d846": "6c0d5d39c36bb88e",
    "63a559f73de27ded": "52c70ec70bf2a45f",
    "ab82b5ca6c75becc": "2779392741fe3afd",
    "3d481496f5ac9a00": "1fb0328281debd38",
    "79eec98b90480573": "3605ef183ac789a2",
    "eb88f7b1f1a267ed": "edda393df8772902",
    "3be1a06f9a08fdb7": "b3899a5e912cd78b",
}


def test_every_short_sequence_of_tricky_lines_parses_as_recorded() -> None:
    assert _sequences() == RECORDED_SEQUENCES


@pytest.mark.parametrize("name", sorted(TRICKY))
def test_tricky_documents_parse_as_recorded(name: str) -> None:
    assert _digest(TRICKY[name]) == RECORDED_TRICKY[name]


def _corpus_files(corpus: Path) -> dict[str, str]:
    out = {}
    for path in sorted(corpus.rglob("*.md")):
        data = path.read_bytes()
        out[hashlib.sha256(data).hexdigest()[:16]] = data.decode("utf-8", errors="replace")
    return out


def test_corpus_markdown_parses_as_recorded(corpus: Path) -> None:
    files = _corpus_files(corpus)
    checked = [key for key in files if key in RECORDED_CORPUS]
    assert len(checked) >= len(RECORDED_CORPUS) * 0.9, "the corpus changed: record it again"
    for key in checked:
        assert _digest(files[key]) == RECORDED_CORPUS[key], key


if __name__ == "__main__":
    from tests.conftest import CORPUS

    print(f"RECORDED_SEQUENCES = {_sequences()!r}")
    print("RECORDED_TRICKY = {")
    for name in sorted(TRICKY):
        print(f"    {name!r}: {_digest(TRICKY[name])!r},")
    print("}")
    print("RECORDED_CORPUS = {")
    for key, text in _corpus_files(CORPUS).items():
        print(f"    {key!r}: {_digest(text)!r},")
    print("}")

"""yamlsimple: the simple block subset read without PyYAML gives what the composer gives, or
nothing.

The reader is an optimisation: whatever it accepts must parse to the very data (types, key
order, values) `yamlparse.parse` builds, and anything it is unsure of must be left to the
composer. Its oracle is the composer itself, on the corpus's real YAML and on many mutations
of it and of artifacts written in the subset.
"""

from __future__ import annotations

import random
import subprocess
import sys
import time
from pathlib import Path

import pytest

from roadworthy.formats import yamlio, yamlparse, yamlsimple
from roadworthy.formats.yamldoc import MAX_NODES, YamlError

CONTRACT = """\
# A data contract in the subset: comments, nesting, lists of mappings, scalars of each type.
---
apiVersion: v1
kind: DataContract
id: dc-79b7b70b2dcb0757
owner: team-ranking
dataset:
  name: nlp_sweep_03549_training
  version: 20
  location: abfs://datalake/nlp_sweep_03549/v2
schema:
  fields:
    - name: beta_evals_0
      type: string
      nullable: false
      description: Config format cron server, (v2) at 10:30 = done.
    - name: user_decoder_1
      type: timestamp
      nullable: ~
    # a comment between items
    - name: score
      type: float64
      range:
      - -1.5
      - .inf
      - 0x1F
      - 1e3
tags:
- a
- b c
empty:
quality:
  freshness_hours: 1
  min_rows: 7000
pii: False
"""

MODEL = """\
name: fraud_scorer
version: 4.4.6
framework: onnx
owner: team-risk
inputs:
  - name: amount
    dtype: float32
outputs:
  - name: score
    dtype: float32
"""


REAL_STYLE = """\
apiVersion: "v3.0.2"   # quoted, with a comment
kind: 'DataContract'
tags: ['finance', "eu", sales]
schema:
  - name: orders
    properties:
      - name: id
        logicalType: string
        required: true
        examples: []
      - name: amount
        quality: {}
        description: 'Amount, in ''EUR'''
      - name: note
        description: |
          Free text: with "quotes", # no comment,
            and an indented line.

        examples: [a, b]
"""


def _same(text: str) -> None:
    """``read`` accepts nothing the composer reads otherwise, or refuses."""
    fast = yamlsimple.read(text, MAX_NODES)
    if fast is None:
        return
    try:
        full = yamlparse.parse(text).data
    except YamlError as exc:
        pytest.fail(f"read accepted what the composer refuses ({exc}):\n{text!r}")
    # repr: the types as well as the values (1 is not 1.0 is not True) and the key order.
    assert repr(fast) == repr(full), text


@pytest.mark.parametrize("text", [CONTRACT, MODEL, REAL_STYLE], ids=["contract", "model", "real"])
def test_artifacts_in_the_subset_are_read_as_the_composer_reads_them(text: str) -> None:
    fast = yamlsimple.read(text, MAX_NODES)
    assert fast is not None
    assert repr(fast) == repr(yamlparse.parse(text).data)


def test_the_subsets_values_and_structures() -> None:
    data = yamlsimple.read(CONTRACT, MAX_NODES)
    assert data["dataset"] == {
        "name": "nlp_sweep_03549_training",
        "version": 20,
        "location": "abfs://datalake/nlp_sweep_03549/v2",
    }
    field = data["schema"]["fields"][2]
    assert field["range"] == [-1.5, float("inf"), 31, 1000.0]
    assert data["schema"]["fields"][1]["nullable"] is None
    assert data["tags"] == ["a", "b c"]
    assert data["empty"] is None and data["pii"] is False


@pytest.mark.parametrize(
    "text",
    [
        pytest.param('a: "tab\\there"\n', id="escape-in-double-quotes"),
        pytest.param("a: 'line\n  on'\n", id="quote-over-two-lines"),
        pytest.param("a: &x 1\nb: *x\n", id="anchor-alias"),
        pytest.param("a: !!str 1\n", id="tag"),
        pytest.param("a: [1, 2,]\n", id="flow-trailing-comma"),
        pytest.param("a: [1,\n  2]\n", id="flow-over-two-lines"),
        pytest.param("a: [[1]]\n", id="nested-flow"),
        pytest.param("a: [b: 1]\n", id="flow-pair"),
        pytest.param("a: [b?c]\n", id="question-mark-in-flow"),  # scanners disagree
        pytest.param("a: {b: 1}\n", id="flow-mapping"),
        pytest.param("a: |+\n  text\n", id="literal-block-kept"),
        pytest.param("a: |2\n   text\n", id="literal-block-indentation-digit"),
        pytest.param("a: |\n  text", id="literal-block-without-final-break"),
        pytest.param("a: |\nb: 1\n", id="literal-block-empty"),
        pytest.param("a: |\n    \n  text\n", id="literal-block-wide-blank-first"),
        pytest.param("a: |\n  te\txt\n", id="literal-block-tab"),
        pytest.param("- |\n  text\n", id="literal-block-as-item"),
        pytest.param("a: 1\rb: 2\n", id="lone-carriage-return"),
        pytest.param("a: >\n  text\n", id="folded-block"),
        pytest.param("a: b #comment:\n  c: 1\n", id="comment-then-deeper"),
        pytest.param("'a': 1\n", id="quoted-key"),
        pytest.param("- # nothing\n", id="comment-after-dash"),
        pytest.param("a: b\n  c\n", id="continued-value"),
        pytest.param("a: 1\na: 2\n", id="duplicate-key"),
        pytest.param("a:\n\tb: 1\n", id="tab"),
        pytest.param("\ufeffa: 1\n", id="bom"),
        pytest.param("a: caf\u00e9\n", id="non-ascii"),
        pytest.param("# x\u2028a: 1\n", id="line-separator-in-comment"),
        pytest.param("a: 1\x85b: 2\n", id="nel"),
        pytest.param("a: 1\n---\nb: 2\n", id="second-document"),
        pytest.param("%YAML 1.2\n---\na: 1\n", id="directive"),
        pytest.param("a: 1\n...\n", id="document-end"),
        pytest.param("? a\n: 1\n", id="explicit-key"),
        pytest.param("<<: {a: 1}\n", id="merge-key"),
        pytest.param("- - a\n", id="nested-dash"),
        pytest.param("-\n  a: 1\n", id="dash-alone"),
        pytest.param("a:\n  b: 1\n c: 2\n", id="uneven-dedent"),
        pytest.param("a: 1\n  b: 2\n", id="deeper-after-value"),
        pytest.param("a: 1\n- b\n", id="dash-in-mapping"),
        pytest.param("hello\n", id="scalar-document"),
        pytest.param("a:\n  hello\n", id="value-on-next-line"),
        pytest.param("", id="empty"),
        pytest.param("# only a comment\n", id="only-comment"),
        pytest.param("a: b:\n", id="value-ending-in-colon"),
        pytest.param("a: -\n", id="lone-dash-value"),
        pytest.param("a: 1\x00\n", id="nul"),
        pytest.param("a: " + "9" * 5000 + "\n", id="integer-over-int-limit"),
    ],
)
def test_anything_unsure_is_left_to_the_composer(text: str) -> None:
    assert yamlsimple.read(text, MAX_NODES) is None
    _same(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("a: 'it''s 1'\n", {"a": "it's 1"}, id="single-quotes"),
        pytest.param('a: "1"\n', {"a": "1"}, id="double-quotes-keep-a-string"),
        pytest.param("a: ''\n", {"a": ""}, id="empty-quotes"),
        pytest.param("a: b # c: d\n", {"a": "b"}, id="trailing-comment"),
        pytest.param("a: # c\n  b: 1\n", {"a": {"b": 1}}, id="comment-after-key"),
        pytest.param("a: []\nb: [ ]\nc: {}\n", {"a": [], "b": [], "c": {}}, id="empty-flow"),
        pytest.param(
            "a: [x, 'y z', \"1\", 2, -1.5, null]\n",
            {"a": ["x", "y z", "1", 2, -1.5, None]},
            id="flow-list",
        ),
        pytest.param("- [a]\n- 'b'\n", [["a"], "b"], id="flow-and-quotes-as-items"),
        pytest.param("a: 1\r\nb: x\r\n", {"a": 1, "b": "x"}, id="crlf"),
        pytest.param(
            "a: |\n  one\n\n    two: #3\n  \n\nb: |-\n  x\n",
            {"a": "one\n\n  two: #3\n", "b": "x"},
            id="literal-blocks",
        ),
        pytest.param(
            "- k: | # note\n\n    x\n  m: 1\n",
            [{"k": "\nx\n", "m": 1}],
            id="literal-block-in-an-item",
        ),
    ],
)
def test_quotes_flow_lists_and_comments_in_the_subset(text: str, expected: object) -> None:
    assert repr(yamlsimple.read(text, MAX_NODES)) == repr(expected)
    _same(text)


def test_a_node_bound_under_the_documents_size_is_left_to_the_composer() -> None:
    text = "".join(f"k{i}: {i}\n" for i in range(50))
    assert yamlsimple.read(text, 50) is None
    assert yamlsimple.read(text, 101) is not None


def test_the_items_of_a_flow_list_count_against_the_node_bound() -> None:
    # One line, five values: with an "&" in the text the composer counts every node and
    # refuses the document past max_nodes; the reader must not accept it.
    text = "a: [1, 2, 3, 4]\nb: x&y\n"
    with pytest.raises(YamlError, match="more than 5 values"):
        yamlparse.parse(text, max_nodes=5)
    assert yamlsimple.read(text, 5) is None
    assert repr(yamlsimple.read(text, 9)) == repr(yamlparse.parse(text, max_nodes=9).data)


def test_deep_nesting_is_left_to_the_composer() -> None:
    text = "".join(f"{'  ' * i}k{i}:\n" for i in range(120)) + f"{'  ' * 120}v: 1\n"
    assert yamlsimple.read(text, MAX_NODES) is None
    with pytest.raises(YamlError, match="nesting deeper"):
        yamlio.load(text)


def test_a_hostile_line_is_refused_in_linear_time() -> None:
    # A lazy pattern would try the rest of the line at each character: 10^10 steps here.
    line = "a: b" + " " * 100_000 + ": " + " x" * 50_000  # ": " in a plain value
    assert yamlsimple.read(line + "\n", MAX_NODES) is None
    _same(line + "\n")


@pytest.mark.parametrize(
    "line",
    [
        "a: [" + " " * 1_000_000,
        "- [" + " " * 1_000_000 + "x",
        "a: [" + " " * 500_000 + "a" + " " * 500_000,
    ],
    ids=["unclosed", "item", "spaces-around"],
)
def test_spaces_in_an_unclosed_flow_list_are_refused_in_linear_time(line: str) -> None:
    # "[ *(...)? *]": two runs of spaces that can split a run of spaces n ways, each tried
    # to the end of the line (4 s for 80,000 spaces: about 12 minutes for this megabyte, which
    # a linear scan reads in milliseconds; the bound only tells the two apart).
    started = time.perf_counter()
    assert yamlsimple.read(line + "\n", MAX_NODES) is None
    assert time.perf_counter() - started < 10.0


def test_yamlio_reads_the_subset_without_importing_pyyaml() -> None:
    code = (
        "import sys\n"
        "from roadworthy.formats import yamlio\n"
        f"assert yamlio.load({MODEL!r}).data['name'] == 'fraud_scorer'\n"
        "print('yaml' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_positions_still_come_from_the_composer() -> None:
    doc = yamlio.load(MODEL, positions=True)
    assert doc.position(("outputs", 0, "dtype")) == (10, 5)


# --- the composer as oracle --------------------------------------------------------------


def _corpus_texts(corpus: Path) -> list[str]:
    texts = []
    for path in sorted(corpus.rglob("*")):
        if path.suffix in (".yaml", ".yml") and path.is_file():
            texts.append(path.read_bytes().decode("utf-8", "replace"))
    return texts


def test_the_corpus_reads_the_same(corpus: Path) -> None:
    texts = _corpus_texts(corpus)
    accepted = 0
    for text in texts:
        _same(text)
        accepted += yamlsimple.read(text, MAX_NODES) is not None
    # Real contracts and configs are read by the subset, not all left to the composer.
    assert accepted >= 20, accepted


_INSERTS = [
    "''",
    "[]",
    "{}",
    ", ",
    *"-:#' \"&*!|>{}[],?%@`\\~.0123456789aZ_=/",
    "\n",
    "\t",
    "\r",
    "  ",
    "- ",
    ": ",
    " #",
    "---\n",
    "...\n",
    "\u2028",
    "\x85",
    "\ufeff",
    "<<: ",
]


def _mutate(text: str, rng: random.Random) -> str:
    lines = text.split("\n")
    kind = rng.randrange(7)
    if kind == 0 and text:  # insert a YAML-significant character or token
        at = rng.randrange(len(text) + 1)
        return text[:at] + rng.choice(_INSERTS) + text[at:]
    if kind == 1 and text:  # delete a character
        at = rng.randrange(len(text))
        return text[:at] + text[at + 1 :]
    if kind == 2:  # indent or dedent a line
        i = rng.randrange(len(lines))
        shift = rng.choice([-2, -1, 1, 2, 4])
        lines[i] = " " * shift + lines[i] if shift > 0 else lines[i][-shift:]
    elif kind == 3:  # duplicate a line (a duplicate key, or another item)
        i = rng.randrange(len(lines))
        lines.insert(i, lines[i])
    elif kind == 4 and len(lines) > 1:  # swap two lines
        i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
        lines[i], lines[j] = lines[j], lines[i]
    elif kind == 5 and len(lines) > 1:  # join a line to the next
        i = rng.randrange(len(lines) - 1)
        lines[i : i + 2] = [lines[i] + " " + lines[i + 1].lstrip()]
    elif kind == 6:  # replace a value
        i = rng.randrange(len(lines))
        head, sep, _ = lines[i].partition(": ")
        value = rng.choice(["null", "1", "-1", "1.5", "0o7", "0x", "true", "yes", "~", ".nan", ""])
        lines[i] = f"{head}{sep or ': '}{value}"
    return "\n".join(lines)


def test_mutations_read_the_same_or_are_left_to_the_composer(corpus: Path) -> None:
    seeds = [CONTRACT, MODEL, REAL_STYLE] + [t for t in _corpus_texts(corpus) if len(t) < 20_000]
    # Half the mutations start from a text the reader accepts: near the subset's edges.
    simple = [t for t in seeds if yamlsimple.read(t, MAX_NODES) is not None]
    rng = random.Random(11)
    accepted = 0
    for n in range(30_000):
        text = rng.choice(simple if n % 2 else seeds)
        for _ in range(rng.choice([1, 1, 2, 3])):
            text = _mutate(text, rng)
        _same(text)
        accepted += yamlsimple.read(text, MAX_NODES) is not None
    assert accepted >= 5_000, accepted  # the mutations exercise the reader, not only refusals

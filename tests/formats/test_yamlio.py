"""yamlio: YAML 1.2 core-schema JSON data, safe and bounded, with positions."""

from __future__ import annotations

import math

import pytest

from roadworthy.formats import yamlio


def value(text: str):
    return yamlio.load(f"v: {text}\n").data["v"]


@pytest.mark.parametrize(
    ("text", "expected"),
    (
        pytest.param("2026-11-21", "2026-11-21", id="date-stays-a-string"),
        pytest.param("2026-11-21T10:00:00Z", "2026-11-21T10:00:00Z", id="timestamp-string"),
        pytest.param("yes", "yes", id="yes"),
        pytest.param("on", "on", id="on"),
        pytest.param("No", "No", id="norway"),
        pytest.param("true", True, id="true"),
        pytest.param("False", False, id="False"),
        pytest.param("null", None, id="null"),
        pytest.param("~", None, id="tilde"),
        pytest.param("", None, id="empty"),
        pytest.param("42", 42, id="int"),
        pytest.param("-7", -7, id="negative"),
        pytest.param("+3", 3, id="plus"),
        pytest.param("012", 12, id="leading-zero-is-decimal"),
        pytest.param("0o17", 15, id="octal"),
        pytest.param("0x1F", 31, id="hex"),
        pytest.param("1.10", 1.1, id="float-loses-text"),
        pytest.param("1e3", 1000.0, id="exponent"),
        pytest.param(".5", 0.5, id="leading-dot"),
        pytest.param("1.0.0", "1.0.0", id="semver-is-a-string"),
        pytest.param("1_000", "1_000", id="underscore-is-a-string"),
        pytest.param("0b101", "0b101", id="binary-is-a-string"),
        pytest.param("-0x10", "-0x10", id="signed-hex-is-a-string"),
        pytest.param("v1", "v1", id="word"),
        pytest.param("'42'", "42", id="quoted"),
        pytest.param("!!str 42", "42", id="str-tag"),
        pytest.param("!!int '42'", 42, id="int-tag"),
        pytest.param("!!float '1'", 1.0, id="float-tag"),
        pytest.param("!!timestamp 2026-11-21", "2026-11-21", id="timestamp-tag"),
        # The YAML spec makes `! 42` a string, but libyaml (and so PyYAML and ruamel.yaml)
        # resolve it as plain; roadworthy reads YAML as those libraries do.
        pytest.param("! 42", 42, id="non-specific-tag-resolves-like-libyaml"),
    ),
)
def test_core_schema(text, expected):
    assert value(text) == expected
    assert type(value(text)) is type(expected)


@pytest.mark.parametrize(
    "text",
    (
        pytest.param("0x1_0", id="hex-with-underscore"),
        pytest.param("0x 1", id="hex-with-space"),
        pytest.param("0x-1", id="hex-with-sign-inside"),
        pytest.param("0o+7", id="octal-with-sign-inside"),
    ),
)
def test_not_core_schema_integers_stay_strings(text):
    # YAML 1.2 core schema: 0x[0-9a-fA-F]+ and 0o[0-7]+ only; Python's int() is laxer.
    assert value(text) == text


@pytest.mark.parametrize(
    ("text", "tag", "column"),
    [
        pytest.param("a: !!set {x}\n", "tag:yaml.org,2002:set", 4, id="set"),
        pytest.param("b: !!omap [c: 1]\n", "tag:yaml.org,2002:omap", 4, id="omap"),
        pytest.param("c: !!python/object [1]\n", "tag:yaml.org,2002:python/object", 4, id="object"),
        pytest.param("d:\n  - !custom {e: 1}\n", "!custom", 5, id="custom-mapping-in-a-list"),
        pytest.param("--- !!python/tuple [1, 2]\n", "tag:yaml.org,2002:python/tuple", 5, id="root"),
    ],
)
def test_tags_on_collections_are_refused_like_tags_on_scalars(text, tag, column):
    for positions in (False, True):  # both builders
        with pytest.raises(yamlio.YamlError) as caught:
            yamlio.load(text, positions=positions)
        assert caught.value.message == f"unsupported tag {tag!r}"
        assert caught.value.col == column


def test_untagged_and_non_specific_collections_are_plain_data():
    assert yamlio.load("a: ! [1]\nb: {c: [2]}\n").data == {"a": [1], "b": {"c": [2]}}


def test_special_floats():
    assert value(".inf") == math.inf
    assert value("-.Inf") == -math.inf
    assert math.isnan(value(".nan"))


@pytest.mark.parametrize(
    ("text", "line", "words"),
    (
        pytest.param("a: 1\nb: 2\na: 3\n", 3, ["duplicate key 'a'", "line 1"], id="duplicate"),
        pytest.param("a:\n  b: 1\n  b: 2\n", 3, ["duplicate key 'b'"], id="nested-duplicate"),
        pytest.param("true: 1\n'true': 2\n", 2, ["duplicate"], id="same-text-keys"),
        pytest.param("a: [1, 2\nb: 3\n", 2, [], id="unclosed-flow"),
        pytest.param("a: 1\n  b: 2\n", 2, [], id="bad-indent"),
        pytest.param("a: *nothing\n", 1, [], id="undefined-alias"),
        pytest.param("a: !python/object:os.system x\n", 1, ["tag"], id="python-tag"),
        pytest.param("a: !!python/name:os.system ''\n", 1, ["tag"], id="python-name"),
        pytest.param("a: !!int nope\n", 1, ["int"], id="int-tag-bad"),
        pytest.param("a: !!bool maybe\n", 1, ["bool"], id="bool-tag-bad"),
        pytest.param("? [a, b]\n: 1\n", 1, ["complex"], id="complex-key"),
        pytest.param("a: 1\n---\nb: 2\n", 2, [], id="two-documents"),
        pytest.param("a: \x07\n", 1, [], id="control-character"),
        pytest.param("a: &x [*x]\n", 1, ["recursive"], id="recursive-alias"),
        pytest.param("<<: 1\n", 1, ["merge"], id="merge-of-a-scalar"),
    ),
)
def test_errors(text, line, words):
    with pytest.raises(yamlio.YamlError) as info:
        yamlio.load(text)
    assert info.value.line == line, info.value
    for word in words:
        assert word in info.value.message


def test_line_offset_shifts_error_lines():
    with pytest.raises(yamlio.YamlError) as info:
        yamlio.load("a: 1\na: 2\n", line_offset=5)
    assert info.value.line == 7


def billion_laughs(levels: int) -> str:
    text = 'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n'
    names = "abcdefghijklmnop"
    for i in range(1, levels):
        prev, name = names[i - 1], names[i]
        text += f"{name}: &{name} [{', '.join(['*' + prev] * 9)}]\n"
    return text


def test_alias_bomb_is_bounded():
    with pytest.raises(yamlio.YamlError) as info:
        yamlio.load(billion_laughs(9))
    assert "alias bomb" in info.value.message


def test_alias_bomb_is_bounded_with_positions():
    with pytest.raises(yamlio.YamlError):
        yamlio.load(billion_laughs(9), positions=True)


def test_max_nodes_is_the_limit():
    text = billion_laughs(3)  # a: 10 values, b: 91, c: 820 -> 921 plus the top mapping
    assert yamlio.load(text, max_nodes=1000).data["c"][0][0] == ["lol"] * 9
    with pytest.raises(yamlio.YamlError):
        yamlio.load(text, max_nodes=900)


def test_shared_aliases_are_fine():
    data = yamlio.load("base: &b {x: 1}\none: *b\ntwo: *b\n").data
    assert data == {"base": {"x": 1}, "one": {"x": 1}, "two": {"x": 1}}


def test_nesting_depth_is_bounded():
    deep = "[" * 150 + "]" * 150
    with pytest.raises(yamlio.YamlError) as info:
        yamlio.load(deep)
    assert "nesting" in info.value.message


def test_merge_keys():
    text = "base: &b {x: 1, y: 2}\nitem:\n  <<: *b\n  y: 3\n"
    assert yamlio.load(text).data["item"] == {"x": 1, "y": 3}


def test_merge_list():
    text = "a: &a {x: 1}\nb: &b {x: 2, y: 2}\nc:\n  <<: [*a, *b]\n"
    assert yamlio.load(text).data["c"] == {"x": 1, "y": 2}


@pytest.mark.parametrize(
    ("text", "expected"),
    (
        pytest.param("", None, id="empty"),
        pytest.param("# only a comment\n", None, id="comment"),
        pytest.param("---\n...\n", None, id="empty-document"),
        pytest.param("\ufeffa: 1\n", {"a": 1}, id="bom"),
        pytest.param("a:\r\n  - 1\r\n", {"a": [1]}, id="crlf"),
        pytest.param("1: one\n", {"1": "one"}, id="keys-are-strings"),
        pytest.param("- a\n- b\n", ["a", "b"], id="top-level-list"),
        pytest.param("a: |\n  line\n", {"a": "line\n"}, id="literal-block"),
    ),
)
def test_documents(text, expected):
    assert yamlio.load(text).data == expected


def test_positions():
    text = "apiVersion: v3.0.2\nschema:\n  - name: t\n    properties:\n      - name: id\n"
    doc = yamlio.load(text, positions=True)
    assert doc.position(("apiVersion",)) == (1, 1)
    assert doc.position(("schema", 0, "properties", 0, "name")) == (5, 9)
    assert doc.position(("schema", 0, "properties", 0, "missing")) == (5, 9)  # nearest ancestor
    assert doc.position(("schema", 3)) == (2, 1)
    assert doc.position(("nope",)) == (1, 1)


def test_positions_with_line_offset():
    doc = yamlio.load("a: 1\nb: 2\n", positions=True, line_offset=3)
    assert doc.position(("b",)) == (5, 1)


def test_positions_off_by_default():
    assert yamlio.load("a: 1\n").positions == {}


def test_dump_round_trips():
    data = {"version": "2.0", "owners": ["@a", "@b"], "when": "2026-11-21", "n": 3}
    assert yamlio.load(yamlio.dump(data)).data == data


@pytest.mark.parametrize(
    ("text", "core", "yaml11"),
    [
        ("010", 10, 8),
        ("1e-2", 0.01, "1e-2"),
        ("yes", "yes", True),
        ("0x10", 16, 16),
        ("1_000", "1_000", 1000),
        ("2024-01-01", "2024-01-01", "2024-01-01"),
        ("~", None, None),
        ("plain text", "plain text", "plain text"),
    ],
)
def test_plain_scalars_read_as_yaml_12_and_as_pyyaml_does(text, core, yaml11):
    assert yamlio.load(f"v: {text}\n").data == {"v": core}
    assert yamlio.load_as_pyyaml(f"v: {text}\n") == {"v": yaml11}


def test_what_pyyaml_cannot_build_is_a_yaml_error():
    with pytest.raises(yamlio.YamlError):
        yamlio.load_as_pyyaml("v: 0b_\n")


# --- the two builders -----------------------------------------------------------------------------

_DEEP = "v: " + "[" * 100 + "1" + "]" * 100 + "\n"
_DEEPER = "v: " + "[" * 101 + "1" + "]" * 101 + "\n"
_DEEP_MAP = "".join(f"{'  ' * i}k{i}:\n" for i in range(101)) + f"{'  ' * 101}x: 1\n"
_DEEP_MAP_SCALAR = "".join(f"{'  ' * i}k{i}:\n" for i in range(100)) + f"{'  ' * 100}x: 1\n"


@pytest.mark.parametrize(
    "text",
    (
        pytest.param(
            "a: 1\nb: [x, 'y', !!str 3, !!int '4', 0x1F]\nc: {d: ~, e: .inf}\n", id="data"
        ),
        pytest.param("a: 1\nb: 2\na: 3\n", id="duplicate"),
        pytest.param("<<: {a: 1}\na: 2\nb: 3\n", id="merge"),
        pytest.param("<<: {a: 1}\n<<: {b: 1}\nc: 2\n", id="two-merges"),
        pytest.param("<<: {a: 1}\n'<<': 1\n'<<': 2\n", id="quoted-merge-key-duplicate"),
        pytest.param("<<: [{a: 1}, {a: 2, b: 3}]\n", id="merge-list"),
        pytest.param("<<: 3\n", id="merge-of-a-scalar"),
        pytest.param("a: !!float x\n", id="bad-explicit-value"),
        pytest.param("a: !custom 1\n", id="unknown-tag"),
        pytest.param("a: !!set {x: null}\n", id="tagged-mapping"),
        pytest.param("? [a]\n: 1\n", id="complex-key"),
        pytest.param("!!omap [a: 1]\n", id="tagged-sequence"),
        pytest.param(_DEEP, id="deepest-list"),
        pytest.param(_DEEPER, id="too-deep-list"),
        pytest.param(_DEEP_MAP, id="too-deep-scalar-in-a-mapping"),
        pytest.param(_DEEP_MAP_SCALAR, id="deepest-scalar-in-a-mapping"),
    ),
)
def test_the_builder_without_anchors_agrees_with_the_general_one(text):
    # `load` builds a document without anchors or positions the short way; with positions it
    # takes the general builder. Both must give the same data and the same errors.
    assert "&" not in text
    try:
        plain: object = yamlio.load(text).data
    except yamlio.YamlError as exc:
        plain = (exc.line, exc.col, exc.message)
    try:
        general: object = yamlio.load(text, positions=True).data
    except yamlio.YamlError as exc:
        general = (exc.line, exc.col, exc.message)
    assert plain == general


def test_the_builders_agree_on_the_corpus(corpus):
    read = 0
    for path in sorted(corpus.rglob("*")):
        if path.suffix not in (".yaml", ".yml", ".json") or not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        if "&" in text:
            continue
        outcomes = []
        for positions in (False, True):
            try:
                outcomes.append(repr(yamlio.load(text, positions=positions).data))
            except yamlio.YamlError as exc:
                outcomes.append(repr((exc.line, exc.col, exc.message)))
        assert outcomes[0] == outcomes[1], path
        read += 1
    assert read > 50

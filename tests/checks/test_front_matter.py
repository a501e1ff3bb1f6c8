"""``front-matter``: required keys of a Markdown file's YAML front matter, and their shapes."""

from __future__ import annotations

import pytest

CODE = "ACME101"
W = "placeholder weights\n"
CARD = "m/MODEL_CARD.md"


def run(lint, front: str | None, keys: dict[str, str], body: str = "# Card\n\nText.\n"):
    text = body if front is None else f"---\n{front}---\n{body}"
    options = {"paths": ["MODEL_CARD.md"], "keys": keys}
    return lint({"m/model.onnx": W, CARD: text}, "front-matter", options)


@pytest.mark.parametrize(
    ("value", "valid"),
    (
        pytest.param('"2.3.0"', True, id="quoted-semver"),
        pytest.param("2.3.0", True, id="plain-semver-stays-a-string"),
        pytest.param("v1.4.0-rc.1+build.7", True, id="semver-prerelease-build"),
        pytest.param("2", True, id="integer"),
        pytest.param("2024.1.post3", True, id="pep440"),
        pytest.param("1!2.0", True, id="pep440-epoch"),
        pytest.param("1.10", False, id="unquoted-float"),
        pytest.param("latest", False, id="word"),
        pytest.param("[1, 2]", False, id="list"),
        pytest.param("true", False, id="boolean"),
    ),
)
def test_version_shape(lint, value, valid):
    expected = [] if valid else [(CODE, CARD, 3)]
    assert run(lint, f"title: Scorer\nversion: {value}\n", {"version": "version"}) == expected


@pytest.mark.parametrize(
    ("value", "valid"),
    (
        pytest.param("2026-09-14", True, id="unquoted-date-stays-a-string"),
        pytest.param('"2026-09-14"', True, id="quoted"),
        pytest.param("2026-13-01", False, id="month-13"),
        pytest.param("2026-02-30", False, id="february-30"),
        pytest.param("someday", False, id="word"),
        pytest.param("20260914", False, id="number"),
        pytest.param("2026-09-14T10:00:00Z", False, id="timestamp"),
        pytest.param("14.09.2026", False, id="german-format"),
    ),
)
def test_date_shape(lint, value, valid):
    expected = [] if valid else [(CODE, CARD, 3)]
    assert run(lint, f"title: Scorer\nlast_reviewed: {value}\n", {"last_reviewed": "date"}) == (
        expected
    )


@pytest.mark.parametrize(
    "value",
    (
        pytest.param('"20260914"', id="basic-format"),
        pytest.param("2026-W38-1", id="iso-week-date"),
    ),
)
def test_date_shape_is_year_month_day_only(lint, value):
    # The shape is documented as YYYY-MM-DD; Python 3.11's date.fromisoformat also accepts
    # these ISO 8601 forms, which Python 3.10 rejects: the verdict must not depend on Python.
    front = f"title: Scorer\nlast_reviewed: {value}\n"
    assert run(lint, front, {"last_reviewed": "date"}) == [(CODE, CARD, 3)]


@pytest.mark.parametrize(
    ("shape", "value", "valid"),
    (
        pytest.param("string", "Scorer", True, id="string"),
        pytest.param("string", '"  "', False, id="blank-string"),
        pytest.param("string", "42", False, id="number-is-not-a-string"),
        pytest.param("list", "[a, b]", True, id="list"),
        pytest.param("list", "[]", False, id="empty-list"),
        pytest.param("list", "a", False, id="scalar-is-not-a-list"),
        pytest.param("mapping", "{a: 1}", True, id="mapping"),
        pytest.param("mapping", "{}", False, id="empty-mapping"),
        pytest.param("number", "0.91", True, id="number"),
        pytest.param("number", "true", False, id="boolean-is-not-a-number"),
        pytest.param("number", '"0.91"', False, id="quoted-number"),
        pytest.param("boolean", "false", True, id="boolean"),
        pytest.param("boolean", "yes", False, id="yes-is-a-string-in-yaml-1.2"),
        pytest.param("owners", '["@acme/ml", "ops@acme.example"]', True, id="owners-list"),
        pytest.param("owners", '{accountable: "@dana"}', True, id="owners-raci"),
        pytest.param("owners", "[acme-ml]", False, id="owners-not-a-handle"),
        pytest.param("owners", '{boss: "@dana"}', False, id="owners-unknown-role"),
        pytest.param("any", "[anything, {at: all}]", True, id="any"),
    ),
)
def test_shapes(lint, shape, value, valid):
    expected = [] if valid else [(CODE, CARD, 4)]
    assert run(lint, f"title: x\nversion: '1'\nkey: {value}\n", {"key": shape}) == expected


@pytest.mark.parametrize(
    ("front", "expected"),
    (
        pytest.param(None, [(CODE, CARD, 1)], id="no-front-matter"),
        pytest.param("", [(CODE, CARD, 1)], id="empty-front-matter"),
        pytest.param("title: Scorer\n", [(CODE, CARD, 1)], id="key-missing"),
        pytest.param("title: Scorer\nversion:\n", [(CODE, CARD, 1)], id="key-null"),
    ),
)
def test_missing(lint, front, expected):
    assert run(lint, front, {"version": "version"}) == expected


def test_every_key_is_reported(lint):
    front = "version: 1.10\nlast_reviewed: later\n"
    assert run(
        lint, front, {"version": "version", "last_reviewed": "date", "owners": "owners"}
    ) == [
        (CODE, CARD, 1),  # owners: missing, so the file
        (CODE, CARD, 2),
        (CODE, CARD, 3),
    ]


@pytest.mark.parametrize(
    ("text", "line"),
    (
        pytest.param("---\ntitle: [unclosed\nversion: '1'\n---\n# Card\n", 3, id="yaml-error"),
        pytest.param("---\n- version: 1\n---\n# Card\n", 2, id="a-list"),
        pytest.param("---\nversion: '1'\nversion: '2'\n---\n# Card\n", 3, id="duplicate-key"),
        pytest.param("---\nversion: '1'\n# Card\n\nNever closed.\n", 1, id="unclosed"),
    ),
)
def test_broken_front_matter_is_rw001_at_its_line(lint, text, line):
    files = {"m/model.onnx": W, CARD: text}
    options = {"paths": ["MODEL_CARD.md"], "keys": {"version": "version"}}
    assert lint(files, "front-matter", options) == [("RW001", CARD, line)]


def test_no_file_is_no_finding(lint):
    options = {"paths": ["MODEL_CARD.md"], "keys": {"version": "version"}}
    assert lint({"m/model.onnx": W}, "front-matter", options) == []


def test_crlf_card(lint):
    text = "---\r\ntitle: Scorer\r\nversion: 1.10\r\n---\r\n# Card\r\n"
    options = {"paths": ["MODEL_CARD.md"], "keys": {"version": "version"}}
    assert lint({"m/model.onnx": W, CARD: text}, "front-matter", options) == [(CODE, CARD, 3)]

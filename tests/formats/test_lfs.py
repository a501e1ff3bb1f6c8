"""A file is an LFS pointer only when the whole file is one (git-lfs docs/spec.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from roadworthy.formats.lfs import MAX_POINTER_SIZE, Pointer, parse

OID = "sha256:" + "4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393"
VALID = f"version https://git-lfs.github.com/spec/v1\noid {OID}\nsize 12345\n".encode()


def test_a_valid_pointer_names_its_weights():
    assert parse(VALID) == Pointer(OID, 12345)


def test_extension_lines_in_sorted_order_are_allowed():
    data = VALID.replace(b"\noid", b"\next-0-foo sha256:" + b"c" * 64 + b"\noid")
    assert parse(data) == Pointer(OID, 12345)


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(VALID + b"\x00\x01appended weights", id="bytes-appended"),
        pytest.param(VALID + b"extra line\n", id="line-appended"),
        pytest.param(VALID + b"zzz 1\n\x00", id="key-after-size-then-bytes"),
        pytest.param(VALID + b"\n", id="blank-line-appended"),
        pytest.param(VALID[:-1], id="no-final-newline"),
        pytest.param(VALID.replace(b"\n", b"\r\n"), id="crlf"),
        pytest.param(VALID.replace(b"size 12345", b"size  12345"), id="two-spaces"),
        pytest.param(VALID.replace(b"size 12345", b"size -1"), id="negative-size"),
        pytest.param(VALID.replace(b"size 12345", b"size 012"), id="leading-zero"),
        pytest.param(VALID.replace(b"size 12345\n", b""), id="no-size"),
        pytest.param(VALID.replace(b"sha256:4d", b"sha256:4D"), id="upper-hex"),
        pytest.param(VALID.replace(b"sha256:", b"sha1:"), id="other-algorithm"),
        pytest.param(VALID.replace(b"/spec/v1", b"/spec/v2"), id="other-version"),
        pytest.param(
            b"version https://git-lfs.github.com/spec/v1\nsize 1\noid " + OID.encode() + b"\n",
            id="unsorted",
        ),
        pytest.param(VALID + b"size 99\n", id="repeated-key"),
        pytest.param(VALID.replace(b"oid", b"Oid"), id="key-outside-alphabet"),
        pytest.param(VALID + b"x" * MAX_POINTER_SIZE, id="over-1023-bytes"),
        pytest.param(VALID.replace(b"12345", b"\xff"), id="not-utf8"),
        pytest.param(b"", id="empty"),
    ],
)
def test_anything_but_a_whole_pointer_is_bytes(data):
    assert parse(data) is None


def test_real_pointers_from_the_corpus_parse(corpus: Path):
    pointers = sorted((corpus / "lfs").glob("*.lfs-pointer"))
    assert pointers
    for path in pointers:
        pointer = parse(path.read_bytes())
        assert pointer is not None, path.name
        assert pointer.oid.startswith("sha256:") and pointer.size > 0

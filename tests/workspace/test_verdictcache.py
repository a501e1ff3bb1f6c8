"""verdictcache: what a schema said of a document is kept between runs, used only for exactly
that schema, document and validating code, and only when it is plainly the user's own."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from testing.kept import installed_cache, reopened

from roadworthy.formats import verdicts
from roadworthy.formats.validation import Issue, Validator
from roadworthy.workspace import treecache, verdictcache
from roadworthy.workspace.verdictcache import KEEP, NAME, VerdictCache

SCHEMA = {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}}
CONTRACT = (
    "apiVersion: v3.0.2\nkind: DataContract\nid: orders\nversion: 1.0.0\nstatus: active\n"
    "schema:\n  - name: orders\n    properties:\n      - {name: a, logicalType: string}\n"
)
WEIGHTS = "placeholder weights\n"


@pytest.fixture()
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[VerdictCache]:
    yield from installed_cache(tmp_path / "ours", monkeypatch, VerdictCache, verdicts.install)


def _reopened(store: VerdictCache) -> VerdictCache:
    return reopened(store, verdicts.install)


def _refuse_to_validate(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(self, instance):
        raise AssertionError("validated again: the kept verdict was not used")

    monkeypatch.setattr(Validator, "_validated", fail)


def test_a_verdict_is_kept_and_used_for_the_same_schema_and_document(cache, monkeypatch):
    found = Validator(SCHEMA).issues({"id": 3})
    assert [i.path for i in found] == [("id",)]
    cache = _reopened(cache)
    _refuse_to_validate(monkeypatch)
    assert Validator(SCHEMA).issues({"id": 3}) == found
    with pytest.raises(AssertionError, match="validated again"):
        Validator(SCHEMA).issues({"id": 4})  # another document is validated


def test_another_schema_or_document_is_validated_afresh(cache, monkeypatch):
    Validator(SCHEMA).issues({"id": "a"})
    cache = _reopened(cache)
    assert Validator(SCHEMA).issues({"id": 3}) == [Issue(("id",), "3 is not of type 'string'")]
    looser = {**SCHEMA, "properties": {"id": {"type": ["string", "integer"]}}}
    assert Validator(looser).issues({"id": 3}) == []
    strict = Validator(SCHEMA, check_schema=True)
    assert strict._key("{}") != Validator(SCHEMA)._key("{}")  # a repository's own schema


def test_a_new_release_of_the_validating_code_is_a_new_key(monkeypatch):
    before = verdicts.schema_key(SCHEMA, None, False)
    monkeypatch.setattr(verdicts, "_code", lambda: "0" * 64)
    assert verdicts.schema_key(SCHEMA, None, False) != before


def test_keys_of_documents_that_read_alike_differ():
    schema = verdicts.schema_key(SCHEMA, None, False)
    assert schema is not None
    texts = [json.dumps(d) for d in ({"id": 1}, {"id": 1.0}, {"id": "1"}, {"id": True})]
    assert len({verdicts.key(schema, t) for t in texts}) == 4


def test_a_tampered_file_is_not_believed(cache, monkeypatch):
    Validator(SCHEMA).issues({"id": 3})
    cache.close()
    kept = cache.folder / NAME
    raw = kept.read_bytes()
    kept.write_bytes(raw.replace(b"is not of type", b"is not of kind"))  # MAC unchanged
    cache = _reopened(cache)
    assert Validator(SCHEMA).issues({"id": 3}) == [Issue(("id",), "3 is not of type 'string'")]


def test_a_file_signed_with_another_key_is_not_believed(tmp_path, monkeypatch):
    schema_key = verdicts.schema_key(SCHEMA, None, False)
    assert schema_key is not None
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "theirs"))
    theirs = VerdictCache.open()
    assert theirs is not None
    theirs.put(verdicts.key(schema_key, json.dumps({"id": 3})), [])  # "valid"
    theirs.close()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "ours"))
    ours = VerdictCache.open()
    assert ours is not None
    shutil.copyfile(theirs.folder / NAME, ours.folder / NAME)
    verdicts.install(ours)
    try:
        assert Validator(SCHEMA).issues({"id": 3}) != []
    finally:
        verdicts.install(None)
        ours.close()


@pytest.mark.parametrize(
    "verdict",
    [
        pytest.param("valid", id="not-a-list"),
        pytest.param([["id", "message"]], id="path-not-a-list"),
        pytest.param([[["id"]]], id="no-message"),
        pytest.param([[[1.5], "message"]], id="a-path-part-neither-key-nor-index"),
        pytest.param([[["id"], 3]], id="message-not-a-string"),
    ],
)
def test_a_malformed_verdict_of_ours_is_not_used(cache, verdict):
    # Signed with the user's own key (a bug of ours, say): the shape is still checked.
    schema_key = verdicts.schema_key(SCHEMA, None, False)
    assert schema_key is not None
    cache.add(verdicts.key(schema_key, json.dumps({"id": 3})), verdict)  # as written, unchecked
    cache = _reopened(cache)
    assert Validator(SCHEMA).issues({"id": 3}) == [Issue(("id",), "3 is not of type 'string'")]


def test_a_link_or_folder_at_the_files_name_is_neither_read_nor_written_through(cache, tmp_path):
    cache.close()
    elsewhere = tmp_path / "elsewhere.json"
    elsewhere.write_text("{}")
    (cache.folder / NAME).symlink_to(elsewhere)
    cache = _reopened(cache)
    Validator(SCHEMA).issues({"id": 3})
    cache.close()
    assert elsewhere.read_text() == "{}"
    assert not (cache.folder / NAME).is_symlink()
    (cache.folder / NAME).unlink()
    (cache.folder / NAME).mkdir()
    cache = _reopened(cache)
    assert Validator(SCHEMA).issues({"id": 3}) != []  # refused, validated: no internal error


def test_the_newest_verdicts_are_kept(cache):
    for i in range(KEEP + 20):
        Validator(SCHEMA).issues({"id": str(i)})
    cache.close()
    kept = json.loads((cache.folder / NAME).read_bytes()[32:])
    assert len(kept) == KEEP
    cache = VerdictCache.open()
    assert cache is not None
    schema_key = verdicts.schema_key(SCHEMA, None, False)
    assert schema_key is not None
    newest = verdicts.key(schema_key, json.dumps({"id": str(KEEP + 19)}))
    oldest = verdicts.key(schema_key, json.dumps({"id": "0"}))
    assert cache.get(newest) == [] and cache.get(oldest) is None
    cache.close()


def test_a_fifo_or_an_oversized_file_at_the_files_name_is_ignored(cache, monkeypatch):
    cache.close()
    os.mkfifo(cache.folder / NAME, 0o600)
    cache = _reopened(cache)  # opened without blocking, refused, validated afresh
    assert Validator(SCHEMA).issues({"id": 3}) != []
    cache.close()
    assert (cache.folder / NAME).is_file()  # replaced, never written through
    monkeypatch.setattr(treecache, "MAX_SIZE", 16)
    cache = _reopened(cache)
    _refuse_to_validate(monkeypatch)
    with pytest.raises(AssertionError, match="validated again"):
        Validator(SCHEMA).issues({"id": 3})  # the kept file is over the cap: not read
    cache.close()


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(b"[]", id="not-an-object"),
        pytest.param(b"\xff\xfe{", id="not-utf-8"),
        pytest.param(b"{", id="truncated"),
    ],
)
def test_a_signed_body_that_is_no_object_of_verdicts_is_ignored(cache, body):
    cache.close()
    (cache.folder / NAME).write_bytes(cache._mac(body) + body)
    cache = _reopened(cache)
    assert Validator(SCHEMA).issues({"id": 3}) == [Issue(("id",), "3 is not of type 'string'")]
    cache.close()


def test_a_planted_link_in_the_folders_place_keeps_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "ours"))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(mode=0o700)
    parent = tmp_path / "ours" / "roadworthy"
    parent.mkdir(parents=True, mode=0o700)
    (parent / verdictcache.FOLDER).symlink_to(elsewhere)
    assert VerdictCache.open() is None
    assert list(elsewhere.iterdir()) == []


def test_documents_whose_text_cannot_be_written_are_never_kept(cache):
    huge = int("f" * 4000, 16)  # a YAML hexadecimal integer: no decimal form in Python
    assert Validator(SCHEMA).issues({"id": huge}) != []
    assert Validator(SCHEMA).issues({"id": float("nan")}) != []
    assert cache._new == {}


def test_without_a_store_nothing_is_kept(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "ours"))
    Validator(SCHEMA).issues({"id": 3})
    assert not (tmp_path / "ours" / "roadworthy" / verdictcache.FOLDER / NAME).exists()


# --- end to end ------------------------------------------------------------------------------


def _check(repo: Path) -> subprocess.CompletedProcess[str]:
    """A check in its own interpreter, saying whether it imported a validating library."""
    script = textwrap.dedent(
        """
        import sys
        from roadworthy.cli import main
        code = main(["check", "--format", "json"])
        loaded = sorted(m for m in ("jsonschema_rs", "jsonschema") if m in sys.modules)
        print(" ".join(loaded) or "-", file=sys.stderr)
        sys.exit(code)
        """
    )
    return subprocess.run(
        [sys.executable, "-c", script], cwd=repo, capture_output=True, text=True, timeout=60
    )


def test_a_repeated_check_imports_no_validator_and_reports_the_same(
    make_repo, tmp_path, monkeypatch
):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "ours"))
    monkeypatch.delenv("CI", raising=False)  # (a full check in a CI job keeps no verdicts)
    broken = CONTRACT.replace("status: active", "status: 7")
    repo = make_repo(
        {
            "models/a/model.onnx": WEIGHTS,
            "models/a/data_contract.yaml": CONTRACT,
            "models/b/model.onnx": WEIGHTS,
            "models/b/data_contract.yaml": broken,
        }
    )
    first, again = _check(repo.path), _check(repo.path)
    assert first.returncode == again.returncode == 1, first.stderr
    assert first.stderr.splitlines()[-1] == "jsonschema_rs"
    assert again.stderr.splitlines()[-1] == "-"  # every verdict was kept
    assert again.stdout == first.stdout
    paths = {f["path"] for f in json.loads(again.stdout)["findings"]}
    assert "models/b/data_contract.yaml" in paths  # the broken contract's finding stays
    # The contract changes: it is validated again, and its finding goes.
    (repo.path / "models/b/data_contract.yaml").write_text(CONTRACT.replace("orders", "items"))
    fixed = _check(repo.path)
    assert fixed.stderr.splitlines()[-1] == "jsonschema_rs"
    assert "models/b/data_contract.yaml" not in {
        f["path"] for f in json.loads(fixed.stdout)["findings"]
    }

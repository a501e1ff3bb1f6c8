"""ownerscache: a kept CODEOWNERS gives exactly what a fresh parse gives, and a kept entry is
believed only when it is plainly this user's own, signed with this user's key, for this text."""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from testing.gitrepo import GitRepo

from roadworthy.artifacts import KEEP_CODEOWNERS_FROM
from roadworthy.formats import codeowners_file
from roadworthy.formats.codeowners_file import CodeOwners
from roadworthy.workspace import ownerscache
from roadworthy.workspace.ownerscache import OwnersCache
from tests.formats.test_codeowners_file import _generated_file, _generated_paths

# Lines a generated file mixes in: escapes, comments, CRLF, and every kind of problem.
ODD_LINES = [
    "",
    "   ",
    "# a comment",
    "docs/*.md @docs # trailing comment",
    "path\\ with\\ spaces/ @a",
    "\\*.literal @b",
    "!negated @a",
    "[Section] @a",
    "^[Optional][2] @a",
    "a//b @a",
    "./x @a",
    "\\#nope @a",
    "dangling\\",
    "/ok/ not-an-owner",
    "@pattern-missing",
    "bad\x07char @a",
    "undecodable\udcff @a",
    "/x/[ab] @a",
    "/ @a",
    "** @everyone",
    "/** @root",
    "*.tar.gz x@example.com @org/t",
]


def _odd_file(rng: random.Random, rules: int) -> str:
    lines = _generated_file(rng, rules).splitlines()
    for _ in range(rules // 4):
        lines.insert(rng.randrange(len(lines) + 1), rng.choice(ODD_LINES))
    breaks = rng.choice(["\n", "\r\n", "\r"])
    return ("\ufeff" if rng.random() < 0.5 else "") + breaks.join(lines) + breaks


def _paths_for(owners: CodeOwners, rng: random.Random) -> list[tuple[str, bool]]:
    """Paths a file's own patterns name (wildcards filled in) and random ones, files and
    folders, with the odd spellings `owners_of` tidies."""
    named = []
    for rule in owners.rules:
        path = rule.pattern.strip("/").replace("**", "a/b").replace("*", "x").replace("?", "q")
        named += [path, f"{path}/inner/file.py", f"deep/{path}"]
    paths = named + _generated_paths(rng, 400) + ["", ".", "/x//y/./z.py", "a/"]
    return [(p, is_dir) for p in paths for is_dir in (False, True)]


def _same_answers(kept: CodeOwners, fresh: CodeOwners, rng: random.Random) -> None:
    assert (kept.path, kept.rules, kept.problems) == (fresh.path, fresh.rules, fresh.problems)
    assert kept == fresh and repr(kept) == repr(fresh)
    ignored = frozenset(rng.sample([r.pattern for r in fresh.rules], min(20, len(fresh.rules))))
    for path, is_dir in _paths_for(fresh, rng):
        for catch_all, patterns in ((False, frozenset[str]()), (True, ignored)):
            asked = {"is_dir": is_dir, "ignore_catch_all": catch_all, "ignore_patterns": patterns}
            assert kept.owners_of(path, **asked) == fresh.owners_of(path, **asked), (path, asked)


@pytest.fixture()
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[OwnersCache]:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    opened = OwnersCache.open()
    assert opened is not None
    yield opened
    opened.close()


def _kept(cache: OwnersCache, text: str, path: str) -> CodeOwners:
    fresh = codeowners_file.parse(text, path)
    assert cache.load(text, path) is None
    cache.store(text, fresh)
    kept = cache.load(text, path)
    assert kept is not None and kept is not fresh
    assert kept._built is not None  # indexed as kept: nothing is built on the first lookup
    return kept


@pytest.mark.parametrize("seed", range(6))
def test_a_kept_generated_file_answers_as_a_fresh_parse(cache: OwnersCache, seed: int) -> None:
    rng = random.Random(seed)
    text = _odd_file(rng, rng.choice([30, 300, 1500]))
    fresh = codeowners_file.parse(text, "CODEOWNERS")
    assert fresh.problems  # the odd lines are there, and reported with their line numbers
    _same_answers(_kept(cache, text, "CODEOWNERS"), fresh, rng)


def test_every_kept_corpus_file_answers_as_a_fresh_parse(cache: OwnersCache, corpus: Path) -> None:
    files = sorted((corpus / "codeowners").iterdir())
    assert len(files) >= 8
    for file in files:
        text = file.read_text(encoding="utf-8")
        fresh = codeowners_file.parse(text, ".github/CODEOWNERS")
        _same_answers(_kept(cache, text, ".github/CODEOWNERS"), fresh, random.Random(file.name))


def test_a_kept_entry_takes_the_path_it_is_read_from(cache: OwnersCache) -> None:
    text = "/a/ @x\n"
    cache.store(text, codeowners_file.parse(text, ".github/CODEOWNERS"))
    kept = cache.load(text, "docs/CODEOWNERS")
    assert kept is not None and kept.path == "docs/CODEOWNERS"


def test_an_entry_for_another_text_is_not_believed(cache: OwnersCache) -> None:
    one, other = "/a/ @x\n", "/b/ @y\n"
    cache.store(one, codeowners_file.parse(one))
    name = ownerscache._file_name(ownerscache._digest(one))
    os.rename(
        cache.folder / name, cache.folder / ownerscache._file_name(ownerscache._digest(other))
    )
    assert cache.load(other, "CODEOWNERS") is None


@pytest.mark.parametrize(
    "plain",
    [
        pytest.param(None, id="none"),
        pytest.param((99,), id="other-format"),
        pytest.param(lambda p: (*p[:7], [10**6], *p[8:]), id="index-outside-the-rules"),
        pytest.param(lambda p: (*p[:3], p[3][:-1], *p[4:]), id="patterns-short"),
        pytest.param(lambda p: (*p[:7], ["x"], *p[8:]), id="index-not-a-number"),
        pytest.param(lambda p: (p[0], (*p[1][:-1], ("x", "@a", 1)), *p[2:]), id="rule-row"),
    ],
)
def test_a_form_this_version_does_not_write_is_refused(plain: object) -> None:
    good = codeowners_file.parse("* @a\n/b/ @b\n*.py @c\n").plain()
    bad = plain(good) if callable(plain) else plain
    with pytest.raises(ValueError, match="not a plain CODEOWNERS form"):
        CodeOwners.from_plain("CODEOWNERS", bad)


# What one generated file's plain form hashes to, per PLAIN_FORMAT. A kept entry is only as
# good as the code that made it: when this changes, so does what kept entries hold, and
# codeowners_file.PLAIN_FORMAT must move on (with a new line here) so that none is believed.
PLAIN_DIGESTS = {1: "11c3620c662f336dfcd3fc09e351bf2a2f1b047962f3f4ba3e07262dce9efa69"}


def test_a_change_to_what_is_kept_comes_with_a_new_plain_format() -> None:
    plain = codeowners_file.parse(_odd_file(random.Random(2024), 300)).plain()
    digest = hashlib.sha256(json.dumps(plain).encode()).hexdigest()
    assert PLAIN_DIGESTS.get(codeowners_file.PLAIN_FORMAT) == digest


# --- the real CLI on a real repository ----------------------------------------------------------

MODEL = "models/churn/model.onnx"


def _codeowners(owned: str) -> str:
    # Large enough to be kept (KEEP_CODEOWNERS_FROM); the last rule owns the component.
    filler = [f"/filler/area_{i}/ @acme/team-{i % 7}" for i in range(400)]
    return "\n".join(["# owners", *filler, f"/models/{owned}/ @acme/churn"]) + "\n"


TEXT = _codeowners("churn")
WRONG = codeowners_file.parse(_codeowners("chxrn"), ".github/CODEOWNERS")  # owns another folder


def _unowned(run_cli, repo: GitRepo) -> bool:
    """Whether the check finds the component without an owner (RW301)."""
    ownerscache.parse.cache_clear()  # in-process memo: each run reads the kept entry anew
    result = run_cli("check", "--format", "json", cwd=repo.path)
    assert result.exit_code in (0, 1), result.err
    return any(f["code"] == "RW301" for f in json.loads(result.out)["findings"])


@pytest.fixture()
def repo(make_repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> GitRepo:
    assert len(TEXT) >= KEEP_CODEOWNERS_FROM
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "ours"))
    return make_repo({MODEL: "weights\n", ".github/CODEOWNERS": TEXT})


def _entry(folder: Path) -> Path:
    return folder / ownerscache._file_name(ownerscache._digest(TEXT))


def _ours(tmp_path: Path) -> Path:
    return tmp_path / "ours" / "roadworthy" / "codeowners"


def test_the_check_keeps_the_file_and_believes_its_own_entry(run_cli, repo, tmp_path) -> None:
    assert not _unowned(run_cli, repo)
    entry = _entry(_ours(tmp_path))
    assert entry.is_file() and entry.stat().st_mode & 0o077 == 0
    # The control: an entry signed with our key for this text is what the check goes by.
    cache = OwnersCache.open()
    assert cache is not None
    cache.store(TEXT, WRONG)
    cache.close()
    assert _unowned(run_cli, repo)


def test_a_tampered_entry_is_parsed_afresh_and_written_anew(run_cli, repo, tmp_path) -> None:
    assert not _unowned(run_cli, repo)
    entry = _entry(_ours(tmp_path))
    signed = entry.read_bytes()
    entry.write_bytes(signed.replace(b"churn", b"chxrn"))  # the same length, MAC unchanged
    assert not _unowned(run_cli, repo)
    assert entry.read_bytes() == signed


def test_an_entry_signed_with_another_key_is_not_believed(
    run_cli, repo, tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "theirs"))
    theirs = OwnersCache.open()
    assert theirs is not None
    theirs.store(TEXT, WRONG)
    theirs.close()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "ours"))
    assert not _unowned(run_cli, repo)  # makes our folder and key
    shutil.copyfile(_entry(theirs.folder), _entry(_ours(tmp_path)))
    assert not _unowned(run_cli, repo)


def _plant_wrong_entry(tmp_path: Path) -> Path:
    """A believable wrong entry (signed with our key) moved out of our folder."""
    cache = OwnersCache.open()
    assert cache is not None
    cache.store(TEXT, WRONG)
    cache.close()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(mode=0o700)
    _entry(_ours(tmp_path)).rename(_entry(elsewhere))
    return elsewhere


def test_an_entry_behind_a_link_is_not_believed(run_cli, repo, tmp_path) -> None:
    elsewhere = _plant_wrong_entry(tmp_path)
    target = _entry(elsewhere)
    planted = target.read_bytes()
    _entry(_ours(tmp_path)).symlink_to(target)
    assert not _unowned(run_cli, repo)
    assert not _entry(_ours(tmp_path)).is_symlink()  # replaced by our own entry...
    assert target.read_bytes() == planted  # ...not written through the link


def test_a_linked_folder_is_not_used(run_cli, repo, tmp_path) -> None:
    elsewhere = _plant_wrong_entry(tmp_path)
    _ours(tmp_path).rmdir()
    _ours(tmp_path).symlink_to(elsewhere)
    assert not _unowned(run_cli, repo)
    assert list(elsewhere.iterdir()) == [_entry(elsewhere)]  # nothing written through it


@pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() != 0, reason="needs chown")
def test_an_entry_or_folder_of_another_user_is_not_believed(run_cli, repo, tmp_path) -> None:
    cache = OwnersCache.open()
    assert cache is not None
    cache.store(TEXT, WRONG)
    cache.close()
    os.chown(_entry(_ours(tmp_path)), 4242, 4242)
    assert not _unowned(run_cli, repo)
    cache = OwnersCache.open()
    assert cache is not None
    cache.store(TEXT, WRONG)
    cache.close()
    os.chown(_ours(tmp_path), 4242, 4242)
    assert not _unowned(run_cli, repo)
    assert OwnersCache.open() is None


def test_an_entry_others_can_write_is_not_believed(run_cli, repo, tmp_path) -> None:
    cache = OwnersCache.open()
    assert cache is not None
    cache.store(TEXT, WRONG)
    cache.close()
    _entry(_ours(tmp_path)).chmod(0o622)
    assert not _unowned(run_cli, repo)

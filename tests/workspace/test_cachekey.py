"""cachekey: the key that signs kept tree entries lives in the user's cache folder, is made
once (0600) and is refused, with nothing kept, when it is a link, another's, or readable by
others."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from roadworthy.workspace import cachekey
from roadworthy.workspace.treecache import TreeCache


@pytest.fixture()
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "roadworthy"


def _nothing_kept(tmp_path: Path) -> bool:
    (tmp_path / "repo" / ".git").mkdir(parents=True, exist_ok=True)
    return TreeCache.at(tmp_path / "repo" / ".git").folder is None


def test_the_key_is_made_once_private_and_reused(home: Path, tmp_path: Path) -> None:
    key = cachekey.secret()
    assert key is not None and len(key) == cachekey.SIZE
    found = (home / "key").lstat()
    assert stat.S_ISREG(found.st_mode) and found.st_mode & 0o777 == 0o600
    assert cachekey.secret() == key
    assert sorted(p.name for p in home.iterdir()) == ["key"]  # no temporary left behind
    assert not _nothing_kept(tmp_path)


def test_a_relative_xdg_cache_home_is_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")
    assert cachekey.cache_home() == Path.home() / ".cache"


def test_a_linked_key_is_refused_and_nothing_is_kept(home: Path, tmp_path: Path) -> None:
    known = tmp_path / "known-key"
    known.write_bytes(b"k" * cachekey.SIZE)
    known.chmod(0o600)
    home.mkdir(parents=True)
    (home / "key").symlink_to(known)
    assert cachekey.secret() is None
    assert _nothing_kept(tmp_path)


@pytest.mark.parametrize("mode", [0o640, 0o604, 0o666])
def test_a_key_others_can_read_is_refused(home: Path, tmp_path: Path, mode: int) -> None:
    assert cachekey.secret() is not None
    (home / "key").chmod(mode)
    assert cachekey.secret() is None
    assert _nothing_kept(tmp_path)


def test_a_key_of_the_wrong_size_is_refused(home: Path) -> None:
    assert cachekey.secret() is not None
    (home / "key").write_bytes(b"short")
    assert cachekey.secret() is None


@pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() != 0, reason="needs chown")
def test_a_key_or_folder_of_another_user_is_refused(home: Path) -> None:
    assert cachekey.secret() is not None
    os.chown(home / "key", 4242, 4242)
    assert cachekey.secret() is None
    os.chown(home / "key", 0, 0)
    assert cachekey.secret() is not None
    os.chown(home, 4242, 4242)
    assert cachekey.secret() is None


def test_a_key_folder_others_can_write_is_refused(home: Path) -> None:
    assert cachekey.secret() is not None
    home.chmod(0o777)
    assert cachekey.secret() is None

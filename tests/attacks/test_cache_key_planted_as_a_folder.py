"""The per-user key that signs kept tree entries and layouts lives in the user's cache folder
(``$XDG_CACHE_HOME/roadworthy/key``), and a CI cache restored from another job (or another user)
can put anything there. A key that is a link, a FIFO, another user's or the wrong size is refused
and nothing is kept (docs/security.md); a folder named ``key`` opens for reading like a file,
and wrapping its descriptor in a file object raises ``IsADirectoryError``: every diff-mode check
on that runner ends in an internal error (exit 3) instead of running with nothing kept."""

from __future__ import annotations

from tests.change.conftest import MALLORY


def test_a_folder_in_the_keys_place_keeps_nothing_and_checks_the_change(
    credit_repo, judge, tmp_path, monkeypatch
):
    restored = tmp_path / "restored-cache"
    (restored / "roadworthy" / "key").mkdir(parents=True, mode=0o700)
    (restored / "roadworthy").chmod(0o700)
    repo = credit_repo
    repo.write({"models/credit/model.onnx": b"weights-v2\n"})
    repo.commit("retrain", author=MALLORY)
    expected = judge(repo)  # with a usable key, in the test session's cache folder
    monkeypatch.setenv("XDG_CACHE_HOME", str(restored))

    assert judge(repo) == expected  # not a crash: the same findings, nothing kept or read
    assert any(c == "RW401" for c, _, _ in expected[1]), expected

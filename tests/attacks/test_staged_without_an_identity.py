"""Staged mode asks git for the committer (`git var GIT_AUTHOR_IDENT`) when `Authors` is made
and reads the answer when an approval is judged. Without a configured identity (CI running
pre-commit, ``user.useConfigOnly``) git fails, and nobody can be the author. The failure was
read once: the second approval judged (a material change and a governance change) found the
command's answer taken and crashed (internal error, exit 3) instead of reporting findings."""

from __future__ import annotations

from tests.change.conftest import CODEOWNERS, base_files, codes


def test_staged_changes_without_an_identity_are_judged(make_repo, judge, monkeypatch):
    repo = make_repo(base_files())
    repo.git("config", "user.useConfigOnly", "true")
    for key in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "EMAIL"):
        monkeypatch.delenv(key, raising=False)
    repo.write(
        {
            "models/credit/model.onnx": b"weights-v2\n",
            ".github/CODEOWNERS": CODEOWNERS + "/docs/ @alice\n",
        }
    )
    repo.git("add", "-A")
    code, found = judge(repo, "--staged")
    assert code == 1
    assert "RW401" in codes(found) and "RW407" in codes(found)

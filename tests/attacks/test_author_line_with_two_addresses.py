"""A one-commit range is credited to its author as the new fast path reads it from the commit
object: the last ``<...>`` before the date. git itself takes the first (``%ae``, ``git log``, the
web views): an author line ``Alice Owner <alice@example.com> <bob@example.com> ...`` is alice's
commit to git, bob's to roadworthy. alice retrains the credit model and approves it in the same
commit, and her self-approval is no longer seen."""

from __future__ import annotations

import os
import subprocess

import pytest
from testing.gitrepo import GIT_ENV, GitRepo

from tests.change.conftest import approve, card

PLAIN = b"Alice Owner <alice@example.com>"
FORGED = b"Alice Owner <alice@example.com> <bob@example.com>"


@pytest.mark.parametrize("ident", [PLAIN, FORGED], ids=["plain", "two-addresses"])
def test_the_author_is_who_git_says(credit_repo: GitRepo, judge, run_cli, ident: bytes) -> None:
    repo = credit_repo
    repo.write(
        {"models/credit/model.onnx": b"weights-v2\n", "models/credit/MODEL_CARD.md": card("1.1.0")}
    )
    repo.add_all()
    approve(run_cli, repo, "models/credit", "--by", "@alice")
    repo.add_all()
    tree = repo.git("write-tree").strip()
    parent = repo.head
    raw = (
        b"tree %s\nparent %s\nauthor %s 1793534400 +0000\ncommitter %s 1793534400 +0000\n\nretrain\n"
        % (tree.encode(), parent.encode(), ident, PLAIN)
    )
    commit = _hash_commit(repo, raw)
    repo.git("update-ref", "refs/heads/main", commit)
    repo.git("reset", "-q", "--hard")
    assert repo.git("log", "-1", "--format=%ae").strip() == "alice@example.com"  # git's view
    code, found = judge(repo)
    assert any("self-approval" in message for _, _, message in found), found
    assert code == 1


def _hash_commit(repo: GitRepo, raw: bytes) -> str:
    proc = subprocess.run(
        ["git", "hash-object", "--literally", "-t", "commit", "-w", "--stdin"],
        cwd=repo.path,
        input=raw,
        capture_output=True,
        check=True,
        env={**os.environ, **GIT_ENV},
    )
    return proc.stdout.decode().strip()

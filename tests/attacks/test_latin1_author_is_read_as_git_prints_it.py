"""A commit may say its header's encoding (``encoding ISO-8859-1``): git re-encodes the author
line to UTF-8 wherever it shows it (``git log``, ``%ae``), which is how main reads it. The
one-commit fast path decodes the raw bytes as UTF-8, so ``alicé`` written in Latin-1 becomes
``alic\\ufffd``: no longer the address the policy gives @alice, and her approval of her own
weights is not a self-approval."""

from __future__ import annotations

import os
import subprocess

import pytest
from testing.gitrepo import GIT_ENV, GitRepo

from tests.change.conftest import POLICY, approve, base_files, card

ALICE = "alic\u00e9@example.com"


def _commit(repo: GitRepo, author: bytes, encoding: bytes) -> str:
    tree = repo.git("write-tree").strip().encode()
    parent = repo.head.encode()
    raw = b"tree %s\nparent %s\nauthor Alice <%s> 1793534400 +0000\n" % (tree, parent, author)
    raw += b"committer Alice <%s> 1793534400 +0000\n%s\nretrain\n" % (author, encoding)
    proc = subprocess.run(
        ["git", "hash-object", "-t", "commit", "-w", "--stdin"],
        cwd=repo.path,
        input=raw,
        capture_output=True,
        check=True,
        env={**os.environ, **GIT_ENV},
    )
    return proc.stdout.decode().strip()


@pytest.mark.parametrize(
    ("author", "encoding"),
    [
        pytest.param(ALICE.encode("utf-8"), b"", id="utf-8"),
        pytest.param(ALICE.encode("latin-1"), b"encoding ISO-8859-1\n", id="latin-1"),
    ],
)
def test_the_author_is_read_in_the_commits_encoding(
    make_repo, judge, run_cli, author: bytes, encoding: bytes
) -> None:
    policy = POLICY.replace('"@alice": [alice@example.com]', f'"@alice": ["{ALICE}"]')
    repo = make_repo({**base_files(), "roadworthy.yaml": policy})
    repo.git("branch", "base")
    repo.write(
        {"models/credit/model.onnx": b"weights-v2\n", "models/credit/MODEL_CARD.md": card("1.1.0")}
    )
    repo.add_all()
    approve(run_cli, repo, "models/credit", "--by", "@alice")
    repo.add_all()
    repo.git("update-ref", "refs/heads/main", _commit(repo, author, encoding))
    repo.git("reset", "-q", "--hard")
    assert repo.git("log", "-1", "--format=%ae").strip() == ALICE  # git's view
    code, found = judge(repo)
    assert any("self-approval" in message for _, _, message in found), found
    assert code == 1

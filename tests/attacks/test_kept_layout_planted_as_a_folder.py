"""A ``.git`` can arrive with the repository (an archive, a restored CI cache, a copied work
tree) and unpacks as the user's own files: ``.git/roadworthy/`` then holds what the archive's
author put there. Discovery's kept layout is named by the digest of the head's markers, the
discovery spec and the repository's name, and a kept tree entry by the tree id and the marker
patterns: all known to anyone who has the repository. A folder planted under such a name is
no link and no FIFO, and opens for reading like a file (``O_RDONLY``); wrapping the descriptor
in a file object then raises ``IsADirectoryError``, and every diff-mode check of the repository
ends in an internal error (exit 3), where anything under a kept name that is not a regular file
of the user's should be ignored and rebuilt from git."""

from __future__ import annotations

import json

import pytest

from tests.change.conftest import MALLORY


@pytest.mark.parametrize("suffix", [".layout", ".json"])
def test_a_folder_under_a_kept_name_is_ignored(credit_repo, judge, suffix):
    repo = credit_repo
    repo.write({"models/credit/model.onnx": b"weights-v2\n"})
    repo.commit("retrain", author=MALLORY)
    first = judge(repo)
    kept = repo.path / ".git" / "roadworthy"
    planted = [p for p in kept.iterdir() if p.suffix == suffix]
    assert planted  # the first check kept its layout and its tree entries
    for path in planted:  # what the archive's author put there instead
        path.unlink()
        path.mkdir()
        (path / "x").write_text(json.dumps({"roots": []}))

    assert judge(repo) == first  # not a crash: the same findings, made from git
    assert any(c == "RW401" for c, _, _ in first[1]), first  # the retrain still needs approval

"""False positive guard: a symlink in a component that leads to its own notes is not a
serving link; re-pointing it is no weights change."""

from __future__ import annotations

import os

from testing.gitrepo import GitRepo

from tests.change.conftest import codes


def test_repointing_a_docs_link_is_no_weights_change(credit_repo: GitRepo, judge):
    repo = credit_repo
    repo.write({"models/credit/notes/v1.md": "# v1\n", "models/credit/notes/v2.md": "# v2\n"})
    os.symlink("notes/v1.md", repo.path / "models/credit/NOTES.md")
    repo.commit("notes link")
    repo.git("branch", "-f", "base")
    (repo.path / "models/credit/NOTES.md").unlink()
    os.symlink("notes/v2.md", repo.path / "models/credit/NOTES.md")
    repo.commit("point the notes at v2")
    _, found = judge(repo)
    assert "RW401" not in codes(found), found

"""Attack on the serving-link filter (only a link to a folder or to a weights-named file
counts): the deployment reads ``serve/credit``, a symlink outside every component to one of
the credit model's Git LFS weights files, named by release (``releases/release-1``; an LFS
pointer is weights whatever its name, as change control says of a pointer itself). A pull
request re-points the serving link at an unapproved release: what is served changes, but the
target's name is no weights name, so the link is no serving link and nothing is judged."""

from __future__ import annotations

import os

from testing.gitrepo import GitRepo

from tests.change.conftest import MALLORY, codes


def _pointer(digit: str) -> str:
    return f"version https://git-lfs.github.com/spec/v1\noid sha256:{digit * 64}\nsize 52428800\n"


def test_repointing_a_serving_link_between_lfs_releases_is_new_weights(credit_repo: GitRepo, judge):
    repo = credit_repo
    repo.write(
        {
            "models/credit/releases/release-1": _pointer("1"),
            "models/credit/releases/release-2": _pointer("2"),
        }
    )
    (repo.path / "serve").mkdir()
    os.symlink("../models/credit/releases/release-1", repo.path / "serve/credit")
    repo.commit("serve release 1")
    repo.git("branch", "-f", "base")

    (repo.path / "serve/credit").unlink()
    os.symlink("../models/credit/releases/release-2", repo.path / "serve/credit")
    repo.commit("serve release 2", author=MALLORY)
    code, found = judge(repo)
    assert "RW401" in codes(found), found
    assert code == 1

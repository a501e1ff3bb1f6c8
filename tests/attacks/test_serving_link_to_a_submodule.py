"""Attack on the serving-link filter (only a link to a folder or to a weights-named file
counts): a component's ``weights`` is a symlink to a submodule holding them (Hugging Face model
repositories vendored as submodules: ``vendor/credit-v1``, ``vendor/experiment``). A submodule
is no folder of the tree (mode 160000) and its name is no weights name, so re-pointing the link
from the approved submodule to another is no change — though a submodule bump inside a
component is material."""

from __future__ import annotations

import os

from testing.gitrepo import GitRepo

from tests.change.conftest import MALLORY, codes


def _submodule(repo: GitRepo, path: str, digit: str) -> None:
    repo.git("update-index", "--add", "--cacheinfo", f"160000,{digit * 40},{path}")


def test_repointing_a_link_between_submodules_is_new_weights(credit_repo: GitRepo, judge):
    repo = credit_repo
    _submodule(repo, "vendor/credit-v1", "1")
    _submodule(repo, "vendor/experiment", "2")
    os.symlink("../../vendor/credit-v1", repo.path / "models/credit/weights")
    # Staged by name: `git add -A` would drop the gitlinks (no checkout of them here).
    repo.git("add", "models/credit/weights")
    repo.commit("serve the vendored credit model", stage_all=False)
    repo.git("branch", "-f", "base")

    (repo.path / "models/credit/weights").unlink()
    os.symlink("../../vendor/experiment", repo.path / "models/credit/weights")
    repo.git("add", "models/credit/weights")
    repo.commit("serve the experiment", author=MALLORY, stage_all=False)
    assert "160000" in repo.git("ls-tree", "-r", "HEAD", "vendor").__str__()
    code, found = judge(repo)
    assert "RW401" in codes(found), found
    assert code == 1

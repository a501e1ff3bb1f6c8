"""Submodules are material "inside (or as) a component's weights path". A weights link into a
submodule kept elsewhere (``models/credit/model.onnx -> ../../vendor/weights/credit.onnx``,
``vendor/weights`` a submodule of a weights repository, checked out with ``submodules: true``)
is followed to ``vendor/weights/credit.onnx``, which no tree lists; a bump of the submodule
changes ``vendor/weights`` and the chain is not seen to touch it. What the credit model serves
changed, and no component is judged: 0 findings."""

from __future__ import annotations

import os

from testing.gitrepo import GitRepo

from tests.change.conftest import MALLORY, codes


def _pin(repo: GitRepo, sha: str) -> None:
    repo.git("update-index", "--add", "--cacheinfo", f"160000,{sha},vendor/weights")


def test_a_submodule_bump_behind_a_weights_link_is_material(credit_repo: GitRepo, judge):
    repo = credit_repo
    v1, v2 = "1" * 40, "2" * 40  # commits of the weights repository
    repo.write({"models/credit/model.onnx": None})
    os.symlink("../../vendor/weights/credit.onnx", repo.path / "models/credit/model.onnx")
    repo.add_all()
    _pin(repo, v1)
    repo.commit("weights from the weights repository", stage_all=False)
    repo.git("branch", "-f", "base")

    _pin(repo, v2)
    repo.commit("bump the weights repository", author=MALLORY, stage_all=False)
    code, found = judge(repo)
    assert "RW401" in codes(found), found
    assert code == 1

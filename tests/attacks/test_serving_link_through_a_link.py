"""A serving link re-pointed through another link. The serving path ``models/credit`` points at
``../store/current``, itself a link to the component ``store/credit-v1`` (blue/green release
links: ``store/current``, ``store/next``). The fix for re-pointed serving links judges the
components at either end of the link, one hop only: re-pointing ``models/credit`` from
``store/current`` to ``store/next`` (which leads to mallory's shadow experiment) has a link at
both ends and no component. The credit model's serving path now serves other weights, with
other owners, risk and stage: 0 findings."""

from __future__ import annotations

import os

from testing.gitrepo import GitRepo

from tests.change.conftest import MALLORY, base_files, card, codes


def test_repointing_a_serving_link_to_another_release_link_is_material(make_repo, judge):
    files = {}
    for path, content in base_files().items():
        if path.startswith("models/credit/"):
            rest = path.removeprefix("models/credit/")
            files[f"store/credit-v1/{rest}"] = content
            files[f"store/experiment/{rest}"] = content
        else:
            files[path] = content
    files["store/experiment/model.onnx"] = b"experiment-weights\n"
    files["store/experiment/MODEL_CARD.md"] = card(stage="shadow", risk="minimal")
    files[".github/CODEOWNERS"] = (
        "/roadworthy.yaml @alice @bob\n/.github/ @alice @bob\n"
        "/store/credit-v1/ @alice @bob\n/store/experiment/ @mallory\n"
    )
    repo: GitRepo = make_repo(files)
    (repo.path / "models").mkdir()
    os.symlink("credit-v1", repo.path / "store/current")
    os.symlink("experiment", repo.path / "store/next")
    os.symlink("../store/current", repo.path / "models/credit")
    repo.commit("serve credit-v1 through the current release link")
    repo.git("branch", "base")

    (repo.path / "models/credit").unlink()
    os.symlink("../store/next", repo.path / "models/credit")
    repo.commit("serve the next release", author=MALLORY)
    assert (repo.path / "models/credit/model.onnx").read_bytes() == b"experiment-weights\n"
    code, found = judge(repo)
    assert "RW401" in codes(found), found
    assert code == 1

"""The serving path is a committed symlink to a component folder (``models/credit ->
../store/credit-v1``, a release-directory layout). A pull request re-points it at another
component the author owns (an experiment: risk minimal, stage shadow). What serves as the
credit model is now other weights, with other owners, risk and stage; the link sits in no
component, so nothing is material and every diff mode passes."""

from __future__ import annotations

import os

from testing.gitrepo import GitRepo

from tests.change.conftest import MALLORY, base_files, card, codes


def test_repointing_a_symlink_to_another_component_is_material(make_repo, judge):
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
    os.symlink("../store/credit-v1", repo.path / "models/credit")
    repo.commit("serve credit-v1")
    repo.git("branch", "base")

    (repo.path / "models/credit").unlink()
    os.symlink("../store/experiment", repo.path / "models/credit")
    repo.commit("serve the experiment", author=MALLORY)
    code, found = judge(repo)
    assert "RW401" in codes(found), found
    assert code == 1

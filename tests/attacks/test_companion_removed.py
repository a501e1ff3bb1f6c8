"""With the default markers, a ``*.bin`` marks a component only beside a ``config.json``
(CTranslate2, Hugging Face, PEFT folders). A removed component is looked for among the removed
*marker* files, and ``config.json`` is none: a change that deletes it makes the component vanish
from the head without being a removal, and whatever else the change does to the folder — new
weights — is judged by no component. 0 findings, exit 0."""

from __future__ import annotations

import pytest
from testing.gitrepo import GitRepo

from tests.change.conftest import CODEOWNERS, MALLORY, base_files, codes


@pytest.fixture()
def ct2_repo(make_repo) -> GitRepo:
    files = {
        path.replace("models/credit/", "models/ct2/"): content
        for path, content in base_files().items()
        if path != "models/credit/model.onnx"
    }
    files["models/ct2/model.bin"] = b"ct2-weights-v1\n"
    files["models/ct2/config.json"] = '{"layer_norm_epsilon": 1e-06}\n'
    files[".github/CODEOWNERS"] = CODEOWNERS.replace("/models/credit/", "/models/ct2/")
    repo: GitRepo = make_repo(files)
    repo.git("branch", "base")
    return repo


def test_new_weights_are_judged_when_the_change_drops_the_companion(ct2_repo: GitRepo, judge):
    repo = ct2_repo
    repo.write({"models/ct2/model.bin": b"weights-EVIL\n"})
    repo.commit("new weights", author=MALLORY)
    assert "RW401" in codes(judge(repo)[1])  # with config.json still there: caught

    repo.write({"models/ct2/config.json": None})
    repo.commit("config.json is generated at load time", author=MALLORY)
    code, found = judge(repo)
    assert "RW401" in codes(found), found
    assert code == 1

"""Attack: DVC tracks a folder of weights (``dvc add models/credit/model``): the ``.dvc`` file's
md5 ends in ``.dir`` (DVC's hash of a directory listing). A retrain that gives the folder a new
``.dir`` md5 is new weights, yet the md5 reader only takes 32 hex digits and drops the entry."""

from __future__ import annotations

import pytest
from testing.gitrepo import GitRepo

from tests.change.conftest import MALLORY, base_files

LOCK = """\
schema: '2.0'
stages:
  train:
    cmd: python train.py
    outs:
    - path: model
      md5: {md5}.dir
      size: 52428800
      nfiles: 3
"""
DVC = "outs:\n- md5: {md5}.dir\n  size: 52428800\n  nfiles: 3\n  hash: md5\n  path: model\n"


@pytest.mark.parametrize(
    ("path", "text"),
    [
        pytest.param("models/credit/model.dvc", DVC, id="dvc-file"),
        pytest.param("models/credit/dvc.lock", LOCK, id="dvc-lock"),
    ],
)
def test_a_dvc_tracked_folder_retrained_is_new_weights(make_repo, judge, path, text):
    files = base_files()
    files[path] = text.format(md5="a" * 32)
    repo: GitRepo = make_repo(files)
    repo.git("branch", "base")
    repo.write({path: text.format(md5="b" * 32)})
    repo.commit("retrain the model folder", author=MALLORY)
    code, found = judge(repo)
    assert any(c == "RW401" for c, _, _ in found), found
    assert code == 1

"""Attack: a DVC pipeline keeps its ``dvc.lock`` at the repository root (where ``dvc.yaml``
lives, as most projects do) and a stage writes the component's weights, its out named through
DVC's templating (``${model_path}`` from params.yaml), so the root is no component of its own.
``dvc repro`` after a retrain changes only the root ``dvc.lock``, which records the resolved
path ``models/credit/model.pkl`` with a new md5; the lock is outside the component folder, so
no change to the component is seen."""

from __future__ import annotations

from testing.gitrepo import GitRepo

from tests.change.conftest import MALLORY, base_files

LOCK = """\
schema: '2.0'
stages:
  train:
    cmd: python train.py
    outs:
    - path: models/credit/model.pkl
      md5: {md5}
      size: 1234
"""
DVC_YAML = """\
vars:
- params.yaml
stages:
  train:
    cmd: python train.py
    outs:
    - ${model_path}
"""


def test_a_root_dvc_lock_retraining_a_component_is_new_weights(make_repo, judge):
    files = base_files()
    files["dvc.yaml"] = DVC_YAML
    files["params.yaml"] = "model_path: models/credit/model.pkl\n"
    files["dvc.lock"] = LOCK.format(md5="a" * 32)
    repo: GitRepo = make_repo(files)
    repo.git("branch", "base")
    repo.write({"dvc.lock": LOCK.format(md5="b" * 32)})
    repo.commit("dvc repro", author=MALLORY)
    code, found = judge(repo)
    assert any(c == "RW401" for c, _, _ in found), found
    assert code == 1

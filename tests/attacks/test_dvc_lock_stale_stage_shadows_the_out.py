"""Attack: ``dvc.lock`` records each stage of ``dvc.yaml``; DVC reads the entry of the stage
it runs and ignores a lock entry for a stage ``dvc.yaml`` does not have. A pull request
retrains (stage ``train`` now records a new md5 for ``model.pkl``) and appends a leftover
stage ``zz_previous`` recording the old md5 for the same path. Reading the lock as one
path → md5 map, the last entry wins: the old md5, so the retrain reads as no change."""

from __future__ import annotations

from testing.gitrepo import GitRepo

from tests.change.conftest import MALLORY, base_files

DVC_YAML = "stages:\n  train:\n    cmd: python train.py\n    outs:\n    - model.pkl\n"
STAGE = """\
  {name}:
    cmd: python train.py
    outs:
    - path: model.pkl
      md5: {md5}
      size: 1234
"""
A, B = "a" * 32, "b" * 32


def test_a_stale_lock_entry_does_not_hide_a_retrain(make_repo, judge):
    files = base_files()
    files["models/credit/dvc.yaml"] = DVC_YAML
    files["models/credit/dvc.lock"] = "schema: '2.0'\nstages:\n" + STAGE.format(name="train", md5=A)
    repo: GitRepo = make_repo(files)
    repo.git("branch", "base")
    lock = "schema: '2.0'\nstages:\n" + STAGE.format(name="train", md5=B)
    lock += STAGE.format(name="zz_previous", md5=A)
    repo.write({"models/credit/dvc.lock": lock})
    repo.commit("dvc repro", author=MALLORY)
    code, found = judge(repo)
    assert any(c == "RW401" for c, _, _ in found), found
    assert code == 1

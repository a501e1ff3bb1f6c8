"""A DVC file that is a symlink: DVC opens it through the link, so editing the link's target
(a file with no DVC name) re-points what the DVC file records. The change lists only the
target, which change control does not read as a DVC file. Real git repositories, the real CLI."""

from __future__ import annotations

import os

import pytest
from testing.gitrepo import GitRepo

from tests.change.conftest import MALLORY, base_files

A, B = "a" * 32, "b" * 32
DVC = "outs:\n- md5: {md5}\n  size: 1234\n  hash: md5\n  path: model.pkl\n"
LOCK = (
    "schema: '2.0'\nstages:\n  credit:\n    cmd: python train.py\n    outs:\n"
    "    - path: models/credit/model.pkl\n      md5: {md5}\n      size: 1234\n"
)


@pytest.mark.parametrize(
    ("link", "target", "text"),
    [
        pytest.param(
            "models/credit/model.pkl.dvc",
            "../../pipelines/credit.yaml",
            DVC,
            id="dot-dvc-in-component",
        ),
        pytest.param("dvc.lock", "pipelines/lock.yaml", LOCK, id="root-lock"),
    ],
)
def test_a_linked_dvc_file_edited_at_its_target(make_repo, judge, link, target, text):
    files = base_files()
    real = os.path.normpath(os.path.join(os.path.dirname(link), target))
    files[real] = text.format(md5=A)
    repo: GitRepo = make_repo(files)
    (repo.path / link).parent.mkdir(parents=True, exist_ok=True)
    os.symlink(target, repo.path / link)
    repo.commit("track the credit weights with DVC")
    repo.git("branch", "base")
    repo.write({real: text.format(md5=B)})
    repo.commit("dvc repro", author=MALLORY)
    code, found = judge(repo)
    assert any(c == "RW401" and "models/credit" in m for c, _, m in found), found
    assert code == 1


def test_a_linked_dvc_yaml_whose_wdir_is_edited_at_its_target(make_repo, judge):
    """A ``dvc.yaml`` change that moves a stage's ``wdir`` re-reads the lock beside it; a
    ``dvc.yaml`` that is a link, edited at its target, moves the lock's outputs into the
    credit model with nothing re-read."""
    stage = "stages:\n  train:\n    wdir: {wdir}\n    cmd: python train.py\n    outs:\n"
    stage += "    - scores.out\n"
    lock = "schema: '2.0'\nstages:\n  train:\n    cmd: python train.py\n    outs:\n"
    lock += f"    - path: scores.out\n      md5: {A}\n      size: 1234\n"
    files = base_files()
    files["pipelines/train.yaml"] = stage.format(wdir="scratch")
    files["dvc.lock"] = lock
    repo: GitRepo = make_repo(files)
    os.symlink("pipelines/train.yaml", repo.path / "dvc.yaml")
    repo.commit("a scratch training stage")
    repo.git("branch", "base")
    repo.write({"pipelines/train.yaml": stage.format(wdir="models/credit")})
    repo.commit("train into the credit model", author=MALLORY)
    code, found = judge(repo)
    assert any(c == "RW401" and "models/credit" in m for c, _, m in found), found
    assert code == 1

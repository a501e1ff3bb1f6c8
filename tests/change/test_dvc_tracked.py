"""DVC-tracked weights in change control: a ``*.dvc`` file or ``dvc.lock`` stands for the
content it tracks, as a Git LFS pointer does. Real git repositories, the real CLI."""

from __future__ import annotations

from testing.gitrepo import GitRepo

from tests.change.conftest import MALLORY, base_files, codes

DVC = "outs:\n- md5: {md5}\n  size: 1234\n  hash: md5\n  path: model.pkl\n"
LOCK = """\
schema: '2.0'
stages:
  train:
    cmd: python train.py
    deps:
    - path: data/train.csv
      md5: 0123456789abcdef0123456789abcdef
    outs:
    - path: model.pkl
      md5: {md5}
      size: 1234
"""
A, B = "a" * 32, "b" * 32


def _repo(make_repo, extra: dict) -> GitRepo:
    files = base_files()
    files.update(extra)
    repo: GitRepo = make_repo(files)
    repo.git("branch", "base")
    return repo


def test_a_new_md5_in_a_dvc_file_is_new_weights(make_repo, judge):
    repo = _repo(make_repo, {"models/credit/model.pkl.dvc": DVC.format(md5=A)})
    repo.write({"models/credit/model.pkl.dvc": DVC.format(md5=B)})
    repo.commit("retrain with dvc", author=MALLORY)
    code, found = judge(repo)
    rw401 = [m for c, _, m in found if c == "RW401"]
    assert rw401 and "model.pkl.dvc tracks new content for model.pkl" in rw401[0], found
    assert code == 1


def test_a_dvc_file_reformatted_with_the_same_md5_is_no_weights_change(make_repo, judge):
    repo = _repo(make_repo, {"models/credit/model.pkl.dvc": DVC.format(md5=A)})
    repo.write({"models/credit/model.pkl.dvc": "# tracked by dvc\n" + DVC.format(md5=A)})
    repo.commit("comment", author=MALLORY)
    _, found = judge(repo)
    assert "RW401" not in codes(found), found


def test_a_new_md5_in_dvc_lock_is_new_weights(make_repo, judge):
    repo = _repo(make_repo, {"models/credit/dvc.lock": LOCK.format(md5=A)})
    repo.write({"models/credit/dvc.lock": LOCK.format(md5=B)})
    repo.commit("dvc repro", author=MALLORY)
    code, found = judge(repo)
    assert any(
        "dvc.lock tracks new content for model.pkl" in m for c, _, m in found if c == "RW401"
    ), found
    assert code == 1


def test_an_approval_of_the_old_md5_does_not_cover_the_new(make_repo, judge, run_cli):
    from tests.change.conftest import ALICE, approve

    repo = _repo(make_repo, {"models/credit/model.pkl.dvc": DVC.format(md5=A)})
    repo.write({"models/credit/model.pkl.dvc": DVC.format(md5=B)})
    repo.add_all()
    approve(run_cli, repo, "models/credit", "--by", "@alice")
    repo.commit("retrain, approved", author=ALICE)
    repo.git("branch", "-f", "base")
    repo.write({"models/credit/model.pkl.dvc": DVC.format(md5="c" * 32)})
    repo.commit("retrain again", author=MALLORY)
    code, found = judge(repo)
    assert "RW401" in codes(found), found
    assert code == 1

"""Attack: the md5 in a ``.dvc`` file written in capital hex digits (YAML is text; a hand- or
tool-written file may spell it so). The reader only takes lowercase hex, so old and new md5 both
read as nothing and a retrain looks like no change."""

from __future__ import annotations

from testing.gitrepo import GitRepo

from tests.change.conftest import MALLORY, base_files

DVC = "outs:\n- md5: {md5}\n  size: 1234\n  hash: md5\n  path: model.pkl\n"


def test_a_capitalised_md5_changing_is_new_weights(make_repo, judge):
    files = base_files()
    files["models/credit/model.pkl.dvc"] = DVC.format(md5="A" * 32)
    repo: GitRepo = make_repo(files)
    repo.git("branch", "base")
    repo.write({"models/credit/model.pkl.dvc": DVC.format(md5="B" * 32)})
    repo.commit("retrain", author=MALLORY)
    code, found = judge(repo)
    assert any(c == "RW401" for c, _, _ in found), found
    assert code == 1

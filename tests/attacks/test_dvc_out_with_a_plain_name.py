"""Attack: the component's weights are a DVC-tracked file whose name matches no weights glob
(``classifier``, ``model.weights``: DVC does not care what the file is called). A new md5 in
its ``.dvc`` file is new weights; only outs named like weights are looked at."""

from __future__ import annotations

import pytest
from testing.gitrepo import GitRepo

from tests.change.conftest import MALLORY, base_files

DVC = "outs:\n- md5: {md5}\n  size: 1234\n  hash: md5\n  path: {out}\n"


@pytest.mark.parametrize("out", ["classifier", "model.weights"])
def test_a_dvc_tracked_file_with_any_name_retrained_is_new_weights(make_repo, judge, out):
    files = base_files()
    files[f"models/credit/{out}.dvc"] = DVC.format(md5="a" * 32, out=out)
    repo: GitRepo = make_repo(files)
    repo.git("branch", "base")
    repo.write({f"models/credit/{out}.dvc": DVC.format(md5="b" * 32, out=out)})
    repo.commit("retrain", author=MALLORY)
    code, found = judge(repo)
    assert any(c == "RW401" for c, _, _ in found), found
    assert code == 1

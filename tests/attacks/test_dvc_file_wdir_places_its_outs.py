"""A ``*.dvc`` file may carry a top-level ``wdir`` (DVC's single-stage loader joins it to the
file's folder and reads every ``outs`` path from there: ``dvc/stage/loader.py``,
``SingleStageLoader.load_stage``). ``data/credit.dvc`` with ``wdir: ../models/credit`` and
``path: model.pkl`` tracks ``models/credit/model.pkl``; a new md5 there is new credit weights,
which its owners must approve. Real git repositories, the real CLI."""

from __future__ import annotations

import pytest
from testing.gitrepo import GitRepo

from tests.change.conftest import MALLORY, base_files

DVC = "wdir: {wdir}\nouts:\n- md5: {md5}\n  size: 1234\n  hash: md5\n  path: {path}\n"
A, B = "a" * 32, "b" * 32


@pytest.mark.parametrize(
    ("wdir", "path"),
    [
        pytest.param("../models/credit", "model.pkl", id="file-in-the-component"),
        pytest.param("../models", "credit", id="the-component-folder"),
    ],
)
def test_a_dvc_file_wdir_into_a_component_is_its_change(make_repo, judge, wdir, path):
    files = base_files()
    files["data/credit.dvc"] = DVC.format(wdir=wdir, md5=A, path=path)
    repo: GitRepo = make_repo(files)
    repo.git("branch", "base")
    repo.write({"data/credit.dvc": DVC.format(wdir=wdir, md5=B, path=path)})
    repo.commit("retrain", author=MALLORY)
    code, found = judge(repo)
    assert any(c == "RW401" and "models/credit" in m for c, _, m in found), found
    assert code == 1


def test_the_bom_places_a_dvc_out_where_its_wdir_puts_it(tmp_path, run_cli):
    """The BOM reads the same ``.dvc`` file: ``models/credit/model.pkl.dvc`` with
    ``wdir: ../fraud`` records the fraud model's weights, not a ``model.pkl`` beside it."""
    files: dict[str, str | bytes] = {
        "models/credit/README.md": "# Credit\n",
        "models/credit/model.pkl.dvc": DVC.format(wdir="../fraud", md5=A, path="model.pkl"),
        "models/fraud/README.md": "# Fraud\n",
    }
    GitRepo.init(tmp_path / "repo", files)
    result = run_cli("bom", cwd=tmp_path / "repo")
    assert result.exit_code == 0, result.err
    assert '"name": "models/credit/model.pkl"' not in result.out, result.out

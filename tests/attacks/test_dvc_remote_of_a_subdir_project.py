"""DVC looks for its configuration in the nearest ``.dvc`` folder above a tracked file: a
project made with ``dvc init --subdir`` in ``models/`` keeps it in ``models/.dvc/config``, and
every ``dvc pull`` there fetches the credit model's weights from the remote it names. Change
control governs only the repository root's ``.dvc/config``: a pull request re-pointing the
subproject's remote changes the weights deployed with no finding (round 7's attack, one
folder down). Attack round 9; real git repositories, the real CLI."""

from __future__ import annotations

from testing.gitrepo import GitRepo

from tests.change.conftest import MALLORY, base_files

DVC = "outs:\n- md5: {md5}\n  size: 1234\n  hash: md5\n  path: model.pkl\n"
CONFIG = "[core]\n    remote = storage\n['remote \"storage\"']\n    url = {url}\n"


def test_repointing_a_subproject_remote_changes_the_weights_it_serves(make_repo, judge):
    files = base_files()
    files["models/credit/model.pkl.dvc"] = DVC.format(md5="a" * 32)
    files["models/.dvc/config"] = CONFIG.format(url="s3://acme-models/dvc")
    files["models/.dvcignore"] = ""
    repo: GitRepo = make_repo(files)
    repo.git("branch", "base")
    repo.write({"models/.dvc/config": CONFIG.format(url="s3://mallory-bucket/dvc")})
    repo.commit("faster mirror", author=MALLORY)
    code, found = judge(repo)
    assert code == 1, found

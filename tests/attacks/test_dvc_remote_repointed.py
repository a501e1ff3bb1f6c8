"""DVC fetches every tracked output by its md5 from the remote ``.dvc/config`` names, and by
default does not check what it downloads against that md5 (``remote.<name>.verify`` is false:
the remote is trusted). A pull request that only re-points the default remote's ``url`` to
storage it controls changes the bytes every ``dvc pull`` deploys as the credit model's weights,
with no md5 changed anywhere: no material change, no approval asked. Real git repositories,
the real CLI."""

from __future__ import annotations

from testing.gitrepo import GitRepo

from tests.change.conftest import MALLORY, base_files

DVC = "outs:\n- md5: {md5}\n  size: 1234\n  hash: md5\n  path: model.pkl\n"
CONFIG = "[core]\n    remote = storage\n['remote \"storage\"']\n    url = {url}\n"


def test_repointing_the_dvc_remote_is_a_change_of_the_weights_it_serves(make_repo, judge):
    files = base_files()
    files["models/credit/model.pkl.dvc"] = DVC.format(md5="a" * 32)
    files[".dvc/config"] = CONFIG.format(url="s3://acme-models/dvc")
    repo: GitRepo = make_repo(files)
    repo.git("branch", "base")
    repo.write({".dvc/config": CONFIG.format(url="s3://mallory-bucket/dvc")})
    repo.commit("faster mirror", author=MALLORY)
    code, found = judge(repo)
    assert code == 1, found

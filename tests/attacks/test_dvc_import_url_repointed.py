"""Attack: the credit model's weights come from object storage through DVC
(``dvc import-url --no-download s3://org-models/credit/model.pkl model.pkl``): the ``.dvc`` file
names the source URL and its etag, and its out carries no md5 until someone fetches. A pull
request points the import at another bucket (what ``dvc update`` would fetch is now other
weights); with no md5 on either side, the md5 reader sees no change."""

from __future__ import annotations

from testing.gitrepo import GitRepo

from tests.change.conftest import MALLORY, base_files

IMPORT = """\
md5: {stage}
frozen: true
deps:
- path: s3://{bucket}/credit/model.pkl
  etag: '{etag}'
  size: 1234
outs:
- path: model.pkl
  hash: md5
  push: false
"""


def test_an_import_repointed_at_another_bucket_is_new_weights(make_repo, judge):
    files = base_files()
    old = IMPORT.format(stage="1" * 32, bucket="org-models", etag="e" * 32)
    files["models/credit/model.pkl.dvc"] = old
    repo: GitRepo = make_repo(files)
    repo.git("branch", "base")
    new = IMPORT.format(stage="2" * 32, bucket="mallory-models", etag="f" * 32)
    repo.write({"models/credit/model.pkl.dvc": new})
    repo.commit("update the import", author=MALLORY)
    code, found = judge(repo)
    assert any(c == "RW401" for c, _, _ in found), found
    assert code == 1

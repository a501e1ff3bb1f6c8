"""The listing `check` starts before the policy loads is the one discovery reads.

`WorkTree.close` stops a listing nothing has read yet; `_folder_fd` calls it whenever it moves
to another folder. A marker whose pattern must be read (dvc.yaml) with a policy's markers that
git prefilters by pathspec (no name filter) reads a file before the whole listing is taken: the
started listing was killed and a second whole listing made.
"""

from __future__ import annotations

import json

from testing.gitrepo import GitRepo

POLICY = "version: 1\ncomponents:\n  markers: ['models/*/model.onnx', '**/dvc.yaml']\n"
DVC = "stages:\n  train:\n    cmd: python train.py\n    outs: [model.pkl]\n"


def test_a_marker_read_before_the_listing_does_not_stop_it(tmp_path, monkeypatch, run_cli):
    files = {"models/a/model.onnx": "w", "models/b/dvc.yaml": DVC, "roadworthy.yaml": POLICY}
    repo = GitRepo.init(tmp_path / "repo", files)
    trace = tmp_path / "trace"
    monkeypatch.setenv("GIT_TRACE", str(trace))
    result = run_cli("check", "--format", "json", cwd=repo.path)
    paths = [c["path"] for c in json.loads(result.out)["components"]]
    assert paths == ["models/a", "models/b"]
    whole = [
        line
        for line in trace.read_text().splitlines()
        if "built-in: git" in line and "ls-files" in line and " -- " not in line
    ]
    assert len(whole) == 1, whole  # the listing started before the policy, read once

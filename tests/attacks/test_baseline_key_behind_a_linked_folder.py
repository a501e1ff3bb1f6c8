"""The policy's ``baseline:`` key names ``ci/baseline.json`` where ``ci`` is a symlink to
``config``: the baseline is read through the link, so ``config/baseline.json`` is the baseline,
but governance lists only the spelling the policy uses (and a link's hops only when the named
path itself is a link). A pull request records its own new finding in
``config/baseline.json`` and passes. Real git repositories, the real CLI."""

from __future__ import annotations

import json
import os

from testing.gitrepo import GitRepo

from tests.change.conftest import MALLORY, POLICY, base_files


def test_a_baseline_edited_through_a_linked_folder_is_governed(make_repo, judge, run_cli):
    files = base_files()
    files["roadworthy.yaml"] = POLICY + "baseline: ci/baseline.json\n"
    files["config/baseline.json"] = '{\n  "version": 1,\n  "findings": []\n}\n'
    repo: GitRepo = make_repo(files)
    os.symlink("config", repo.path / "ci")
    repo.commit("baseline in ci/")
    repo.git("branch", "base")
    card = (repo.path / "models/credit/MODEL_CARD.md").read_text()
    limits = "## Limitations\nNot validated for small-business loans.\n\n"
    repo.write({"models/credit/MODEL_CARD.md": card.replace(limits, "")})
    done = run_cli("check", "--write-baseline", "config/baseline.json", cwd=repo.path)
    assert done.exit_code == 0, done.err
    recorded = json.loads((repo.path / "config/baseline.json").read_text())["findings"]
    assert [r["code"] for r in recorded] == ["RW201"], recorded
    repo.commit("drop the limitations; record it as accepted", author=MALLORY)
    code, found = judge(repo)
    assert "RW407" in [c for c, _, _ in found], found  # config/baseline.json is the baseline
    assert code == 1

"""Keyed training configs are compared as roadworthy's own builder reads YAML merge keys, first
source wins; PyYAML (what the training code loads the file with) lets the *last* source win,
for a second ``<<`` key and for a list of merges alike. Adding an anchor outside the keyed
section and merging it after the defaults changes the learning rate the training sees (0.01 →
0.5) while roadworthy sees the same values on both sides: not material, 0 findings."""

from __future__ import annotations

import pytest
import yaml
from testing.gitrepo import GitRepo

from tests.change.conftest import MALLORY, POLICY, base_files, codes

KEYED = (
    "change_control:\n  material:\n"
    '    - {name: training-config, paths: ["**/train*.yaml"], keys: [hyperparameters]}\n'
)
BASE = "defaults: &d {lr: 0.01, depth: 6}\nhyperparameters:\n  <<: *d\n"
HEADS = {
    "second-merge-key": "defaults: &d {lr: 0.01, depth: 6}\nnotes: &n {lr: 0.5}\n"
    "hyperparameters:\n  <<: *d\n  <<: *n\n",
    "merge-list": "defaults: &d {lr: 0.01, depth: 6}\nnotes: &n {lr: 0.5}\n"
    "hyperparameters:\n  <<: [*d, *n]\n",
}


@pytest.mark.parametrize("head", list(HEADS.values()), ids=list(HEADS))
def test_a_merge_key_that_changes_what_pyyaml_reads_is_material(make_repo, judge, head):
    files = base_files()
    files["roadworthy.yaml"] = POLICY + KEYED
    files["models/credit/train.yaml"] = BASE
    repo: GitRepo = make_repo(files)
    repo.git("branch", "base")

    assert yaml.safe_load(BASE)["hyperparameters"]["lr"] == 0.01
    assert yaml.safe_load(head)["hyperparameters"]["lr"] == 0.5  # what training reads now
    repo.write({"models/credit/train.yaml": head})
    repo.commit("note the tuned rate", author=MALLORY)
    code, found = judge(repo)
    assert "RW401" in codes(found), found
    assert code == 1

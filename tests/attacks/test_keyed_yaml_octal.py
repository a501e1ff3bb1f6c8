"""Keyed training configs are compared under the YAML 1.2 core schema, where ``010`` is ten
and ``1e-2`` is 0.01. The training code that reads the file (PyYAML, OmegaConf: YAML 1.1) reads
``010`` as eight and ``1e-2`` as the string "1e-2": the hyperparameters change, roadworthy sees
equal values and calls the change immaterial."""

from __future__ import annotations

import yaml
from testing.gitrepo import GitRepo

from tests.change.conftest import MALLORY, POLICY, base_files, codes

KEYED = (
    "change_control:\n  material:\n"
    '    - {name: training-config, paths: ["**/train*.yaml"], keys: [hyperparameters]}\n'
)


def test_a_value_that_yaml_11_reads_differently_is_a_material_change(make_repo, judge):
    files = base_files()
    files["roadworthy.yaml"] = POLICY + KEYED
    files["models/credit/train.yaml"] = "hyperparameters:\n  lr: 0.01\n  depth: 10\n"
    repo: GitRepo = make_repo(files)
    repo.git("branch", "base")

    new = "hyperparameters:\n  lr: 1e-2\n  depth: 010\n"
    assert yaml.safe_load(new)["hyperparameters"] == {"lr": "1e-2", "depth": 8}
    repo.write({"models/credit/train.yaml": new})
    repo.commit("tidy numbers", author=MALLORY)
    code, found = judge(repo)
    assert "RW401" in codes(found), found
    assert code == 1

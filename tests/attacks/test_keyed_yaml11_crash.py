"""The YAML 1.1 reading of keyed configs calls PyYAML's int constructor on what its resolver
matched: ``0b_`` and ``0x_`` match (underscores are allowed) and are then ``int('', 2)``, a
ValueError nobody catches. A training config holding such a value (a string to YAML 1.2) makes
any change of it crash roadworthy (exit 3) instead of a finding or exit 2."""

from __future__ import annotations

import json

from testing.gitrepo import GitRepo

from tests.change.conftest import MALLORY, POLICY, base_files

KEYED = (
    "change_control:\n  material:\n"
    '    - {name: training-config, paths: ["**/train*.yaml"], keys: [hyperparameters]}\n'
)


def test_a_value_yaml11_cannot_build_is_no_crash(make_repo, run_cli):
    files = base_files()
    files["roadworthy.yaml"] = POLICY + KEYED
    files["models/credit/train.yaml"] = "hyperparameters:\n  mask: 0b_\n  lr: 0.01\n"
    repo: GitRepo = make_repo(files)
    repo.git("branch", "base")

    repo.write({"models/credit/train.yaml": "# tuned\nhyperparameters:\n  mask: 0b_\n  lr: 0.01\n"})
    repo.commit("comment", author=MALLORY)
    result = run_cli("check", "--diff", "base", "--format", "json", cwd=repo.path)
    assert result.exit_code in (0, 1, 2), result.err
    if result.exit_code != 2:
        json.loads(result.out)

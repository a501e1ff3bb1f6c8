"""``check --diff --policy ci/policy.yaml`` names a policy inside the repository, which diff mode
reads as the base revision has it. A change that replaces the file with a symlink out of the
repository (to any valid policy the runner holds: the installed package's own presets are one)
must not make the work tree's link decide that the policy lives outside and is read from disk.
The name is placed without following the work tree's links, as ``--baseline`` is."""

from __future__ import annotations

import json
import os
from pathlib import Path

from tests.change.conftest import MALLORY, POLICY, base_files

STRICT = POLICY
WEAK = "version: 1\nextends: [recommended]\nrules:\n  RW405: {enabled: false}\n"


def test_a_planted_link_does_not_move_the_named_policy_out_of_the_repository(
    make_repo, run_cli, tmp_path: Path
) -> None:
    files = base_files()
    files["ci/policy.yaml"] = STRICT
    repo = make_repo(files)
    repo.git("branch", "base")
    weak = tmp_path / "elsewhere" / "weak.yaml"
    weak.parent.mkdir()
    weak.write_text(WEAK)
    (repo.path / "ci" / "policy.yaml").unlink()
    os.symlink(weak, repo.path / "ci" / "policy.yaml")
    repo.write({"models/credit/model.onnx": b"retrained weights\n"})
    repo.add_all()
    repo.commit("new weights, and the policy points elsewhere", author=MALLORY)
    result = run_cli(
        "check", "--diff", "base", "--policy", "ci/policy.yaml", "--format", "json", cwd=repo.path
    )
    assert result.exit_code in (0, 1), result.err
    codes = {f["code"] for f in json.loads(result.out)["findings"] if not f["waived_by"]}
    assert "RW405" in codes  # weights changed without a card update: the base's policy judged

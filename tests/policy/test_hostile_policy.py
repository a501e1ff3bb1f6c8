"""A policy an attacker wrote: globs that cannot match, tags that ask for objects, extends that
reach outside the repository. Each is a located policy error (exit 2), never a crash or a read."""

from __future__ import annotations

import re

import pytest

W = b"\x00weights"
HEAD = "version: 1\nextends: [recommended]\n"
LOCATED = re.compile(r"^roadworthy\.yaml:(\d+):(\d+): (.*)$", re.M)


def _problems(result):
    assert result.exit_code == 2, (result.out, result.err)
    assert "Traceback" not in result.err and "internal error" not in result.err
    return [(int(line), int(col), message) for line, col, message in LOCATED.findall(result.err)]


@pytest.mark.parametrize(
    ("policy", "expected"),
    [
        pytest.param(
            HEAD + "components:\n  exclude: ['[z-a]/**']\n",
            (4, 13, "components.exclude[0]: '[z-a]/**' is not a valid pattern"),
            id="exclude",
        ),
        pytest.param(
            HEAD + "components:\n  markers: ['**/[9-0].onnx']\n",
            (4, 13, "components.markers[0]: '**/[9-0].onnx' is not a valid pattern"),
            id="marker",
        ),
        pytest.param(
            HEAD + "rules:\n  RW104:\n    applies_to: {paths: ['models/[b-a]/**']}\n",
            (5, 26, "rules.RW104.applies_to.paths[0]: 'models/[b-a]/**' is not a valid pattern"),
            id="scope",
        ),
        pytest.param(
            HEAD + "change_control:\n  material:\n    - {name: w, paths: ['**/[z-a]']}\n",
            # Material lists merge: the preset's `weights` entry is [0], this one [1].
            (5, 25, "change_control.material[1].paths[0]: '**/[z-a]' is not a valid pattern"),
            id="material",
        ),
    ],
)
@pytest.mark.parametrize("command", [["validate-policy", "roadworthy.yaml"], ["check"]])
def test_a_reversed_range_is_a_located_policy_error(make_repo, run_cli, policy, expected, command):
    repo = make_repo({"roadworthy.yaml": policy, "models/m/model.onnx": W})
    found = _problems(run_cli(*command, cwd=repo.path))
    assert [p[:2] for p in found] == [expected[:2]]
    assert found[0][2].startswith(expected[2])


@pytest.mark.parametrize(
    "policy",
    [
        pytest.param(HEAD + "people: !!python/object/apply:os.system ['id']\n", id="mapping-tag"),
        pytest.param(HEAD + "risks: !!set {minimal, high}\n", id="set"),
        pytest.param(HEAD + "components:\n  exclude: !custom [a]\n", id="sequence-tag"),
    ],
)
def test_tags_on_sequences_and_mappings_are_policy_errors(make_repo, run_cli, policy):
    repo = make_repo({"roadworthy.yaml": policy, "models/m/model.onnx": W})
    found = _problems(run_cli("validate-policy", "roadworthy.yaml", cwd=repo.path))
    assert len(found) == 1 and found[0][2].startswith("unsupported tag")


def test_a_tagged_mapping_in_a_data_contract_is_a_finding(make_repo, run_cli):
    contract = "!!python/object:builtins.dict\napiVersion: v3.0.2\nkind: DataContract\n"
    repo = make_repo({"models/m/model.onnx": W, "models/m/data_contract.yaml": contract})
    result = run_cli("check", "--format", "json", cwd=repo.path)
    assert result.exit_code == 1
    assert "unsupported tag" in result.out and "RW001" in result.out


@pytest.mark.parametrize("exists", [True, False], ids=["target-exists", "target-missing"])
def test_extends_through_a_symlink_out_reads_nothing_and_reveals_nothing(
    make_repo, run_cli, tmp_path, exists
):
    secret = tmp_path / "secret.yaml"
    if exists:
        secret.write_text("version: 1\nrules: {}\n# the secret: hunter2\n")
    repo = make_repo({"roadworthy.yaml": HEAD.replace("[recommended]", "[recommended, base.yaml]")})
    (repo.path / "base.yaml").symlink_to(secret)
    result = run_cli("validate-policy", "roadworthy.yaml", cwd=repo.path)
    assert result.exit_code == 2
    assert "base.yaml: is a symlink out of the repository; not read" in result.err
    assert "hunter2" not in result.err + result.out


@pytest.mark.parametrize("target", ["/etc/passwd", "../../../../etc/passwd", "../outside.yaml"])
def test_extends_out_of_the_repository_is_refused_without_reading(make_repo, run_cli, target):
    repo = make_repo({"roadworthy.yaml": f"version: 1\nextends: [recommended, '{target}']\n"})
    result = run_cli("validate-policy", "roadworthy.yaml", cwd=repo.path)
    found = _problems(result)
    assert [m for _, _, m in found] == [f"extends {target!r} leaves the repository"]
    assert "root:" not in result.err

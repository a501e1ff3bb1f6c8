"""Weights reached through a submodule or a symlink are the component's weights too."""

from __future__ import annotations

import pytest
from testing.gitrepo import GitRepo

from tests.change.conftest import ALICE, MALLORY, approve, base_files

POLICY_WITH_VENDOR = """\
version: 1
extends: [recommended]
people:
  "@alice": [alice@example.com]
  "@bob": [bob@example.com]
components:
  declare:
    - {path: vendor/ranker, risk: limited, stage: supervised, owners: ["@alice"]}
"""


def _weights_repo(make_repo) -> tuple[GitRepo, list[str]]:
    """A real repository to use as a submodule, with two commits of weights."""
    weights = make_repo({"model.onnx": b"v1\n"}, name="weights")
    first = weights.head
    weights.write({"model.onnx": b"v2\n"})
    return weights, [first, weights.commit("v2")]


def _add_submodule(repo: GitRepo, source: GitRepo, path: str) -> None:
    repo.git("-c", "protocol.file.allow=always", "submodule", "add", "-q", str(source.path), path)


def _bump(repo: GitRepo, path: str, commit: str) -> None:
    repo.git("-C", path, "checkout", "-q", commit)
    repo.git("add", path)


def test_a_submodule_bump_inside_a_component_is_material(make_repo, judge):
    weights, commits = _weights_repo(make_repo)
    weights.git("checkout", "-q", commits[0])
    repo = make_repo(base_files())
    _add_submodule(repo, weights, "models/credit/weights")
    repo.commit("weights as a submodule")
    repo.git("branch", "base")
    _bump(repo, "models/credit/weights", commits[1])
    repo.commit("bump the weights", author=MALLORY)
    _, found = judge(repo)
    rw401 = [m for code, _, m in found if code == "RW401"]
    assert len(rw401) == 1
    assert f"submodule models/credit/weights now at commit {commits[1][:12]}" in rw401[0]


def test_a_submodule_that_is_a_declared_component_is_material(make_repo, judge):
    weights, commits = _weights_repo(make_repo)
    weights.git("checkout", "-q", commits[0])
    files = base_files()
    files["roadworthy.yaml"] = POLICY_WITH_VENDOR
    repo = make_repo(files)
    _add_submodule(repo, weights, "vendor/ranker")
    repo.commit("vendor model as a submodule")
    repo.git("branch", "base")
    _bump(repo, "vendor/ranker", commits[1])
    repo.commit("bump the vendor model", author=MALLORY)
    _, found = judge(repo)
    rw401 = [m for code, _, m in found if code == "RW401"]
    assert len(rw401) == 1
    assert f"submodule vendor/ranker now at commit {commits[1][:12]}" in rw401[0]


# -- symlinks ----------------------------------------------------------------------------------


def _linked_repo(make_repo, link: str, target: str, files: dict[str, bytes]) -> GitRepo:
    repo = make_repo({**base_files(), **files})
    (repo.path / link).unlink(missing_ok=True)
    (repo.path / link).symlink_to(target)
    repo.commit("weights through a link")
    repo.git("branch", "base")
    return repo


def _rw401(found):
    return [(path, message) for code, path, message in found if code == "RW401"]


def test_new_bytes_behind_an_unchanged_link_are_new_weights(make_repo, judge, run_cli):
    repo = _linked_repo(
        make_repo,
        "models/credit/model.onnx",
        "../../store/credit.bin",
        {"store/credit.bin": b"v1"},
    )
    repo.write({"store/credit.bin": b"v2"})
    repo.commit("retrain in the store", author=MALLORY)
    _, found = judge(repo)
    assert _rw401(found) == [
        (
            "models/credit/model.onnx",
            "unapproved material change (no approval: models/credit/APPROVALS.yaml has no entry): "
            "weights: models/credit/model.onnx links to store/credit.bin, which changed",
        )
    ]
    # An approval binds the bytes behind the link: it covers them, and new bytes stale it.
    approve(run_cli, repo, "credit", "--by", "@alice")
    repo.commit("approve", author=ALICE)
    assert not _rw401(judge(repo)[1])
    repo.write({"store/credit.bin": b"v3"})
    repo.commit("retrain again", author=MALLORY)
    assert "stale approval" in _rw401(judge(repo)[1])[0][1]


def test_a_link_to_a_folder_passes_on_changes_inside_it(make_repo, judge):
    repo = _linked_repo(
        make_repo, "models/credit/weights", "../../store/credit", {"store/credit/shard-1.bin": b"a"}
    )
    repo.write({"store/credit/shard-1.bin": b"b"})
    repo.commit("new shard", author=MALLORY)
    _, found = judge(repo)
    assert [p for p, _ in _rw401(found)] == ["models/credit/weights"]


def test_retargeting_a_link_to_a_folder_is_material(make_repo, judge):
    repo = _linked_repo(
        make_repo,
        "models/credit/weights",
        "../../store/v1",
        {"store/v1/shard.bin": b"a", "store/v2/shard.bin": b"b"},
    )
    (repo.path / "models/credit/weights").unlink()
    (repo.path / "models/credit/weights").symlink_to("../../store/v2")
    repo.commit("point at v2", author=MALLORY)
    _, found = judge(repo)
    assert _rw401(found) and "a symlink to store/v2" in _rw401(found)[0][1]


def test_a_weights_link_out_of_the_repository_is_always_a_finding(make_repo, judge, tmp_path):
    outside = tmp_path / "outside.onnx"
    outside.write_bytes(b"anything")
    repo = _linked_repo(make_repo, "models/credit/model.onnx", str(outside), {})
    repo.write({"models/credit/RUNBOOK.md": "# Runbook\n\n## Alerts\nx\n\n## Escalation\ny\n"})
    repo.commit("touch the component", author=MALLORY)
    _, found = judge(repo)
    assert any("is a symlink out of what git records" in m for _, m in _rw401(found))


@pytest.mark.parametrize("target", [".git/weights.onnx", "../../untracked/model.onnx"])
def test_a_weights_link_to_what_git_does_not_hold_is_a_finding(make_repo, judge, target):
    repo = _linked_repo(make_repo, "models/credit/model.onnx", target, {})
    repo.write({"models/credit/RUNBOOK.md": "# Runbook\n\n## Alerts\nx\n\n## Escalation\ny\n"})
    repo.commit("touch the component", author=MALLORY)
    _, found = judge(repo)
    assert any("is a symlink out of what git records" in m for _, m in _rw401(found))

"""Weights reached through a submodule or a symlink are the component's weights too."""

from __future__ import annotations

from testing.gitrepo import GitRepo

from tests.change.conftest import MALLORY, base_files

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
    assert f"submodule models/credit/weights now at {commits[1][:12]}" in rw401[0]


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
    assert f"submodule vendor/ranker now at {commits[1][:12]}" in rw401[0]

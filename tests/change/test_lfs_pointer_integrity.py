"""Bytes appended to an LFS pointer are new weights, not the same pointer (issue: the high-risk
demo model passed `--staged` and the hook with arbitrary bytes after its three pointer lines)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from testing.gitrepo import GitRepo

DEMO = Path(__file__).resolve().parents[2] / "fixtures" / "demo"
WEIGHTS = "models/credit-scoring/model.onnx"


@pytest.fixture()
def demo(tmp_path: Path) -> GitRepo:
    shutil.copytree(DEMO, tmp_path / "demo")
    repo = GitRepo.init(tmp_path / "demo")
    repo.git("add", "-A")
    repo.commit("demo repository")
    return repo


def _rw401(run_cli, repo: GitRepo, *mode: str) -> tuple[int, list[dict[str, str]]]:
    result = run_cli("check", *mode, "--format", "json", cwd=repo.path)
    assert result.out, result.err
    findings = json.loads(result.out)["findings"]
    return result.exit_code, [f for f in findings if f["code"] == "RW401" and not f["waived_by"]]


@pytest.mark.parametrize("mode", [("--staged",), ("--hook",)], ids=["staged", "hook"])
@pytest.mark.parametrize(
    "tail",
    [
        pytest.param(b"\x00\x01\x02 arbitrary weights", id="binary"),
        pytest.param(b"# a comment line\n", id="text-line"),
        pytest.param(b"\n", id="blank-line"),
    ],
)
def test_bytes_appended_to_a_pointer_are_a_weights_change(demo, run_cli, mode, tail):
    pointer = (demo.path / WEIGHTS).read_bytes()
    assert pointer.startswith(b"version https://git-lfs.github.com/spec/v1\n")
    (demo.path / WEIGHTS).write_bytes(pointer + tail)
    demo.git("add", WEIGHTS)
    exit_code, found = _rw401(run_cli, demo, *mode)
    assert exit_code == 1
    assert [f["path"] for f in found] == [WEIGHTS]


def test_the_same_pointer_restaged_is_no_change(demo, run_cli):
    demo.git("add", WEIGHTS)  # nothing changed: the hook must stay quiet
    _, found = _rw401(run_cli, demo, "--staged")
    assert found == []

"""A repository's own .git/config cannot make roadworthy run a program.

The repository being checked may be someone else's: a scanned folder, a clone whose config a
script prepared. Every program git could take from .git/config is planted here as a script that
leaves a mark when it runs; no command of roadworthy may leave one.
"""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from testing.gitrepo import GitRepo

from tests.change.conftest import base_files

PROGRAMS = (
    "core.fsmonitor",
    "core.hooksPath",  # a folder: its hooks are the programs
    "core.sshCommand",
    "core.pager",
    "diff.external",
    "gpg.program",
    "gpg.ssh.program",
    "gpg.x509.program",
)


def _plant(repo: GitRepo, tmp_path: Path) -> Path:
    marks = tmp_path / "marks"
    marks.mkdir()
    script = tmp_path / "evil.sh"
    script.write_text(f'#!/bin/sh\ntouch "{marks}/$(basename "$0")-$$"\nexit 0\n')
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    for hook in ("pre-commit", "post-checkout", "post-index-change", "reference-transaction"):
        (hooks / hook).symlink_to(script)
    for key in PROGRAMS:
        repo.git("config", key, str(hooks if key == "core.hooksPath" else script))
    repo.git("config", "gpg.format", "ssh")
    return marks


@pytest.fixture()
def hostile(make_repo, tmp_path) -> tuple[GitRepo, Path]:
    repo = make_repo(base_files())
    repo.git("branch", "base")
    repo.write({"models/credit/model.onnx": b"weights-v2\n"})
    repo.commit("new weights")
    repo.write({"models/credit/model.onnx": b"weights-v3\n"})
    repo.git("add", "-A")
    return repo, _plant(repo, tmp_path)


@pytest.mark.parametrize(
    "argv",
    [
        pytest.param(["check"], id="check"),
        pytest.param(["check", "--staged"], id="staged"),
        pytest.param(["check", "--diff", "base"], id="diff"),
        pytest.param(["check", "--hook"], id="hook"),
        pytest.param(["approve", "credit", "--by", "@alice"], id="approve"),
        pytest.param(["init", "--dry-run"], id="init"),
    ],
)
def test_no_program_from_the_repository_config_runs(hostile, run_cli, argv):
    repo, marks = hostile
    result = run_cli(*argv, cwd=repo.path)
    assert result.exit_code in (0, 1), result.err
    assert sorted(p.name for p in marks.iterdir()) == []


def test_signature_verification_uses_gits_own_verifier(make_repo, run_cli, tmp_path):
    policy = base_files()["roadworthy.yaml"] + (
        "change_control:\n  approval: {verify: signature, allowed_signers: .github/signers}\n"
    )
    repo = make_repo({**base_files(), "roadworthy.yaml": policy, ".github/signers": ""})
    repo.git("branch", "base")
    repo.write({"models/credit/model.onnx": b"weights-v2\n"})
    repo.commit("new weights")
    run_cli("approve", "credit", "--by", "@bob", cwd=repo.path)
    repo.commit("approve")
    marks = _plant(repo, tmp_path)
    result = run_cli("check", "--diff", "base", cwd=repo.path)
    assert result.exit_code == 1  # unsigned: not approved, and no planted verifier said otherwise
    assert sorted(p.name for p in marks.iterdir()) == []


def test_a_bare_repository_is_a_usage_error_not_a_pass(tmp_path, run_cli):
    bare = tmp_path / "bare.git"
    GitRepo(tmp_path).git("init", "-q", "--bare", str(bare))
    result = run_cli("check", cwd=bare)
    assert result.exit_code == 2
    assert "is a bare git repository" in result.err


@pytest.mark.parametrize("inside", [".git", ".git/objects"])
def test_the_inside_of_dot_git_is_a_usage_error_not_a_pass(make_repo, run_cli, inside):
    repo = make_repo(base_files())
    result = run_cli("check", cwd=repo.path / inside)
    assert result.exit_code == 2
    assert "is inside a .git folder" in result.err
    assert run_cli("check", inside, cwd=repo.path).exit_code == 2


def _drop_object(repo: GitRepo, rev: str) -> str:
    sha = repo.git("rev-parse", rev).strip()
    (repo.path / ".git" / "objects" / sha[:2] / sha[2:]).unlink()
    return sha


@pytest.mark.parametrize(
    ("missing", "command"),
    [
        pytest.param("base:models/credit", "git diff-tree", id="changed-tree"),
        pytest.param("base:models/credit/docs", "git ls-tree", id="unchanged-subtree"),
    ],
)
def test_a_missing_git_object_is_exit_2_with_the_revision(make_repo, run_cli, missing, command):
    repo = make_repo({**base_files(), "models/credit/docs/notes.md": "# notes\n"})
    repo.git("branch", "base")
    repo.write({"models/credit/model.onnx": b"weights-v2\n"})
    repo.commit("new weights")
    revisions = [repo.git("rev-parse", rev).strip()[:12] for rev in ("base", "HEAD")]
    sha = _drop_object(repo, missing)
    result = run_cli("check", "--diff", "base", cwd=repo.path)
    assert result.exit_code == 2, result.err
    # The unchanged subtree is shared by both sides: whichever git read first names itself.
    assert any(f"roadworthy: {command} {rev}" in result.err for rev in revisions)
    assert sha in result.err
    assert "Traceback" not in result.err and "internal error" not in result.err

"""The real pre-commit against a committed copy of this project (STYLE.md §4 and §5.11).

``hook_repo`` is the working tree of this project (dirty or not) committed into a temporary git
repository, so a consumer's ``.pre-commit-config.yaml`` can pin it by ``rev``. pre-commit clones
it into the session's ``PRE_COMMIT_HOME`` and installs it with pip once per session.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from testing.gitrepo import BASE_DATE, GIT_ENV, GitRepo

from tests.change.conftest import base_files
from tests.conftest import ROOT, TODAY

# What `pip install .` needs: pyproject maps roadworthy.policies to the top-level policies/
# (package-dir), and the readme is part of the metadata.
PROJECT_FILES = ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml", "src", "policies")
MANIFEST = ROOT / ".pre-commit-hooks.yaml"

# An untouched component with every gap: hook mode must leave it alone, roadworthy-all must not.
LEGACY = {"models/legacy/model.onnx": b"legacy weights\n"}

TIMEOUT = 600  # the first run builds the hook environment with pip


@dataclass(frozen=True)
class HookRepo:
    path: Path
    rev: str


def committed_copy(dest: Path, edit: Callable[[list[dict]], None] | None = None) -> HookRepo:
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    dest.mkdir(parents=True)
    for name in PROJECT_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, dest / name, ignore=ignore)
        else:
            shutil.copy2(source, dest / name)
    if edit is not None:
        manifest = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
        edit(manifest)
        (dest / ".pre-commit-hooks.yaml").write_text(yaml.safe_dump(manifest, sort_keys=False))
    repo = GitRepo.init(dest)
    return HookRepo(dest, repo.commit("roadworthy under test"))


@pytest.fixture(scope="session")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> HookRepo:
    return committed_copy(tmp_path_factory.mktemp("hook-repo") / "roadworthy")


@pytest.fixture(scope="session")
def hook_repo_without_always_run(tmp_path_factory: pytest.TempPathFactory) -> HookRepo:
    """The same project, its manifest differing only by the loss of ``always_run``."""

    def drop(manifest: list[dict]) -> None:
        for hook in manifest:
            del hook["always_run"]

    return committed_copy(tmp_path_factory.mktemp("hook-repo-no-always-run") / "roadworthy", drop)


def pinned_env(pre_commit_home: Path, tmp: Path) -> dict[str, str]:
    # Nothing from the caller's git (GIT_DIR, GIT_INDEX_FILE when run from a hook) or pre-commit
    # (SKIP, PRE_COMMIT_FROM_REF, ...) leaks in; identity, config, date and colour are pinned, and
    # temporary files (try-repo's store, roadworthy's crash files) stay in the test's folder.
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("GIT_", "PRE_COMMIT")) and key not in {"SKIP", "GITHUB_ACTIONS"}
    }
    env.update(GIT_ENV)
    env.update(PRE_COMMIT_HOME=str(pre_commit_home), ROADWORTHY_TODAY=TODAY, NO_COLOR="1")
    env["TMPDIR"] = str(tmp)
    return env


@dataclass(frozen=True)
class Run:
    code: int
    output: str  # stdout and stderr, interleaved as a terminal shows them


def run(args: list[str], cwd: Path, env: dict[str, str]) -> Run:
    proc = subprocess.run(
        args,
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    return Run(proc.returncode, proc.stdout)


def pre_commit_config(
    *repos: HookRepo, hooks: tuple[str, ...] = ("roadworthy", "roadworthy-all")
) -> str:
    lines = ["repos:"]
    for hook_repo in repos:
        lines += [f"  - repo: {json.dumps(str(hook_repo.path))}", f"    rev: {hook_repo.rev}"]
        lines += ["    hooks:", *(f"      - id: {hook}" for hook in hooks)]
    return "\n".join(lines) + "\n"


class Consumer:
    """A repository that uses roadworthy through pre-commit: the credit component of
    tests/change (passes every rule), an untouched legacy component with every gap, and a
    committed .pre-commit-config.yaml."""

    def __init__(self, path: Path, hook_repo: HookRepo, env: dict[str, str]) -> None:
        files = {**base_files(), **LEGACY, ".pre-commit-config.yaml": pre_commit_config(hook_repo)}
        self.repo = GitRepo.init(path, files)
        self.path = path
        self.env = env
        self._commits = 0

    def pre_commit(self, *args: str) -> Run:
        return run([sys.executable, "-m", "pre_commit", *args], self.path, self.env)

    def roadworthy(self, *args: str) -> Run:
        return run([sys.executable, "-m", "roadworthy", *args], self.path, self.env)

    def git_commit(self, *args: str) -> Run:
        """A real ``git commit`` (hooks included), dated like the repository's other commits."""
        self._commits += 1
        when = (BASE_DATE + dt.timedelta(days=1, minutes=self._commits)).isoformat()
        env = {**self.env, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
        return run(["git", "commit", *args], self.path, env)

    @property
    def head(self) -> str:
        return self.repo.head


@pytest.fixture()
def make_consumer(
    tmp_path: Path, pre_commit_home: Path, hook_repo: HookRepo
) -> Callable[..., Consumer]:
    counter = iter(range(100))

    def make(hooks_from: HookRepo | None = None) -> Consumer:
        path = tmp_path / f"consumer{next(counter)}"
        tmp = tmp_path / "tmp"
        tmp.mkdir(exist_ok=True)
        return Consumer(path, hooks_from or hook_repo, pinned_env(pre_commit_home, tmp))

    return make

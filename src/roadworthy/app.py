"""Wiring: where the repository is, which policy is in force, and the run itself.

Commands call these with plain values; nothing here parses arguments or prints.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from roadworthy import git
from roadworthy.errors import LocatedError, Location, PolicyError, UsageError
from roadworthy.findings import Report
from roadworthy.policy.load import POLICY_FILES, Reader, find_policy_file, load_policy
from roadworthy.policy.model import Policy
from roadworthy.workspace import ArtifactError, WorkTree, decode

TODAY_ENV = "ROADWORTHY_TODAY"


@dataclass(frozen=True)
class Repository:
    root: Path
    is_git: bool
    only: tuple[str, ...] | None  # repository-relative paths to restrict to; None = everything

    @property
    def name(self) -> str:
        return self.root.name


def locate(paths: Sequence[str], cwd: Path) -> Repository:
    """The repository the PATHs are in (all of them must share one), and what to restrict to."""
    targets = [(cwd / p).resolve() for p in (paths or ["."])]
    for target in targets:
        if not target.exists():
            raise UsageError(f"{target}: no such file or directory")
    top = git.toplevel(targets[0])
    root = top.resolve() if top is not None else _plain_root(targets[0])
    only: list[str] = []
    for target in targets:
        try:
            rel = target.relative_to(root).as_posix()
        except ValueError:
            raise UsageError(f"{target} is not inside the repository at {root}") from None
        if rel == ".":
            return Repository(root, top is not None, None)
        only.append(rel)
    return Repository(root, top is not None, tuple(only))


def _plain_root(target: Path) -> Path:
    start = target if target.is_dir() else target.parent
    for folder in (start, *start.parents):
        if any((folder / name).is_file() for name in POLICY_FILES):
            return folder
    return start


def today() -> dt.date:
    """The date rules measure against; ROADWORTHY_TODAY pins it for reproducible audits."""
    pinned = os.environ.get(TODAY_ENV)
    if not pinned:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(pinned)
    except ValueError:
        raise UsageError(f"{TODAY_ENV}={pinned!r} is not a date (YYYY-MM-DD)") from None


def file_reader(root: Path) -> Reader:
    """Reads policy files from the work tree: repository-relative names, or absolute paths."""

    def read(name: str) -> str | None:
        path = root / name
        if not path.is_file():
            return None
        try:
            return decode(name, path.read_bytes())
        except ArtifactError as exc:
            raise PolicyError([LocatedError(Location(name, exc.line), exc.message)]) from None

    return read


def policy_label(path: str, root: Path, cwd: Path) -> str:
    """How a --policy path is named in messages: repository-relative when inside it."""
    full = (cwd / path).resolve()
    try:
        return full.relative_to(root).as_posix()
    except ValueError:
        return str(full)


def load_repository_policy(repo: Repository, explicit: str | None, cwd: Path) -> Policy:
    read = file_reader(repo.root)
    if explicit is not None:
        label = policy_label(explicit, repo.root, cwd)
        if read(label) is None:
            raise UsageError(f"{explicit}: policy file not found")
        return load_policy(read, label)
    return load_policy(read, find_policy_file(read))


def check(repo: Repository, policy: Policy) -> Report:
    from roadworthy import engine

    tree = WorkTree(repo.root, is_git=repo.is_git, max_file_size=policy.max_file_size)
    inputs = engine.Inputs(policy, tree, today(), repo.name, repo.only)
    return engine.run(inputs)

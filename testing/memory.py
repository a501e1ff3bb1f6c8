"""Checks without git: a component and its files in memory, one check kind run on it.

The check-kind tests read like yamllint's rule tests — files in, problems out — and cost
microseconds, because nothing touches a disk or a git process. The pieces are the real ones:
the policy loader (with the shipped presets), discovery, metadata resolution, the artifact
reader and the check module; only the tree is a dict. End-to-end behaviour stays covered by the
golden cases in tests/cases, which run the CLI on real git repositories.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Collection, Mapping
from typing import Any

from roadworthy.artifacts import ArtifactReader
from roadworthy.checks import CHECKS
from roadworthy.checks.base import Context
from roadworthy.discovery import discover
from roadworthy.findings import Problem
from roadworthy.formats.globs import GlobSet
from roadworthy.metadata import Component, resolve
from roadworthy.policy.load import load_policy
from roadworthy.policy.model import Policy
from roadworthy.workspace.worktree import DEFAULT_MAX_FILE_SIZE, ArtifactError, too_large

TODAY = dt.date(2026, 11, 21)
Files = Mapping[str, "str | bytes"]


class MemoryTree:
    """The `Tree` protocol over a dict of repository-relative POSIX paths to contents."""

    def __init__(self, files: Files, max_file_size: int = DEFAULT_MAX_FILE_SIZE) -> None:
        self.files = {p: c.encode("utf-8") if isinstance(c, str) else c for p, c in files.items()}
        self.max_file_size = max_file_size

    def find(self, patterns: GlobSet) -> list[str]:
        return sorted(p for p in self.files if patterns.match(p))

    def files_under(self, dirs: Collection[str]) -> dict[str, list[str]]:
        """Each file belongs to the deepest of ``dirs`` that holds it (as on disk)."""
        out: dict[str, list[str]] = {d: [] for d in dirs}
        for path in sorted(self.files):
            owners = [d for d in dirs if d == "" or path.startswith(f"{d}/")]
            if owners:
                out[max(owners, key=len)].append(path)
        return out

    def exists(self, path: str) -> bool:
        return path == "" or path in self.files or any(p.startswith(f"{path}/") for p in self.files)

    def exists_many(self, paths: Collection[str]) -> set[str]:
        return {p for p in paths if self.exists(p)}

    def read_bytes(self, path: str) -> bytes:
        if path not in self.files:
            raise ArtifactError(path, "does not exist")
        data = self.files[path]
        if len(data) > self.max_file_size:
            raise too_large(path, len(data), self.max_file_size)
        return data

    def blob_id(self, path: str) -> str | None:
        data = self.files.get(path)
        if data is None:
            return None
        return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()  # git's blob id


def policy_of(files: Files) -> Policy:
    """The policy a repository holding ``files`` has (its roadworthy.yaml, else the preset)."""

    def read(name: str) -> str | None:
        data = files.get(name)
        return data.decode("utf-8") if isinstance(data, bytes) else data

    entry = "roadworthy.yaml" if "roadworthy.yaml" in files else None
    return load_policy(read, entry)


def one_rule(kind: str, options: Mapping[str, Any], **rule: Any) -> str:
    """A roadworthy.yaml with the shipped engine rules and ``ACME101`` of ``kind`` only; the
    model card is ``MODEL_CARD.md``, so components take their metadata from it."""
    body = {"name": "under-test", "check": kind, "dimension": "governance", "options": options}
    policy = {
        "version": 1,
        "artifacts": {"model_card": ["MODEL_CARD.md"]},
        "rules": {"ACME101": {**body, **rule}},
    }
    return json.dumps(policy)


def component(files: Files, path: str, policy: Policy | None = None) -> tuple[Component, Context]:
    """The component at ``path`` as discovery and metadata resolution see it, and its context."""
    policy = policy or policy_of(files)
    tree = MemoryTree(files, policy.max_file_size)
    found = {f.path: f for f in discover(tree, policy.discovery, "repo").components}
    if path not in found:
        raise AssertionError(f"no component at {path!r}; found {sorted(found)}")
    reader = ArtifactReader(tree)
    return resolve(found[path], reader, policy), Context(reader, policy, TODAY)


def run_check(
    kind: str, files: Files, options: Mapping[str, Any], *, path: str = "models/m"
) -> list[Problem]:
    """What check ``kind`` with ``options`` says about the component at ``path``."""
    found, ctx = component({"roadworthy.yaml": one_rule(kind, options), **files}, path)
    return list(CHECKS[kind].check(found, ctx, options))

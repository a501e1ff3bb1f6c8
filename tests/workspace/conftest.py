"""Fixtures of the workspace tests."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from roadworthy.workspace import git


@pytest.fixture()
def git_calls(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The arguments of each `git.run` call made while the test runs (git still runs)."""
    calls: list[list[str]] = []
    real = git.run

    def counting(args: Sequence[str], root: Path, *rest: Any, **kwargs: Any) -> bytes:
        calls.append(list(args))
        return real(args, root, *rest, **kwargs)

    monkeypatch.setattr(git, "run", counting)
    return calls

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from testing.gitrepo import GitRepo

from roadworthy.reporters import REPORTERS, renderer

from .conftest import FILES, report

NEW_FORMATS = ("sarif", "github", "markdown", "junit")


def test_formats_are_registered() -> None:
    assert set(NEW_FORMATS) <= set(REPORTERS)
    for name in REPORTERS:
        assert isinstance(renderer(name)(report()), str)
    with pytest.raises(KeyError):
        renderer("html")


def test_reporters_load_on_demand() -> None:
    code = (
        "import sys; from roadworthy.reporters import renderer; renderer('text'); "
        "print(sorted(m for m in sys.modules if m.startswith('roadworthy.reporters.')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "['roadworthy.reporters.text']"


@pytest.mark.parametrize("fmt", NEW_FORMATS)
def test_byte_identical_across_runs_and_checkouts(
    fmt: str, make_repo: Callable[..., GitRepo], check: Callable[..., str]
) -> None:
    first = make_repo(FILES, name="one")
    second = make_repo(FILES, name="elsewhere")
    out = check(first, fmt)
    assert out
    assert check(first, fmt) == out
    assert check(second, fmt) == out
    assert str(first.path) not in out


@pytest.mark.parametrize("fmt", NEW_FORMATS)
def test_output_file(
    fmt: str, sample_repo: GitRepo, run_cli: Callable[..., Any], tmp_path: Path
) -> None:
    target = tmp_path / f"report.{fmt}"
    to_file = run_cli("check", "--format", fmt, "--output", str(target), cwd=sample_repo.path)
    to_stdout = run_cli("check", "--format", fmt, cwd=sample_repo.path)
    assert to_file.exit_code == to_stdout.exit_code == 1
    assert to_file.out == ""
    assert target.read_text(encoding="utf-8") == to_stdout.out


def test_a_folder_name_with_a_newline_injects_no_workflow_command(make_repo, run_cli):
    """Inside GitHub Actions any line that starts with `::` is a command; a path can carry one."""
    evil = "models/x\n::error file=README.md,line=1::injected"
    repo = make_repo({f"{evil}/model.onnx": b"\x00w", "README.md": "# r\n"})
    for fmt in ("text", "github", "markdown"):
        out = run_cli("check", "--format", fmt, cwd=repo.path).out
        assert not any(line.startswith("::error file=README.md") for line in out.splitlines()), fmt

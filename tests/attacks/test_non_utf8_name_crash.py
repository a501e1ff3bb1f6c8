"""A pull request adds weights under a file name that is not UTF-8 (git allows any bytes).
The text, JSON, GitHub and JUnit reports cope; SARIF and Markdown (the Action's code-scanning
upload and step summary) crash with exit 3 (an internal error and a crash file) instead of
reporting the unapproved weights."""

from __future__ import annotations

import pytest
from testing.gitrepo import GitRepo

from tests.change.conftest import MALLORY

NAME = "models/credit/\udcff.onnx"  # the byte 0xff, as os.fsdecode gives it


@pytest.mark.parametrize("fmt", ["sarif", "markdown"])
def test_a_non_utf8_weights_name_is_reported_not_a_crash(credit_repo: GitRepo, run_cli, fmt):
    credit_repo.write({NAME: b"weights\n"})
    credit_repo.commit("add weights", author=MALLORY)
    result = run_cli("check", "--diff", "base", "--format", fmt, cwd=credit_repo.path)
    assert result.exit_code == 1, result.err
    assert "internal error" not in result.err


@pytest.mark.parametrize("fmt", ["sarif", "markdown", "json", "junit", "text", "github"])
def test_a_non_utf8_name_is_written_to_an_output_file(credit_repo: GitRepo, run_cli, fmt):
    credit_repo.write({NAME: b"weights\n"})
    credit_repo.commit("add weights", author=MALLORY)
    out = credit_repo.path / f"report.{fmt}"
    result = run_cli(
        "check", "--diff", "base", "--format", fmt, "-o", str(out), cwd=credit_repo.path
    )
    assert result.exit_code == 1, result.err
    text = out.read_text(encoding="utf-8")  # valid UTF-8
    assert "\\udcff" in text or "%FF" in text or "\ufffd" in text, text

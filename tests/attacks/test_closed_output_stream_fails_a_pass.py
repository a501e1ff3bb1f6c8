"""A clean check started with its stdout or stderr closed (`roadworthy check --output r.json >&-`,
`2>&-`: a daemon, a CI wrapper that closes what it does not read) exits 0 as it did before `cli.run`.

Python sets ``sys.stdout`` / ``sys.stderr`` to None when the descriptor is closed; `cli.leave`
called ``sys.stdout.flush()`` unguarded, so the AttributeError escaped `run` after the check had
passed: exit code 1 (the code for findings) and a traceback, where the old ``raise
SystemExit(main())`` exited 0.
"""

from __future__ import annotations

import subprocess
import sys

import pytest


def _program(cwd, redirect: str, *args: str) -> subprocess.CompletedProcess[str]:
    # A shell closes the descriptor as a user's `>&-` would; Python starts with it missing.
    script = f'exec "$@" {redirect}'
    return subprocess.run(
        ["sh", "-c", script, "sh", sys.executable, "-m", "roadworthy", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
    )


@pytest.mark.parametrize("redirect", [">&-", "2>&-", ">&- 2>&-"], ids=["stdout", "stderr", "both"])
def test_a_clean_check_with_a_closed_stream_still_passes(make_repo, tmp_path, redirect):
    repo = make_repo({"README.md": "no model here\n"})
    report = tmp_path / "report.json"
    proc = _program(repo.path, redirect, "check", "--format", "json", "--output", str(report))
    assert "Traceback" not in proc.stdout + proc.stderr
    assert proc.returncode == 0
    assert report.is_file()

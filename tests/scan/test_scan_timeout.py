"""A hung repository is killed at --timeout and becomes an error row; Ctrl-C keeps what finished.

The hang is real: a git server on 127.0.0.1 that accepts the connection and never answers, so
`git clone` waits forever (git sets no read timeout of its own).
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

from .conftest import Org, by_target, read_report


def test_a_hung_clone_is_killed_and_reported(org: Org, run_cli, hang_server, tmp_path) -> None:
    server = hang_server()
    cache = tmp_path / "cache"
    started = time.monotonic()
    args = f"scan {server.url} clean --timeout 2 --jobs 2 --cache {cache} -o out -q"
    result = run_cli(*args.split(), cwd=org.root)
    assert time.monotonic() - started < 30
    rows = by_target(read_report(org.root / "out"))
    assert rows[server.url]["status"] == "error"
    assert rows[server.url]["error"] == "timed out after 2 s; stopped"
    assert rows["clean"]["status"] == "ok"
    assert result.exit_code == 1
    # git itself was killed with its worker (its connection closed), not left running
    assert [server.next_event(), server.next_event()] == ["open", "closed"]
    assert [p.name for p in cache.iterdir() if not p.name.startswith(".")] == []


def test_ctrl_c_writes_what_finished_and_exits_130(org: Org, hang_server, tmp_path) -> None:
    server = hang_server()
    out = tmp_path / "out"
    # One worker, targets in sorted order: the absolute path of `clean` comes before the
    # http:// URL, so once the server sees the clone, `clean` has finished.
    args = f"scan {org.root / 'clean'} {server.url} --jobs 1 --cache {tmp_path / 'c'} -o {out}"
    proc = subprocess.Popen(
        [sys.executable, "-m", "roadworthy", *args.split()], stderr=subprocess.PIPE, text=True
    )
    assert server.next_event(timeout=30) == "open"
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130
    assert "interrupted; writing the 1 of 2 repositories that finished" in err
    report = json.loads((out / "scan.json").read_text())
    assert report["complete"] is False
    assert [r["target"] for r in report["repositories"]] == [str(org.root / "clean")]
    assert report["repositories"][0]["status"] == "ok"
    assert (out / "scan.html").is_file() and (out / "scan.csv").is_file()
    assert server.next_event() == "closed"  # the clone was stopped


def test_an_interrupted_report_merges_as_incomplete(org: Org, run_cli, tmp_path: Path) -> None:
    run_cli("scan", "clean", "-o", "out", "-q", cwd=org.root)
    path = org.root / "out/scan.json"
    data = json.loads(path.read_text())
    data["complete"] = False
    path.write_text(json.dumps(data))
    run_cli("merge", "out/scan.json", "-o", "merged", "-q", cwd=org.root)
    assert read_report(org.root / "merged")["complete"] is False

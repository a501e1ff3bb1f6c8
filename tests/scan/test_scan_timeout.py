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

import pytest

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


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_ctrl_c_writes_what_finished_and_exits_130(org: Org, hang_server, tmp_path, signum) -> None:
    # SIGTERM is how a CI runner cancels a job: it stops a scan the way Ctrl-C does.
    server = hang_server()
    out = tmp_path / "out"
    # One worker, targets in sorted order: the absolute path of `clean` comes before the
    # http:// URL, so once the server sees the clone, `clean` has finished.
    args = f"scan {org.root / 'clean'} {server.url} --jobs 1 --cache {tmp_path / 'c'} -o {out}"
    proc = subprocess.Popen(
        [sys.executable, "-m", "roadworthy", *args.split()], stderr=subprocess.PIPE, text=True
    )
    assert server.next_event(timeout=30) == "open"
    proc.send_signal(signum)
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


SCAN = [sys.executable, "-m", "roadworthy", "scan"]


def test_scans_sharing_a_cache_take_turns_on_a_repository(org: Org, tmp_path: Path) -> None:
    """Four scans of the same URL with one --cache at once, twice over (a clone, then
    refreshes): each sees a whole clone; none deletes or resets one another is reading."""
    cache = tmp_path / "cache"
    for round_ in range(2):
        targets = [org.url("findings"), org.url("clean"), "--jobs", "2", "--cache", str(cache)]
        procs = [
            subprocess.Popen(
                [*SCAN, *targets, "-o", str(tmp_path / f"out{round_}{i}")],
                stderr=subprocess.PIPE,
                text=True,
            )
            for i in range(4)
        ]
        for i, proc in enumerate(procs):
            _, err = proc.communicate(timeout=120)
            assert proc.returncode == 1, err  # `findings` has findings; nothing is an error
            rows = by_target(read_report(tmp_path / f"out{round_}{i}"))
            assert {t: r["status"] for t, r in rows.items()} == {
                org.url("findings"): "findings",
                org.url("clean"): "ok",
            }
    # One folder per repository, one (hidden) lock file beside each, no half-made clones left.
    names = sorted(p.name for p in cache.iterdir())
    assert len(names) == 4
    assert sorted(n for n in names if n.startswith(".")) == sorted(
        f".{n}.lock" for n in names if not n.startswith(".")
    )

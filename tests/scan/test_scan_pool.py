"""The worker pool: every job answered, an overrunning job killed with what it started."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest

from roadworthy.scan.pool import Pool, Work


def _nothing(setup: object) -> None:
    pass


def double(n: int) -> int:
    return n * 2


def sleep_in_a_child(pid_file: str) -> int:
    """Starts `sleep` (as git would start a helper), notes its pid, and waits on it."""
    child = subprocess.Popen(["sleep", "60"])
    Path(pid_file).write_text(str(child.pid))
    return child.wait()


def die(code: int) -> int:
    os._exit(code)


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"  # a zombie waits only to be reaped by init


def test_every_job_is_answered() -> None:
    with Pool(Work(double, _nothing, None), workers=3, timeout=None) as pool:
        outcomes = list(pool.run(range(10)))
    assert sorted((o.job, o.result) for o in outcomes) == [(n, n * 2) for n in range(10)]
    assert all(o.failure is None for o in outcomes)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
def test_an_overrunning_job_is_killed_with_its_children(tmp_path: Path) -> None:
    pid_file = tmp_path / "pid"
    with Pool(Work(sleep_in_a_child, _nothing, None), workers=1, timeout=1) as pool:
        started = time.monotonic()
        (outcome,) = pool.run([str(pid_file)])
    assert time.monotonic() - started < 10
    assert (outcome.result, outcome.failure) == (None, "timed out after 1 s; stopped")
    pid = int(pid_file.read_text())
    deadline = time.monotonic() + 5
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(pid)


def test_a_dead_worker_is_reported_and_replaced() -> None:
    jobs = [("die", 3), ("double", 4), ("double", 5)]
    with Pool(Work(_dispatch, _nothing, None), workers=1, timeout=None) as pool:
        outcomes = {o.job: o for o in pool.run(jobs)}
    assert outcomes[("die", 3)].failure == "worker process died (exit code 3)"
    assert [outcomes[("double", n)].result for n in (4, 5)] == [8, 10]


def _dispatch(job: tuple[str, int]) -> int:
    name, n = job
    return die(n) if name == "die" else double(n)


def test_no_jobs_start_no_workers() -> None:
    with Pool(Work(double, _nothing, None), workers=4, timeout=None) as pool:
        assert list(pool.run([])) == []
        assert pool.workers == []


IDLE = """
import sys, time
sys.path.insert(0, {tests!r})
from scan.test_scan_pool import _nothing, double
from roadworthy.scan.pool import Pool, Work

with Pool(Work(double, _nothing, None), workers=3, timeout=None) as pool:
    for _ in pool.run(range(6)):
        pass
    print(" ".join(str(w.process.pid) for w in pool.workers), flush=True)
    time.sleep(120)
"""


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
def test_a_killed_scan_leaves_no_idle_worker() -> None:
    # Each worker leads its own process group, so killing the scan's group does not reach
    # them: they must see their pipe end, which they do only if none holds another's copy.
    import signal
    import sys

    tests = str(Path(__file__).resolve().parents[1])
    proc = subprocess.Popen(
        [sys.executable, "-c", IDLE.format(tests=tests)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    workers = [int(pid) for pid in proc.stdout.readline().split()]
    try:
        assert len(workers) == 3
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=20)
        deadline = time.monotonic() + 10
        while any(alive(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(alive(w) for w in workers), "a worker outlived the scan"
    finally:
        proc.stdout.close()
        for pid in workers:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)

"""CPU time of a roadworthy command: ``python bench/cpu.py REPO SRC [--runs N] -- ARGS...``.

Runs ``python -m roadworthy ARGS`` in REPO with PYTHONPATH=SRC (this checkout's src/, or an
extracted copy of another commit's), N times after one warm-up run, and prints the best and
median of the child's CPU time (user + system from ``os.wait4``, which includes the git
processes it started and waited for) beside the wall time, and a digest of its output so
that two source trees can be shown to report the same bytes.

On a machine shared with other work, wall time says how busy the machine was; CPU time says
what the command itself cost. Alternate two SRCs in one sitting to compare commits.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import subprocess
import sys
import tempfile
import time


def run_once(command: list[str], repo: str, env: dict[str, str]) -> tuple[float, float, str]:
    """(CPU seconds, wall seconds, sha256 of stdout) of one run."""
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        proc = subprocess.Popen(command, cwd=repo, env=env, stdout=out, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)  # already reaped by wait4
        if proc.returncode not in (0, 1):
            raise SystemExit(f"{' '.join(command)} exited {proc.returncode}")
        out.seek(0)
        digest = hashlib.sha256(out.read()).hexdigest()[:12]
    return usage.ru_utime + usage.ru_stime, wall, digest


def main(argv: list[str]) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("repo")
    ap.add_argument("src")
    ap.add_argument("--runs", type=int, default=7)
    if "--" not in argv:
        ap.error("give roadworthy's arguments after --")
    cut = argv.index("--")
    opts, args = ap.parse_args(argv[:cut]), argv[cut + 1 :]
    env = {**os.environ, "PYTHONPATH": opts.src, "ROADWORTHY_TODAY": "2026-11-21"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed roadworthy runs from bytecode
    command = [sys.executable, "-m", "roadworthy", *args]
    run_once(command, opts.repo, env)  # warm-up: page cache, bytecode
    runs = [run_once(command, opts.repo, env) for _ in range(opts.runs)]
    cpu = [r[0] for r in runs]
    wall = [r[1] for r in runs]
    digests = sorted({r[2] for r in runs})
    shown = " ".join(args)[:44]
    print(
        f"{opts.src:28} {shown:44} cpu best {min(cpu):.3f} median {statistics.median(cpu):.3f}"
        f"  wall best {min(wall):.3f} median {statistics.median(wall):.3f}  out {','.join(digests)}"
    )


if __name__ == "__main__":
    main(sys.argv[1:])

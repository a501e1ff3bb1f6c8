#!/usr/bin/env python3
"""Where forked workers start to pay: a full check, one process against two, by component count.

Usage: python bench/jobs.py [--components 50,100,200,400,800,2000] [--work DIR] [--runs N]

For each count it makes a repository with ../shared/bench/gen_repo.py (40 files per component,
at least 2,000; once; reused in build/bench/jobs/; 2000 is bench/run.py's 100k repository when
it exists), then times the check in this process (no interpreter start, no imports: what the
workers change) with ``jobs=1`` and with ``jobs=2``, the threshold (``engine.PARALLEL_FROM``)
lowered so that a worker is forked at every count. Runs alternate; best and median of N each,
and the CPU time of this process and of its children (the worker, and git) in the best runs:
on a machine other work keeps busy, wall time says little and the CPU split says where the
time goes. The reports must be equal. Last, the pool alone: 33 empty jobs, two processes.
Prints Markdown tables for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from run import GENERATOR, ROOT, environment  # noqa: E402


def generate(work: Path, components: int) -> Path:
    repo = work / f"repo-{components}"
    if not (repo / ".git").is_dir():
        files = max(2000, 40 * components)
        args = ["--files", str(files), "--components", str(components), "--no-second-commit"]
        cmd = [sys.executable, str(GENERATOR), "--out", str(repo), "--force", *args]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return repo


def timed(repo: Path, jobs: int) -> tuple[float, float, float, object]:
    """Wall ms, CPU ms of this process, CPU ms of its children, and the report."""
    from roadworthy import pipeline

    located = pipeline.locate([], repo)
    policy = pipeline.load_repository_policy(located, str(HERE / "policy.yaml"), ROOT)
    me, kids = cpu()
    start = time.perf_counter()
    report = pipeline.check(located, policy, jobs=jobs)
    wall = time.perf_counter() - start
    me2, kids2 = cpu()
    return wall * 1000, (me2 - me) * 1000, (kids2 - kids) * 1000, report


def cpu() -> tuple[float, float]:
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


def repository(work: Path, count: int) -> Path:
    bench_100k = ROOT / "build" / "bench" / "repo100k"
    if count == 2000 and (bench_100k / ".git").is_dir():
        return bench_100k
    return generate(work, count)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--components", default="50,100,200,400,800,2000")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "bench" / "jobs")
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    os.environ.update(environment())
    from roadworthy import engine, forkpool

    engine.PARALLEL_FROM = 1
    print(
        "| components | 1 process: best / median (ms) | CPU (ms) | 2 processes: best / median (ms) "
        "| CPU: this / children (ms) | median ratio |"
    )
    print("|---|---|---|---|---|---|")
    for count in (int(c) for c in args.components.split(",")):
        repo = repository(args.work, count)
        runs: dict[int, list[tuple[float, float, float]]] = {1: [], 2: []}
        reports = {}
        for _ in range(args.runs):
            for jobs in (1, 2):
                wall, me, kids, reports[jobs] = timed(repo, jobs)
                runs[jobs].append((wall, me, kids))
        if reports[1] != reports[2]:
            raise SystemExit(f"{count} components: the reports differ")
        one, two = min(runs[1]), min(runs[2])
        m1, m2 = (statistics.median(r[0] for r in runs[j]) for j in (1, 2))
        print(
            f"| {count} | {one[0]:.0f} / {m1:.0f} | {one[1] + one[2]:.0f} "
            f"| {two[0]:.0f} / {m2:.0f} | {two[1]:.0f} / {two[2]:.0f} | {m1 / m2:.2f} |",
            flush=True,
        )
    walls = []
    for _ in range(args.runs):
        start = time.perf_counter()
        forkpool.run(int, 33, 2)
        walls.append((time.perf_counter() - start) * 1000)
    print(
        f"\npool alone (33 empty jobs, 2 processes): best {min(walls):.1f} ms, median "
        f"{statistics.median(walls):.1f} ms"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

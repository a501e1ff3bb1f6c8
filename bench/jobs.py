#!/usr/bin/env python3
"""Where forked workers start to pay: a full check, one process against two, by component count.

Usage: python bench/jobs.py [--components 25,50,100,200,400] [--work DIR] [--runs N]

For each count it makes a repository with ../shared/bench/gen_repo.py (40 files per component,
at least 2,000; once; reused in build/bench/jobs/), then times the check in this process (no
interpreter start, no imports: what the workers change) with ``jobs=1`` and with ``jobs=2``,
the threshold (``engine.PARALLEL_FROM``) lowered so that two workers are forked at every count.
Runs alternate; best and median of N each. The reports must be equal. Prints a Markdown table
for docs/benchmarks.md; the threshold is the smallest count where two workers win clearly.
"""

from __future__ import annotations

import argparse
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


def timed(repo: Path, jobs: int) -> tuple[float, object]:
    from roadworthy import pipeline

    located = pipeline.locate([], repo)
    policy = pipeline.load_repository_policy(located, str(HERE / "policy.yaml"), ROOT)
    start = time.perf_counter()
    report = pipeline.check(located, policy, jobs=jobs)
    return time.perf_counter() - start, report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--components", default="25,50,100,200,400")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "bench" / "jobs")
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    import os

    os.environ.update(environment())
    from roadworthy import engine

    engine.PARALLEL_FROM = 1
    print("| components | 1 process: best / median (ms) | 2 workers: best / median (ms) | ratio |")
    print("|---|---|---|---|")
    for count in (int(c) for c in args.components.split(",")):
        repo = generate(args.work, count)
        walls: dict[int, list[float]] = {1: [], 2: []}
        reports = {}
        for _ in range(args.runs):
            for jobs in (1, 2):
                wall, reports[jobs] = timed(repo, jobs)
                walls[jobs].append(wall * 1000)
        if reports[1] != reports[2]:
            raise SystemExit(f"{count} components: the reports differ")
        one, two = walls[1], walls[2]
        print(
            f"| {count} | {min(one):.0f} / {statistics.median(one):.0f} "
            f"| {min(two):.0f} / {statistics.median(two):.0f} "
            f"| {statistics.median(one) / statistics.median(two):.2f} |",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

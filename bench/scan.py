#!/usr/bin/env python3
"""Benchmark of `roadworthy scan`: 200 reference repositories, one worker against two.

Usage: python bench/scan.py [--repos 200] [--work DIR] [--runs N]

1. Makes REPOS repositories with ../shared/bench/gen_repo.py --files 2000 --components 20
   (seeds 1..REPOS) in build/bench/scan/ (once; reused).
2. Scans them all, `--policy bench/policy.yaml` (the generator's rules), with --jobs 1 and with
   --jobs 2, RUNS times each (alternating), and keeps the best and the median wall time of
   each; the budgets use the best (the run least disturbed by anything else on the machine).
   Both reports must be byte-identical and every repository's findings must equal the
   generator's ground truth.
3. Measures what one repository costs outside a scan, two ways, over every repository:
   - `cli`: the wall time of `roadworthy check --policy bench/policy.yaml --format json` in
     the repository (a process per repository, as a user or CI job runs it);
   - `in-process`: the same check (locate, load the policy, check, render JSON) timed inside
     one warm Python process, so no interpreter start or import is counted.
4. Reports the speedup (jobs 1 / jobs 2; budget >= 1.6) and the per-repository overhead of the
   scan beyond the check: (scan --jobs 1 wall / REPOS) / (mean per-repository check) - 1,
   against both baselines. The budget (< 20 %) is held against the stricter, in-process one.

Prints a Markdown table for docs/benchmarks.md; exits 1 if a budget is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from run import (  # noqa: E402
    GENERATOR,
    compile_bytecode,
    environment,
    expected_problems,
    found_problems,
    roadworthy,
)

SIZE = ["--files", "2000", "--components", "20"]
POLICY = HERE / "policy.yaml"
SPEEDUP_BUDGET, OVERHEAD_BUDGET = 1.6, 0.20


def generate(work: Path, count: int) -> list[Path]:
    repos = [work / f"repo-{seed:03d}" for seed in range(1, count + 1)]
    missing = [r for r in repos if not Path(f"{r}.expected.json").is_file()]
    if missing and not GENERATOR.is_file():
        sys.exit(f"generator not found: {GENERATOR} (set ROADWORTHY_GEN_REPO)")
    work.mkdir(parents=True, exist_ok=True)

    def make(repo: Path) -> None:
        seed = repo.name.rsplit("-", 1)[1]
        cmd = [sys.executable, str(GENERATOR), "--out", str(repo), "--force", "--seed", seed]
        subprocess.run([*cmd, *SIZE], check=True, stdout=subprocess.DEVNULL)

    with ThreadPoolExecutor(os.cpu_count() or 1) as pool:
        list(pool.map(make, missing))
    return repos


def scan(targets: Path, out: Path, jobs: int) -> float:
    cmd = [*roadworthy(), "scan", "--repos", str(targets), "--policy", str(POLICY)]
    cmd += ["--jobs", str(jobs), "-o", str(out), "--quiet", "--timeout", "0"]
    start = time.perf_counter()
    code = subprocess.run(cmd, check=False, env=environment()).returncode
    wall = time.perf_counter() - start
    if code not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} exited {code}")
    return wall


def verify(report: dict, repos: list[Path]) -> None:
    rows = {r["target"]: r for r in report["repositories"]}
    for repo in repos:
        row = rows[str(repo)]
        if row["status"] == "error":
            raise SystemExit(f"{repo}: {row['error']}")
        if found_problems(row) != expected_problems(repo):
            raise SystemExit(f"{repo}: findings differ from the generator's ground truth")


def check_cli(repos: list[Path]) -> list[float]:
    cmd = [*roadworthy(), "check", "--policy", str(POLICY), "--format", "json"]
    walls = []
    for repo in repos:
        start = time.perf_counter()
        code = subprocess.run(
            cmd,
            cwd=repo,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
            env=environment(),
        ).returncode
        walls.append(time.perf_counter() - start)
        if code not in (0, 1):
            raise SystemExit(f"roadworthy check in {repo} exited {code}")
    return walls


IN_PROCESS = """
import json, sys, time
from pathlib import Path
from roadworthy import pipeline
from roadworthy.reporters import json_
walls = []
for path in sys.argv[2:]:
    start = time.perf_counter()
    repo = pipeline.locate([path], Path(path))
    policy = pipeline.load_repository_policy(repo, sys.argv[1], Path(path))
    json_.render(pipeline.check(repo, policy))
    walls.append(time.perf_counter() - start)
print(json.dumps(walls))
"""


def check_in_process(repos: list[Path]) -> list[float]:
    cmd = [sys.executable, "-c", IN_PROCESS, str(POLICY), *map(str, repos)]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True, env=environment()).stdout
    walls: list[float] = json.loads(out)
    return walls


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--repos", type=int, default=200)
    ap.add_argument("--work", type=Path, default=ROOT / "build" / "bench" / "scan")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    compile_bytecode()
    repos = generate(args.work, args.repos)
    targets = args.work / "targets.txt"
    targets.write_text("".join(f"{r}\n" for r in repos))
    scan(targets, args.work / "out-warm", 2)  # the page cache, once
    walls: dict[int, list[float]] = {1: [], 2: []}
    for _ in range(args.runs):
        for jobs in (1, 2):
            walls[jobs].append(scan(targets, args.work / f"out-j{jobs}", jobs))
    one, two = (args.work / f"out-j{j}" / "scan.json" for j in (1, 2))
    if one.read_bytes() != two.read_bytes():
        raise SystemExit("--jobs 1 and --jobs 2 reports differ")
    verify(json.loads(one.read_text()), repos)
    cli, inproc = check_cli(repos), check_in_process(repos)
    print_table(args.repos, os.cpu_count() or 1, walls, cli, inproc)
    j1, j2 = min(walls[1]), min(walls[2])
    strict = (j1 / args.repos) / statistics.mean(inproc) - 1
    ok = j1 / j2 >= SPEEDUP_BUDGET and strict < OVERHEAD_BUDGET
    print("\nbudgets: " + ("met" if ok else "MISSED"))
    return 0 if ok else 1


def print_table(
    n: int, cores: int, walls: dict[int, list[float]], cli: list[float], inproc: list[float]
) -> None:
    j1, j2 = min(walls[1]), min(walls[2])
    per_repo = j1 / n
    print(
        f"{n} repositories (gen_repo.py {' '.join(SIZE)}), {cores} cores, "
        f"1-min load average at the end: {os.getloadavg()[0]:.2f}\n"
    )
    print("| what | best (s) | median (s) | best per repository (ms) |")
    print("|---|---|---|---|")
    for jobs in (1, 2):
        best, median = min(walls[jobs]), statistics.median(walls[jobs])
        print(
            f"| `scan --jobs {jobs}` ({len(walls[jobs])} runs) | {best:.2f} | {median:.2f} | "
            f"{best / n * 1000:.1f} |"
        )
    print(
        f"| `check`, a process per repository (sum over {n}) | {sum(cli):.2f} | | "
        f"{statistics.mean(cli) * 1000:.1f} |"
    )
    print(
        f"| `check` in one warm process (sum over {n}) | {sum(inproc):.2f} | | "
        f"{statistics.mean(inproc) * 1000:.1f} |"
    )
    print(
        f"\nspeedup --jobs 2 over --jobs 1: {j1 / j2:.2f}x best, "
        f"{statistics.median(walls[1]) / statistics.median(walls[2]):.2f}x median "
        f"(budget >= {SPEEDUP_BUDGET}x)"
    )
    print(
        f"overhead per repository vs `check` CLI: "
        f"{(per_repo / statistics.mean(cli) - 1) * 100:+.1f}%"
    )
    print(
        f"overhead per repository vs in-process check: "
        f"{(per_repo / statistics.mean(inproc) - 1) * 100:+.1f}% (budget < "
        f"{OVERHEAD_BUDGET * 100:.0f}%)"
    )


if __name__ == "__main__":
    raise SystemExit(main())

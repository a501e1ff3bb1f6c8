#!/usr/bin/env python3
"""Benchmark: generate the reference repositories, check them, compare with the ground truth, time.

Usage: python bench/run.py [--sizes 20k,100k] [--work DIR] [--runs N]

For each size it makes the repository with ../shared/bench/gen_repo.py (once; reused), runs
`roadworthy check --policy bench/policy.yaml --format json` and requires the findings per
component to equal the generator's ground truth (<repo>.expected.json, after commit 2), then
times the run: wall time (best and median of N) and the peak RSS of the roadworthy process.
Also times `roadworthy --version`. Prints a Markdown table for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
GENERATOR = Path(
    os.environ.get("ROADWORTHY_GEN_REPO", ROOT.parent / "shared" / "bench" / "gen_repo.py")
)
SIZES = {
    "20k": ["--files", "20000", "--components", "500"],
    "100k": ["--files", "100000", "--components", "2000"],
}
TRUTH_KIND = {
    "BENCH101": "missing:MODEL_CARD.md",
    "BENCH102": "missing:data_contract.yaml",
    "BENCH103": "missing:ROLLBACK.md",
    "BENCH104": "missing:RUNBOOK.md",
    "BENCH202": "contract_schema",
    "BENCH301": "no_codeowner",
}


def roadworthy() -> list[str]:
    exe = Path(sys.executable).with_name("roadworthy")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "roadworthy"]


def generate(size: str, work: Path) -> Path:
    repo = work / f"repo{size}"
    if not (repo / ".git").is_dir() or not Path(f"{repo}.expected.json").is_file():
        if not GENERATOR.is_file():
            sys.exit(f"generator not found: {GENERATOR} (set ROADWORTHY_GEN_REPO)")
        work.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [sys.executable, str(GENERATOR), "--out", str(repo), "--force", *SIZES[size]],
            check=True,
        )
    return repo


def measure(
    cmd: list[str], cwd: Path, env: dict[str, str] | None = None
) -> tuple[float, int, bytes, int]:
    """Wall seconds, peak RSS in KiB, stdout and exit code of one run of ``cmd``."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env
    )
    out = proc.stdout.read() if proc.stdout else b""
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_maxrss, out, proc.returncode


def expected_problems(repo: Path) -> dict[str, set[str]]:
    truth = json.loads(Path(f"{repo}.expected.json").read_text())
    state = truth.get("commit2", truth["commit1"])
    return {c["path"]: set(c["problems"]) for c in state["components"]}


def found_problems(report: dict) -> dict[str, set[str]]:
    paths = {c["name"]: c["path"] for c in report["components"]}
    found: dict[str, set[str]] = {path: set() for path in paths.values()}
    for f in report["findings"]:
        if f["waived_by"] or f["component"] is None:
            raise SystemExit(f"unexpected finding: {f}")
        path = paths[f["component"]]
        if f["code"] == "BENCH201":
            section = re.search(r"'([^']+)'", f["message"])
            found[path].add(f"card_section:## {section[1] if section else '?'}")
        else:
            found[path].add(TRUTH_KIND[f["code"]])
    return found


def verify(repo: Path, out: bytes) -> int:
    report = json.loads(out)
    expected, found = expected_problems(repo), found_problems(report)
    if expected != found:
        wrong = sorted(p for p in expected.keys() | found.keys() if expected.get(p) != found.get(p))
        for path in wrong[:10]:
            want, got = sorted(expected.get(path, ())), sorted(found.get(path, ()))
            print(f"  MISMATCH {path}: expected {want} found {got}")
        raise SystemExit(f"{repo.name}: {len(wrong)} components differ from the ground truth")
    return len(expected)


def time_runs(cmd: list[str], cwd: Path, runs: int) -> tuple[list[float], int, bytes]:
    walls, peak, out = [], 0, b""
    for _ in range(runs):
        wall, rss, out, code = measure(cmd, cwd)
        if code not in (0, 1):
            raise SystemExit(f"{' '.join(cmd)} exited {code}")
        walls.append(wall)
        peak = max(peak, rss)
    return walls, peak, out


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--sizes", default="20k,100k")
    ap.add_argument("--work", type=Path, default=ROOT / "build" / "bench")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    policy = str(HERE / "policy.yaml")
    rows = []
    for size in args.sizes.split(","):
        repo = generate(size, args.work)
        cmd = [*roadworthy(), "check", "--policy", policy, "--format", "json"]
        measure(cmd, repo)  # warm the page cache once
        walls, peak, out = time_runs(cmd, repo, args.runs)
        n = verify(repo, out)
        rows.append((f"full check, {size} ({n} components)", walls, peak))
    walls, peak, _ = time_runs([*roadworthy(), "--version"], ROOT, max(args.runs, 20))
    rows.append(("roadworthy --version", walls, peak))
    print("| what | best (s) | median (s) | peak RSS (MiB) |")
    print("|---|---|---|---|")
    for name, walls, peak in rows:
        print(f"| {name} | {min(walls):.3f} | {statistics.median(walls):.3f} | {peak / 1024:.1f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

#!/usr/bin/env python3
"""Benchmark: generate the reference repositories, check them, compare with the ground truth, time.

Usage: python bench/run.py [--sizes 20k,100k,100k-500,500k] [--work DIR] [--runs N]
                           [--measure full,diff,staged] [--editable]

roadworthy runs from a regular install of this checkout in <work>/venv (bench/install.py), as
users install it; --editable runs this interpreter's instead.

For each size it makes the repository with ../shared/bench/gen_repo.py (once; reused), then:

- full check: `roadworthy check --policy bench/policy.yaml --format json --jobs 1`; the findings
  per component must equal the generator's ground truth (<repo>.expected.json, after commit 2);
  then the same with `--jobs 2`, whose report must be the same bytes, timed with the parsed
  documents an earlier run kept (every run after the first), with nothing kept (a first run:
  each parses every document and writes them) and as a CI job (``CI=true``: nothing kept, and
  no documents written);
- diff mode: `roadworthy check --diff HEAD~1...HEAD` (the generator's second commit, zero
  configuration); the components reported must be exactly those the commit touches; timed
  with the base's tree entry kept in .git/roadworthy/ by an earlier run (what every run after
  the first on a base finds) and with nothing kept (that and the kept CODEOWNERS removed
  before each run), which must report the same bytes;
- staged: the same 5-file change staged in every repository (new weights and an edited card for
  one component, three ordinary source files), `roadworthy check --staged`, kept and not kept
  as above; undone afterwards;
- `roadworthy --version`.

Each is timed as wall time (best and median of N runs) and CPU time (user + system of the
process and the git processes it ran, best run; on a shared machine the steadier figure) with
the peak RSS of the roadworthy process and its git children (/usr/bin/time where present;
reported, not budgeted), and for the full check the peak Python heap (bench/heap.py), which
issue 11's 100 MiB budget is about. Python bytecode is
compiled first and the runs do not inherit PYTHONDONTWRITEBYTECODE: an installed roadworthy
runs from compiled bytecode. A speed probe (a fixed piece of pure-Python work) is timed before
and after the runs: a shared VM's speed drifts, and only sittings with like probes compare.
Prints a Markdown table for docs/benchmarks.md and exits 1 when a
budget is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
TIME = shutil.which("time", path="/usr/bin:/bin")
GENERATOR = Path(
    os.environ.get("ROADWORTHY_GEN_REPO", ROOT.parent / "shared" / "bench" / "gen_repo.py")
)
SIZES = {
    "20k": ["--files", "20000", "--components", "500"],
    "100k": ["--files", "100000", "--components", "2000"],
    "100k-500": ["--files", "100000", "--components", "500"],  # memory: files, not components
    "500k": ["--files", "500000", "--components", "10000"],  # the same density as 100k
    "500k-2000": ["--files", "500000", "--components", "2000"],  # the 100k one's components
}
BUDGETS = {  # (measurement, size) -> seconds, from the issues
    ("full", "20k"): 0.5,
    ("full", "100k"): 2.0,
    ("full -j2", "100k"): 0.7,  # issue 11: two worker processes
    ("full -j2", "500k"): 2.5,
    ("full -j2", "500k-2000"): 2.5,
    ("diff", "20k"): 0.12,  # issue 11 (issue 1 had 0.15 and 0.25)
    ("diff", "100k"): 0.2,
    ("diff", "500k"): 0.4,
    ("diff", "500k-2000"): 0.4,
    ("staged", "100k"): 0.15,
    ("staged", "500k"): 0.25,
    ("staged", "500k-2000"): 0.25,
    ("version", ""): 0.04,  # issue 11, from a regular install
}
MEMORY_BUDGET_MIB = 100
TRUTH_KIND = {
    "BENCH101": "missing:MODEL_CARD.md",
    "BENCH102": "missing:data_contract.yaml",
    "BENCH103": "missing:ROLLBACK.md",
    "BENCH104": "missing:RUNBOOK.md",
    "BENCH202": "contract_schema",
    "BENCH301": "no_codeowner",
}


def environment() -> dict[str, str]:
    # CI is the one row that says so (a CI job keeps no parsed documents of a full check).
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "CI")}
    env["ROADWORTHY_TODAY"] = "2026-11-21"
    return env


INSTALLED: list[Path] = []  # the regular install's script, once made (see bench/install.py)


def roadworthy() -> list[str]:
    if INSTALLED:
        return [str(INSTALLED[0])]
    exe = Path(sys.executable).with_name("roadworthy")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "roadworthy"]


def compile_bytecode() -> None:
    """Compile the bytecode of the roadworthy the runs start (pip compiles on install, but not
    where PYTHONDONTWRITEBYTECODE is set, as in this sandbox)."""
    python = INSTALLED[0].with_name("python") if INSTALLED else Path(sys.executable)
    code = "import pathlib, roadworthy; print(pathlib.Path(roadworthy.__file__).parent)"
    found = subprocess.run([str(python), "-c", code], capture_output=True, text=True, check=True)
    subprocess.run(
        [str(python), "-m", "compileall", "-q", found.stdout.strip()],
        check=True,
        env=environment(),
        stdout=subprocess.DEVNULL,
    )


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


class Run(NamedTuple):
    wall: float  # seconds
    cpu: float  # user + system seconds of the process and every child it waited for (git)
    peak: int  # KiB
    out: bytes
    code: int


def measure(cmd: list[str], cwd: Path) -> Run:
    """One run of ``cmd``.

    The peak RSS comes from /usr/bin/time: the rusage of a child forked straight from this
    interpreter would count the interpreter's own pages copied before exec. The CPU time is
    that of /usr/bin/time's process tree (``os.wait4``); /usr/bin/time itself adds well under
    a millisecond.
    """
    with (
        tempfile.NamedTemporaryFile("r", suffix=".rss") as rss,
        tempfile.TemporaryFile() as out,
    ):
        wrapped = [TIME, "-f", "%M", "-o", rss.name, *cmd] if TIME else cmd
        start = time.perf_counter()
        proc = subprocess.Popen(
            wrapped, cwd=cwd, stdout=out, stderr=subprocess.DEVNULL, env=environment()
        )
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        text = rss.read().strip().splitlines()
        out.seek(0)
        stdout = out.read()
    peak = int(text[-1]) if text and text[-1].isdigit() else 0
    return Run(wall, usage.ru_utime + usage.ru_stime, peak, stdout, proc.returncode)


class Timed(NamedTuple):
    walls: list[float]
    cpus: list[float]
    peak: int
    out: bytes


def time_runs(
    cmd: list[str], cwd: Path, runs: int, before: Callable[[], None] | None = None
) -> Timed:
    """``runs`` runs after one warm-up run; ``before`` is called before each (and is not
    timed): forgetting what a run keeps measures a first run."""
    if before is not None:
        before()
    measure(cmd, cwd)  # warm the page cache once
    walls, cpus, peak, out = [], [], 0, b""
    for _ in range(runs):
        if before is not None:
            before()
        run = measure(cmd, cwd)
        if run.code not in (0, 1):
            raise SystemExit(f"{' '.join(cmd)} exited {run.code}")
        walls.append(run.wall)
        cpus.append(run.cpu)
        peak, out = max(peak, run.peak), run.out
    return Timed(walls, cpus, peak, out)


def forget(repo: Path) -> Callable[[], None]:
    """Remove what a run keeps: diff mode's tree entries and layouts (.git/roadworthy/), and in
    the user's cache folder the parsed CODEOWNERS files, validation verdicts and parsed YAML
    documents (workspace/ownerscache.py, verdictcache.py, parsecache.py): a fresh CI clone."""

    def remove() -> None:
        shutil.rmtree(repo / ".git" / "roadworthy", ignore_errors=True)
        for kept in ("codeowners", "verdicts", "parsed"):
            shutil.rmtree(user_cache() / "roadworthy" / kept, ignore_errors=True)

    return remove


def user_cache() -> Path:
    given = os.environ.get("XDG_CACHE_HOME", "")
    return Path(given) if given and Path(given).is_absolute() else Path.home() / ".cache"


def truth(repo: Path) -> dict:
    return json.loads(Path(f"{repo}.expected.json").read_text())


def expected_problems(repo: Path) -> dict[str, set[str]]:
    """Component path -> problems, after the generator's last commit (bench/scan.py uses it)."""
    state = truth(repo).get("commit2") or truth(repo)["commit1"]
    return {c["path"]: set(c["problems"]) for c in state["components"]}


def found_problems(report: dict) -> dict[str, set[str]]:
    """The same shape from a JSON report; a waived or repository-level finding is a failure."""
    paths = {c["name"]: c["path"] for c in report["components"]}
    found: dict[str, set[str]] = {path: set() for path in paths.values()}
    for f in report["findings"]:
        if f["waived_by"] or f["component"] is None:
            raise SystemExit(f"unexpected finding: {f}")
        if f["code"] == "BENCH201":
            section = re.search(r"'([^']+)'", f["message"])
            found[paths[f["component"]]].add(f"card_section:## {section[1] if section else '?'}")
        else:
            found[paths[f["component"]]].add(TRUTH_KIND[f["code"]])
    return found


def verify_full(repo: Path, out: bytes) -> int:
    expected, found = expected_problems(repo), found_problems(json.loads(out))
    if expected != found:
        wrong = sorted(p for p in expected.keys() | found.keys() if expected.get(p) != found.get(p))
        for path in wrong[:10]:
            want, got = sorted(expected.get(path, ())), sorted(found.get(path, ()))
            print(f"  MISMATCH {path}: expected {want} found {got}")
        raise SystemExit(f"{repo.name}: {len(wrong)} components differ from the ground truth")
    return len(expected)


def verify_diff(repo: Path, out: bytes) -> int:
    """The components reported are exactly the ones the second commit touches."""
    data = truth(repo)
    changed = data["commit2"]["changed_paths"]
    roots = {c["path"] for c in data["commit2"]["components"]}
    touched = {r for r in roots if any(p.startswith(f"{r}/") for p in changed)}
    reported = {c["path"] for c in json.loads(out)["components"]}
    if reported != touched:
        raise SystemExit(
            f"{repo.name}: diff mode checked {sorted(reported ^ touched)[:5]}... unexpectedly"
        )
    return len(touched)


def stage_five_files(repo: Path) -> None:
    """The same change everywhere: new weights and an edited card for one component, three
    ordinary files."""
    component = sorted(truth(repo)["commit2"]["components"], key=lambda c: c["path"])[0]
    (repo / component["path"] / component["model_file"]).write_bytes(b"retrained weights\n" * 64)
    card = repo / component["path"] / "MODEL_CARD.md"
    if card.exists():
        card.write_text(card.read_text() + "\nRetrained on new data.\n")
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--", "*.py"], cwd=repo, capture_output=True, check=True
    )
    for rel in sorted(p for p in listed.stdout.decode().split("\0") if p)[:3]:
        with (repo / rel).open("a") as f:
            f.write("# staged by the benchmark\n")
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True)


def undo(repo: Path) -> None:
    subprocess.run(["git", "reset", "-q", "--hard", "HEAD"], cwd=repo, check=True)


Row = tuple[str, str, Timed, str]  # measurement, repository size, its runs, what was checked


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--sizes", default="20k,100k,100k-500")
    ap.add_argument("--work", type=Path, default=ROOT / "build" / "bench")
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--measure", default="full,diff,staged", help="which of full,diff,staged")
    ap.add_argument(
        "--editable",
        action="store_true",
        help="run this interpreter's roadworthy (the editable install) instead of a regular "
        "install in <work>/venv",
    )
    args = ap.parse_args()
    if not args.editable:
        from install import regular_install

        INSTALLED.append(regular_install(args.work))
    compile_bytecode()
    before = speed_probe()
    measures = set(args.measure.split(","))
    rows: list[Row] = []
    for size in args.sizes.split(","):
        repo = generate(size, args.work)
        if "full" in measures:
            rows += full_rows(repo, size, args.runs)
        if "diff" in measures:
            rows += diff_rows(repo, size, args.runs)
        if "staged" in measures:
            rows += staged_rows(repo, size, args.runs)
    rows.append(("version", "", time_runs([*roadworthy(), "--version"], ROOT, 20), ""))
    print(
        f"speed probe (sum(range({PROBE:_})), best of 3): {before:.3f} s before the runs, "
        f"{speed_probe():.3f} s after; figures of sittings whose probes differ do not compare",
        file=sys.stderr,
    )
    return report(rows)


PROBE = 20_000_000


def speed_probe() -> float:
    """Seconds this machine takes now for a fixed piece of pure-Python work (best of 3). A
    shared VM's speed drifts within an hour (a fifth, one afternoon): the probe says whether
    two sittings' figures can be set side by side."""
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        sum(range(PROBE))
        best = min(best, time.perf_counter() - start)
    return best


def full_rows(repo: Path, size: str, runs: int) -> list[Row]:
    full = [*roadworthy(), "check", "--policy", str(HERE / "policy.yaml"), "--format", "json"]
    one = time_runs([*full, "--jobs", "1"], repo, runs)
    matched = f"{verify_full(repo, one.out)} components match the ground truth"
    # The peak with the documents kept by an earlier run (read whole), and with none kept (each
    # parsed, then all written at the end).
    heap = python_heap(repo, full[1:])
    forget(repo)()
    heap = max(heap, python_heap(repo, full[1:]))
    HEAPS[("full", size)] = heap
    matched += f"; Python heap {heap:.1f} MiB (bench/heap.py, budget {MEMORY_BUDGET_MIB})"
    two = time_runs([*full, "--jobs", "2"], repo, runs)
    if two.out != one.out:
        raise SystemExit(f"{repo.name}: the report with --jobs 2 differs from --jobs 1")
    cold = time_runs([*full, "--jobs", "2"], repo, runs, before=forget(repo))
    ci = time_runs(["env", "CI=true", *full, "--jobs", "2"], repo, runs, before=forget(repo))
    if cold.out != one.out or ci.out != one.out:
        raise SystemExit(f"{repo.name}: a full check with nothing kept reports otherwise")
    return [
        ("full", size, one, matched),
        ("full -j2", size, two, "the same bytes as --jobs 1"),
        ("full -j2, nothing kept", size, cold, "the same bytes (a first run: writes them)"),
        ("full -j2, CI job", size, ci, "the same bytes (CI=true, nothing kept or written)"),
    ]


HEAPS: dict[tuple[str, str], float] = {}


def python_heap(repo: Path, args: list[str]) -> float:
    """The peak Python heap of a full check with one process (`bench/heap.py`), in MiB: what
    issue 11's memory budget measures. The peak RSS column also counts the interpreter, the
    extension modules and the git processes (at 500k, git reading a 73 MB index)."""
    python = INSTALLED[0].with_name("python") if INSTALLED else Path(sys.executable)
    cmd = [str(python), str(HERE / "heap.py"), str(repo), "--", *args, "--jobs", "1"]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True, env=environment())
    found = re.search(r"peak Python heap ([0-9.]+) MiB", out.stdout)
    if found is None:
        raise SystemExit(f"bench/heap.py said: {out.stdout}{out.stderr}")
    return float(found.group(1))


def diff_rows(repo: Path, size: str, runs: int) -> list[Row]:
    """The generator's second commit, with the base's entry kept by an earlier run (the budget
    row) and with nothing kept (each run lists the base)."""
    cmd = [*roadworthy(), "check", "--diff", "HEAD~1...HEAD", "--format", "json"]
    cold = time_runs(cmd, repo, runs, before=forget(repo))
    warm = time_runs(cmd, repo, runs)
    if warm.out != cold.out:
        raise SystemExit(f"{repo.name}: diff mode reports differ with and without the kept tree")
    changed = len(truth(repo)["commit2"]["changed_paths"])
    checked = f"{changed} changed paths, {verify_diff(repo, warm.out)} components"
    return [("diff", size, warm, checked), ("diff, nothing kept", size, cold, "the same bytes")]


def staged_rows(repo: Path, size: str, runs: int) -> list[Row]:
    cmd = [*roadworthy(), "check", "--staged", "--format", "json"]
    stage_five_files(repo)
    try:
        cold = time_runs(cmd, repo, runs, before=forget(repo))
        warm = time_runs(cmd, repo, runs)
    finally:
        undo(repo)
    if warm.out != cold.out:
        raise SystemExit(f"{repo.name}: --staged reports differ with and without the kept tree")
    return [
        ("staged", size, warm, "5 staged files, 1 component"),
        ("staged, nothing kept", size, cold, "the same bytes"),
    ]


def report(rows: list[Row]) -> int:
    missed = []
    header = (
        "measurement",
        "repository",
        "best (s)",
        "median (s)",
        "CPU best (s)",
        "budget (s)",
        "peak RSS (MiB)",
        "checked",
    )
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for what, size, timed, note in rows:
        budget = BUDGETS.get((what, size))
        best, mib = min(timed.walls), timed.peak / 1024
        # The memory budget is of the Python heap (full rows, `python_heap`); the peak RSS
        # shown here includes git's own memory and is reported, not budgeted.
        heap = HEAPS.get((what, size), 0.0)
        if (budget is not None and best > budget) or heap > MEMORY_BUDGET_MIB:
            missed.append(f"{what} {size}")
        shown = f"{budget:g}" if budget is not None else "–"
        median, cpu = statistics.median(timed.walls), min(timed.cpus)
        cells = (what, size or "–", f"{best:.3f}", f"{median:.3f}", f"{cpu:.3f}", shown)
        print("| " + " | ".join((*cells, f"{mib:.1f}", note)) + " |")
    if missed:
        print(f"budget missed: {', '.join(missed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

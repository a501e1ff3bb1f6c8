"""CPU cost of a CODEOWNERS file in one run: ``python bench/owners.py SRC FILE [--runs N]``.

Each run is a fresh interpreter with PYTHONPATH=SRC that imports what reads CODEOWNERS, reads
FILE and answers one lookup, as a check does (``ownerscache.parse`` where SRC has it, else the
parser itself), and reports the CPU time (``time.process_time``) of the parse and lookup (the
imports are left out: a check has made most of them already).
Two ways: with nothing kept (XDG_CACHE_HOME unusable: what a first run, a fresh CI machine,
pays) and, where SRC keeps parsed files, with FILE's entry kept by the warm-up run. Prints the
best and median of N runs of each. Alternate SRCs in one sitting to compare commits.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile

CHILD = """
import sys, time
try:
    from roadworthy.workspace.ownerscache import parse
except ImportError:
    from roadworthy.formats.codeowners_file import parse
with open(sys.argv[1], encoding="utf-8") as f:
    text = f.read()
start = time.process_time()
parse(text, ".github/CODEOWNERS").owners_of("ml/x", is_dir=True)
print(time.process_time() - start)
"""


def runs(src: str, file: str, cache: str, count: int) -> list[float]:
    env = {**os.environ, "PYTHONPATH": src, "XDG_CACHE_HOME": cache}
    command = [sys.executable, "-c", CHILD, file]
    subprocess.run(command, env=env, check=True, capture_output=True)  # warm-up: keeps the entry
    return [
        float(subprocess.run(command, env=env, check=True, capture_output=True).stdout)
        for _ in range(count)
    ]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("src")
    ap.add_argument("file")
    ap.add_argument("--runs", type=int, default=15)
    opts = ap.parse_args()
    kept = os.path.isfile(os.path.join(opts.src, "roadworthy", "workspace", "ownerscache.py"))
    with tempfile.TemporaryDirectory() as cache:
        ways = [("nothing kept", "/proc/roadworthy-bench-unusable")]
        ways += [("kept", cache)] if kept else []
        for way, folder in ways:
            times = runs(opts.src, opts.file, folder, opts.runs)
            print(
                f"{opts.src:28} {way:13} best {min(times) * 1e3:6.1f} ms"
                f"  median {statistics.median(times) * 1e3:6.1f} ms"
            )


if __name__ == "__main__":
    main()

"""Peak Python heap of one roadworthy command: ``python bench/heap.py REPO -- ARGS...``.

Issue 11 budgets memory as Python heap (≤ 100 MiB for a full check at 500k files), which the
peak RSS `bench/run.py` reports cannot show: that figure includes the interpreter, the
extension modules and, at 500k, the git processes reading a 73 MB index. This runs the command
in-process under `tracemalloc`, which counts every block Python allocates, and prints the peak.
tracemalloc makes the run several times slower; only the memory figure means anything here.
It runs in the interpreter that runs it: use the regular install's (build/bench/venv/bin/python).
"""

from __future__ import annotations

import os
import sys
import tracemalloc


def main(argv: list[str]) -> int:
    if "--" not in argv or argv.index("--") != 1:
        sys.exit(__doc__)
    repo, args = argv[0], argv[2:]
    os.chdir(repo)
    tracemalloc.start()
    from roadworthy.cli import main as roadworthy

    with open(os.devnull, "w") as sink:
        stdout, sys.stdout = sys.stdout, sink
        try:
            code = roadworthy(args)
        finally:
            sys.stdout = stdout
    current, peak = tracemalloc.get_traced_memory()
    print(
        f"peak Python heap {peak / 2**20:.1f} MiB (at exit {current / 2**20:.1f} MiB), exit {code}"
    )
    return 0 if code in (0, 1) else code


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

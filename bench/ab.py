"""A/B timing: ``python bench/ab.py REPO SRC ARGS...`` runs ``python -m roadworthy ARGS`` in REPO
nine times with PYTHONPATH=SRC (a source tree: this checkout's src/, or a worktree of another
commit) and prints the best and median wall time. Alternate two SRCs in one sitting to compare
commits on the same machine."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time


def main(argv: list[str]) -> None:
    repo, src, args = argv[0], argv[1], argv[2:]
    env = {**os.environ, "PYTHONPATH": src}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed roadworthy runs from bytecode
    command = [sys.executable, "-m", "roadworthy", *args]
    times = []
    for _ in range(9):
        start = time.perf_counter()
        subprocess.run(command, cwd=repo, env=env, capture_output=True, check=False)
        times.append(time.perf_counter() - start)
    shown = " ".join(args)[:40]
    best, median = min(times), statistics.median(times)
    print(f"{src:30} {shown:40} best {best:.3f} median {median:.3f}")


if __name__ == "__main__":
    main(sys.argv[1:])

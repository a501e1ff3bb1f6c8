from __future__ import annotations

from roadworthy.cli import run

if __name__ == "__main__":
    run()

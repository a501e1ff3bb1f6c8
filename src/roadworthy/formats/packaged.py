"""Files shipped inside the package: schemas, templates, rule pages, dashboard assets.

Read from the package's folder: pip installs a wheel unpacked, and importlib.resources would add
about 4 ms to every start-up (it imports zipfile and its resource readers).
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent  # roadworthy/, not formats/


def path(*parts: str) -> Path:
    return PACKAGE.joinpath(*parts)


def read_text(*parts: str) -> str:
    return path(*parts).read_text(encoding="utf-8")

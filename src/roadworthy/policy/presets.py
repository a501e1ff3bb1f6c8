"""The shipped presets: the top-level ``policies/`` folder, packaged as ``roadworthy/policies``."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

_HERE = Path(__file__).resolve().parent


@lru_cache(maxsize=1)
def preset_dir() -> Path:
    packaged = _HERE.parent / "policies"  # an installed wheel
    if packaged.is_dir():
        return packaged
    return _HERE.parents[2] / "policies"  # a source checkout (editable install)


def preset_names() -> list[str]:
    return sorted(p.stem for p in preset_dir().glob("*.yaml"))


def read_preset(name: str) -> str | None:
    path = preset_dir() / f"{name}.yaml"
    return path.read_text(encoding="utf-8") if path.is_file() else None

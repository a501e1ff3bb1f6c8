"""A regular (non-editable) install of this checkout, as pre-commit and the Action install it.

An editable install adds an import hook that every interpreter start runs (~10 ms here, a
quarter of ``roadworthy --version``), which no user's install has. The benchmark therefore
runs roadworthy from ``<work>/venv``: a virtual environment with this checkout installed the
way ``pip install roadworthy`` would, made once and refreshed (without touching the
dependencies) whenever the sources change.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ("src", "policies")


def regular_install(work: Path) -> Path:
    """The ``roadworthy`` script of an up-to-date regular install under ``work``."""
    venv = work / "venv"
    python, script = venv / "bin" / "python", venv / "bin" / "roadworthy"
    stamp = venv / "roadworthy-sources.sha256"
    digest = sources_digest()
    if script.exists() and stamp.exists() and stamp.read_text() == digest:
        return script
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    quiet = ["-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    if script.exists():  # the dependencies are there: replace roadworthy alone
        subprocess.run(
            [str(python), *quiet, "--no-deps", "--force-reinstall", str(ROOT)], check=True
        )
    else:
        subprocess.run([str(python), *quiet, str(ROOT)], check=True)
    stamp.write_text(digest)
    return script


def sources_digest() -> str:
    """What the installed package is built from: the sources, the presets, the metadata."""
    digest = hashlib.sha256()
    files = [ROOT / "pyproject.toml"]
    for folder in SOURCES:
        files += [
            p for p in (ROOT / folder).rglob("*") if p.is_file() and "__pycache__" not in p.parts
        ]
    for path in sorted(files):
        digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()

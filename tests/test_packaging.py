"""The wheel carries every module and data file: an editable install would hide a gap."""

from __future__ import annotations

import fnmatch
import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    tomllib = None

import pytest

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"


@pytest.fixture(scope="module")
def setuptools_config():
    if tomllib is None:
        pytest.skip("tomllib needs Python 3.11")
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]


def _package_folders() -> set[str]:
    return {
        ".".join(p.parent.relative_to(SRC).parts)
        for p in (SRC / "roadworthy").rglob("*.py")
        if "__pycache__" not in p.parts
    }


def test_every_package_folder_is_listed(setuptools_config):
    listed = set(setuptools_config["packages"])
    assert _package_folders() - listed == set()
    assert "roadworthy.policies" in listed  # the top-level policies/ folder, mapped


def test_every_data_file_is_covered_by_package_data(setuptools_config):
    data = setuptools_config["package-data"]
    missing = []
    for file in (SRC / "roadworthy").rglob("*"):
        if file.is_dir() or file.suffix in (".py", ".pyc") or "__pycache__" in file.parts:
            continue
        package_path = file.parent
        while not (package_path / "__init__.py").exists():
            package_path = package_path.parent
        package = ".".join(package_path.relative_to(SRC).parts)
        relative = file.relative_to(package_path).as_posix()
        if not any(fnmatch.fnmatch(relative, pattern) for pattern in data.get(package, [])):
            missing.append(f"{package}: {relative}")
    assert missing == []


def test_presets_are_packaged(setuptools_config):
    assert setuptools_config["package-dir"]["roadworthy.policies"] == "policies"
    assert "*.yaml" in setuptools_config["package-data"]["roadworthy.policies"]
    assert list((ROOT / "policies").glob("*.yaml"))

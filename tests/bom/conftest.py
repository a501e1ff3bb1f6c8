"""Helpers of the BOM tests: the demo repository and CycloneDX's own schema."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from testing.gitrepo import GitRepo

DEMO = Path(__file__).resolve().parents[2] / "fixtures" / "demo"


@pytest.fixture()
def demo(tmp_path: Path) -> GitRepo:
    shutil.copytree(DEMO, tmp_path / "demo")
    repo = GitRepo.init(tmp_path / "demo")
    repo.git("add", "-A")
    repo.commit("demo repository")
    return repo


def schema_errors(text: str) -> list[str]:
    """Every error of the document against the CycloneDX 1.6 JSON Schema the library bundles
    (the strict variant: no property the specification does not define)."""
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator

    errors = JsonStrictValidator(SchemaVersion.V1_6).validate_str(text, all_errors=True)
    return [str(e) for e in errors or ()]


def walk(components: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for component in components:
        yield component
        yield from walk(component.get("components", []))


def by_name(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {c["name"]: c for c in walk(document.get("components", []))}


def props(component: dict[str, Any]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for p in component.get("properties", []):
        found.setdefault(p["name"], []).append(p["value"])
    return found


@pytest.fixture()
def bom(run_cli: Callable[..., Any]) -> Callable[..., dict[str, Any]]:
    def run(repo: Path, *args: str) -> dict[str, Any]:
        result = run_cli("bom", *args, cwd=repo)
        assert result.exit_code == 0, result.err
        assert schema_errors(result.out) == []
        document: dict[str, Any] = json.loads(result.out)
        return document

    return run

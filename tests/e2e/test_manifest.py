"""The hook manifest, read without running pre-commit (STYLE.md §5.10)."""

from __future__ import annotations

import json
import logging

import jsonschema
import pytest
import yaml

from tests.e2e.conftest import MANIFEST


@pytest.fixture(scope="module")
def manifest() -> list[dict]:
    return yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))


def hook(manifest: list[dict], hook_id: str) -> dict:
    return next(h for h in manifest if h["id"] == hook_id)


def test_validates_against_the_schemastore_schema(manifest, corpus):
    path = corpus / "schemas" / "schemastore__pre-commit-hooks.json"
    if not path.is_file():
        pytest.skip(f"{path.name} not in the corpus")
    schema = json.loads(path.read_text(encoding="utf-8"))
    validator = jsonschema.validators.validator_for(schema)
    validator.check_schema(schema)
    errors = [e.message for e in validator(schema).iter_errors(manifest)]
    assert errors == []


def test_pre_commit_loads_it_without_warnings(caplog):
    # pre-commit warns about unknown keys instead of failing (clientlib's warn_unknown_keys).
    from pre_commit.clientlib import load_manifest

    with caplog.at_level(logging.WARNING):
        loaded = load_manifest(str(MANIFEST))
    assert [h["id"] for h in loaded] == ["roadworthy", "roadworthy-all"]
    assert caplog.records == []


def test_hook_ids(manifest):
    assert [h["id"] for h in manifest] == ["roadworthy", "roadworthy-all"]


def test_changed_components_hook(manifest):
    roadworthy = hook(manifest, "roadworthy")
    description = roadworthy.pop("description")
    assert isinstance(description, str) and description
    assert roadworthy == {
        "id": "roadworthy",
        "name": "roadworthy (changed components)",
        "entry": "roadworthy check --hook",
        "language": "python",
        # the change set is roadworthy's (deletions included); the files serve --all-files runs
        "pass_filenames": True,
        "always_run": True,  # a commit that only deletes RUNBOOK.md gets no file list (§4.1)
        "require_serial": True,  # the whole change set in one process (§4.2)
    }


def test_whole_repository_hook(manifest):
    assert hook(manifest, "roadworthy-all") == {
        "id": "roadworthy-all",
        "name": "roadworthy (whole repository)",
        "entry": "roadworthy check",
        "language": "python",
        "pass_filenames": False,
        "always_run": True,
        "stages": ["manual"],  # never at commit time: on demand and in CI
    }

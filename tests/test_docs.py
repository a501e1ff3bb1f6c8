"""The user documentation keeps up with the code: every key, check kind, option and hook."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from roadworthy.checks import CHECKS

ROOT = Path(__file__).resolve().parents[1]
POLICY_DOC = (ROOT / "docs" / "policy.md").read_text(encoding="utf-8")
README = (ROOT / "README.md").read_text(encoding="utf-8")
SCHEMA = json.loads((ROOT / "src/roadworthy/schemas/policy.schema.json").read_text())


@pytest.mark.parametrize("key", sorted(SCHEMA["properties"]))
def test_every_top_level_policy_key_is_documented(key):
    assert f"`{key}" in POLICY_DOC


@pytest.mark.parametrize("kind", sorted(CHECKS))
def test_every_check_kind_and_its_options_are_documented(kind):
    row = next((line for line in POLICY_DOC.splitlines() if line.startswith(f"| `{kind}` |")), None)
    assert row is not None, f"docs/policy.md has no row for check kind {kind}"
    for option in CHECKS[kind].OPTIONS_SCHEMA.get("properties", {}):
        assert f"`{option}`" in row, f"option {option} of {kind} is not in its row"


@pytest.mark.parametrize(
    "key", sorted(SCHEMA["properties"]["change_control"]["properties"]["approval"]["properties"])
)
def test_every_approval_key_is_documented(key):
    assert re.search(rf"\b{key}:", POLICY_DOC)


def test_readme_opens_with_purpose_then_the_two_commands():
    first_heading = README.index("\n## ")
    assert "production" in README[:first_heading]
    commands = README.index("## Two commands")
    assert README.index("make demo") > commands and README.index("make test") > commands


def test_every_pre_commit_hook_is_in_the_readme():
    manifest = ROOT / ".pre-commit-hooks.yaml"
    if not manifest.is_file():
        pytest.skip("no hook manifest")
    for hook in yaml.safe_load(manifest.read_text()):
        assert f"id: {hook['id']}" in README

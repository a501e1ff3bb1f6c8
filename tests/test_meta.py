"""What must stay in sync: rules, their doc pages, their golden cases, check kinds and schemas.

The rules are those of the zero-configuration policy (the engine's own rules plus the
``recommended`` preset), the same catalogue ``roadworthy rule`` lists.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from jsonschema.validators import validator_for

from roadworthy import ruledocs
from roadworthy.checks import CHECKS
from roadworthy.formats import yamlio
from roadworthy.policy.load import load_policy
from roadworthy.policy.model import Rule

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "tests" / "cases"
POLICY_SCHEMA = ROOT / "src" / "roadworthy" / "schemas" / "policy.schema.json"
DEMO_POLICY = ROOT / "fixtures" / "demo" / "roadworthy.yaml"
POLICY_FILES = [*sorted((ROOT / "policies").glob("*.yaml")), DEMO_POLICY]
CHECK_LINE = re.compile(
    r"Check: `(?P<check>[^`]+)` · Default severity: (?P<severity>[a-z]+)"
    r" · Dimension: (?P<dimension>[a-z]+)(?: · .+)?"
)


def _catalogue() -> dict[str, Rule]:
    """Every rule roadworthy ships: zero configuration, and each preset's own."""
    rules = {r.code: r for r in load_policy(lambda name: None, None).rules}
    for preset in sorted(p.stem for p in (ROOT / "policies").glob("*.yaml")):
        text = f"version: 1\nextends: [{preset}]\n"
        policy = load_policy(
            lambda name, t=text: t if name == "roadworthy.yaml" else None, "roadworthy.yaml"
        )
        rules.update({r.code: r for r in policy.rules if r.code not in rules})
    return rules


RULES = _catalogue()


def _page(code: str) -> str:
    page = ruledocs.page(code)
    assert page is not None, f"src/roadworthy/ruledocs/{code}.md is missing"
    return page


def _headings(page: str) -> list[str]:
    """The ``## `` headings of a page, outside fenced code blocks (examples may hold Markdown)."""
    headings: list[str] = []
    fence = ""
    for line in page.splitlines():
        stripped = line.lstrip()
        marker = stripped[:3]
        if marker in ("```", "~~~"):
            if not fence:
                fence = marker
            elif marker == fence and not stripped.strip("`~ "):
                fence = ""
            continue
        if not fence and line.startswith("## "):
            headings.append(line.rstrip())
    return headings


def test_catalogue_is_not_empty() -> None:
    assert {"RW001", "RW101", "RW301"} <= set(RULES)


def test_every_page_names_a_rule() -> None:
    assert set(ruledocs.codes()) - set(RULES) == set()


@pytest.mark.parametrize("code", sorted(RULES))
def test_rule_page(code: str) -> None:
    rule = RULES[code]
    lines = _page(code).splitlines()
    assert lines[0] == f"# {rule.code} {rule.name}"
    check_line = next(line for line in lines[1:] if line.strip())
    match = CHECK_LINE.fullmatch(check_line)
    assert match is not None, f"the line after the title is not a Check: line: {check_line!r}"
    assert match["check"] == rule.check
    assert match["severity"] == rule.severity.label
    assert match["dimension"] == rule.dimension


@pytest.mark.parametrize("code", sorted(RULES))
def test_rule_page_headings_in_order(code: str) -> None:
    required = set(ruledocs.REQUIRED_HEADINGS)
    found = [h for h in _headings(_page(code)) if h in required]
    assert found == list(ruledocs.REQUIRED_HEADINGS)


@pytest.mark.parametrize("code", sorted(RULES))
def test_rule_has_golden_case(code: str) -> None:
    folder = CASES / f"{code}-{RULES[code].name}"
    cases = [case for case in sorted(folder.glob("*")) if (case / "repo").is_dir()]
    assert cases, f"no golden case in tests/cases/{folder.name}/<case>/repo/"


@pytest.mark.parametrize("kind", sorted(CHECKS))
def test_check_kind_is_documented_and_has_valid_options_schema(kind: str) -> None:
    module = CHECKS[kind]
    assert (module.__doc__ or "").strip(), f"check {kind!r} has no module docstring"
    schema = dict(module.OPTIONS_SCHEMA)
    validator_for(schema).check_schema(schema)


def test_policy_schema_is_a_valid_schema() -> None:
    schema = json.loads(POLICY_SCHEMA.read_text(encoding="utf-8"))
    validator_for(schema).check_schema(schema)


@pytest.mark.parametrize(
    "policy_file", POLICY_FILES, ids=[str(p.relative_to(ROOT)) for p in POLICY_FILES]
)
def test_shipped_policies_validate_against_policy_schema(policy_file: Path) -> None:
    schema = json.loads(POLICY_SCHEMA.read_text(encoding="utf-8"))
    validator = validator_for(schema)(schema)
    # Loaded as roadworthy loads policies: JSON types, so dates stay strings.
    data = yamlio.load(policy_file.read_text(encoding="utf-8")).data
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(data)]
    assert errors == []


@pytest.mark.parametrize("code", sorted(RULES))
def test_rule_command_prints_page_by_code_and_name(code: str, run_cli) -> None:
    page = _page(code)
    by_code = run_cli("rule", code)
    assert (by_code.exit_code, by_code.out) == (0, page)
    by_name = run_cli("rule", RULES[code].name)
    assert (by_name.exit_code, by_name.out) == (0, page)

"""The JUnit report against the schemas its consumers validate with: Jenkins' junit-10.xsd
(xunit-plugin) and the Apache Ant JUnit schema, both shipped in tests/data/junit (SOURCES.md)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest
from testing.gitrepo import GitRepo

from roadworthy.findings import Severity
from roadworthy.reporters import junit

from .conftest import finding, report

xmlschema = pytest.importorskip("xmlschema")

DATA = Path(__file__).resolve().parents[1] / "data" / "junit"
SCHEMAS = {"jenkins junit-10": "junit-10.xsd", "ant": "JUnit.xsd"}


@pytest.fixture(scope="module", params=sorted(SCHEMAS), ids=sorted(SCHEMAS))
def schema(request: pytest.FixtureRequest) -> object:
    return xmlschema.XMLSchema10(str(DATA / SCHEMAS[request.param]))


def _validate(schema: object, text: str) -> None:
    errors = [str(e) for e in schema.iter_errors(text)]  # type: ignore[attr-defined]
    assert errors == []


@pytest.mark.parametrize("fail_on", ["error", "warning", "never"])
def test_a_full_check_is_valid(
    schema: object, sample_repo: GitRepo, check: Callable[..., str], fail_on: str
) -> None:
    _validate(schema, check(sample_repo, "junit", "--fail-on", fail_on))


def test_hand_built_edge_cases_are_valid(schema: object) -> None:
    nasty = 'a <b> & "c" \x00\x1b ]]> ünï ✓'
    edge = report(
        finding(nasty, fix="x</failure>&", component="we<ird>"),
        finding("second", line=2, waived_by="w1"),
        finding("third", line=3, code="RW206", name="broken-link", severity=Severity.WARNING),
        components=(("fraud", "models/fraud"),),
    )
    for fail_on in ("error", "warning", "never"):
        _validate(schema, junit.render(edge, fail_on))
    _validate(schema, junit.render(report()))


def test_the_schemas_reject_what_issue_12_found(schema: object) -> None:
    # The shipped schemas are the real, strict ones: the old output's shape fails both.
    old = (
        '<testsuites name="roadworthy" tests="1" failures="0" errors="0" skipped="0">'
        '<testsuite name="roadworthy" tests="1" failures="0" errors="0" skipped="0">'
        '<testcase classname="c" name="n" file="x"><skipped message="w"/></testcase>'
        "</testsuite></testsuites>"
    )
    assert list(schema.iter_errors(old))  # type: ignore[attr-defined]


def test_ant_schema_is_the_parsed_document(sample_repo: GitRepo, check: Callable[..., str]) -> None:
    # What the schema validated is what a consumer reads: one suite, counts that add up.
    root = ET.fromstring(check(sample_repo, "junit").encode())
    (suite,) = root
    cases = suite.findall("testcase")
    assert suite.get("tests") == str(len(cases))
    assert suite.get("failures") == str(sum(1 for c in cases if c.find("failure") is not None))

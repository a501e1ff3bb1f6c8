from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import Any

from testing.gitrepo import GitRepo

from roadworthy.reporters import junit

from .conftest import RULES, finding, report


def _suite(text: str) -> ET.Element:
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    root = ET.fromstring(text.encode("utf-8"))
    assert root.tag == "testsuites"
    (suite,) = root.findall("testsuite")
    for key in ("tests", "failures", "errors", "skipped"):
        assert root.get(key) == suite.get(key)
    return suite


def _enabled_rules(repo: GitRepo) -> list[str]:
    from roadworthy import pipeline

    located = pipeline.locate([str(repo.path)], repo.path)
    policy = pipeline.load_repository_policy(located, None, repo.path)
    return [r.code for r in policy.rules if r.enabled]


def test_one_case_per_component_and_rule(
    sample_repo: GitRepo, sample_json: dict[str, Any], check: Callable[..., str]
) -> None:
    suite = _suite(check(sample_repo, "junit"))
    cases = suite.findall("testcase")
    rules = len(_enabled_rules(sample_repo))
    components = [c["name"] for c in sample_json["components"]] + ["repository"]
    assert len(cases) == int(suite.get("tests", "")) == len(components) * rules
    assert [c.get("classname") for c in cases[::rules]] == components
    groups_active = {
        (f["component"] or "repository", f["code"])
        for f in sample_json["findings"]
        if f["waived_by"] is None
    }
    failed = {
        (c.get("classname"), (c.get("name") or "").split()[0])
        for c in cases
        if c.find("failure") is not None
    }
    assert failed == groups_active
    assert suite.get("failures") == str(len(groups_active))
    assert suite.get("errors") == "0"
    skipped = [c for c in cases if c.find("skipped") is not None]
    assert [(c.get("classname"), c.get("name")) for c in skipped] == [
        ("churn", "RW104 missing-runbook")
    ]
    reason = skipped[0].find("skipped")
    assert reason is not None and reason.get("message") == "waived by churn-runbook"
    assert suite.get("skipped") == "1"


def test_failure_carries_code_message_and_fix(
    sample_repo: GitRepo, check: Callable[..., str]
) -> None:
    suite = _suite(check(sample_repo, "junit"))
    case = next(
        c
        for c in suite.findall("testcase")
        if c.get("classname") == "fraud" and c.get("name") == "RW206 broken-link"
    )
    failure = case.find("failure")
    assert failure is not None
    assert failure.get("type") == "RW206"
    assert failure.get("message") == "link to 'dashboards/fraud.md' does not resolve"
    assert failure.text == (
        "models/fraud/RUNBOOK.md:4: warning: link to 'dashboards/fraud.md' does not resolve\n"
        "    fix: point the link at a tracked file, or add models/fraud/dashboards/fraud.md\n"
    )
    assert case.get("file") == "models/fraud"


def test_repository_findings_belong_to_the_pseudo_component(
    sample_repo: GitRepo, check: Callable[..., str]
) -> None:
    suite = _suite(check(sample_repo, "junit"))
    failed = [
        c.get("name")
        for c in suite.findall("testcase")
        if c.get("classname") == "repository" and c.find("failure") is not None
    ]
    assert failed == ["RW302 invalid-codeowners"]


def test_same_repository_same_bytes(sample_repo: GitRepo, check: Callable[..., str]) -> None:
    assert check(sample_repo, "junit") == check(sample_repo, "junit")


def test_empty_report_has_the_repository_cases_only() -> None:
    suite = _suite(junit.render(report()))
    assert suite.get("tests") == str(len(RULES))
    assert suite.get("failures") == "0"
    assert {c.get("classname") for c in suite.findall("testcase")} == {"repository"}


def test_several_findings_make_one_failure() -> None:
    suite = _suite(
        junit.render(
            report(
                finding("first", line=1),
                finding("second", line=2),
                finding("third", line=3, waived_by="w9"),
                components=(("fraud", "models/fraud"),),
            )
        )
    )
    case = next(c for c in suite.findall("testcase") if c.get("name", "").startswith("RW103"))
    (failure,) = case.findall("failure")
    assert failure.get("message") == "2 findings; first"
    assert failure.text is not None
    assert "models/fraud/model.onnx:3: waived by w9: third" in failure.text
    assert case.find("skipped") is None


def test_markup_and_control_characters_stay_well_formed() -> None:
    nasty = 'a <b> & "c" \x00\x1b ]]> ünï ✓'
    text = junit.render(
        report(finding(nasty, fix="x</failure>&", component="we<ird>"), components=())
    )
    suite = _suite(text)
    case = next(c for c in suite.findall("testcase") if c.get("classname") == "we<ird>")
    failure = case.find("failure")
    assert failure is not None
    assert failure.get("message") == 'a <b> & "c" \ufffd\ufffd ]]> ünï ✓'
    assert failure.text is not None and "fix: x</failure>&" in failure.text


def test_a_finding_of_an_unlisted_rule_is_a_case_too() -> None:
    suite = _suite(junit.render(report(finding(code="ZZ100", name="other"))))
    names = {c.get("name") for c in suite.findall("testcase") if c.get("classname") == "fraud"}
    assert names == {f"{r.code} {r.name}" for r in RULES} | {"ZZ100 other"}

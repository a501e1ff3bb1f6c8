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
    assert root.tag == "testsuites" and root.attrib == {}  # Ant's schema allows no attributes
    (suite,) = root.findall("testsuite")
    return suite


def test_one_case_per_component_and_rule_that_applied(
    sample_repo: GitRepo, sample_json: dict[str, Any], check: Callable[..., str]
) -> None:
    suite = _suite(check(sample_repo, "junit"))
    cases = suite.findall("testcase")
    assert suite.get("tests") == str(len(cases))
    components = [c["name"] for c in sample_json["components"]] + ["repository"]
    assert list(dict.fromkeys(c.get("classname") for c in cases)) == components
    codes = {(c.get("name") or "").split()[0] for c in cases}
    # Diff-only rules did not run in a full check: they are not test cases, not even passing.
    assert not {code for code in codes if code.startswith("RW40")}
    assert "RW101" in codes and "RW302" in codes
    fraud = {(c.get("name") or "").split()[0] for c in cases if c.get("classname") == "fraud"}
    assert not fraud & {"RW002", "RW003", "RW105", "RW302"}  # the repository's, not fraud's


def test_failures_only_at_or_above_fail_on(
    sample_repo: GitRepo, sample_json: dict[str, Any], check: Callable[..., str]
) -> None:
    active = [f for f in sample_json["findings"] if f["waived_by"] is None]
    for fail_on, severities in (
        ("error", {"error"}),
        ("warning", {"error", "warning"}),
        ("never", set()),
    ):
        suite = _suite(check(sample_repo, "junit", "--fail-on", fail_on))
        expected = {
            (f["component"] or "repository", f["code"])
            for f in active
            if f["severity"] in severities
        }
        failed = {
            (c.get("classname"), (c.get("name") or "").split()[0])
            for c in suite.findall("testcase")
            if c.find("failure") is not None
        }
        assert failed == expected, fail_on
        assert suite.get("failures") == str(len(expected))
    warnings = {(f["component"], f["code"]) for f in active if f["severity"] == "warning"}
    assert warnings, "the sample must have a warning for this test to mean anything"


def test_findings_that_do_not_fail_are_in_system_out(
    sample_repo: GitRepo, check: Callable[..., str]
) -> None:
    suite = _suite(check(sample_repo, "junit"))
    out = suite.findtext("system-out") or ""
    assert out.startswith("Findings that do not fail the run (fail-on: error):\n")
    assert "RW206 broken-link: link to 'dashboards/fraud.md' does not resolve" in out
    assert "waived by churn-runbook: RW104 missing-runbook" in out
    churn = next(
        c
        for c in suite.findall("testcase")
        if (c.get("classname"), c.get("name")) == ("churn", "RW104 missing-runbook")
    )
    assert list(churn) == []  # waived: the case passes, no <skipped> (Ant has none)
    assert suite.find(".//skipped") is None


def test_failure_carries_code_message_and_fix(
    sample_repo: GitRepo, check: Callable[..., str]
) -> None:
    suite = _suite(check(sample_repo, "junit", "--fail-on", "warning"))
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
    assert set(case.attrib) == {"name", "classname", "time"}


def test_change_control_rules_are_cases_in_diff_mode(
    sample_repo: GitRepo, check: Callable[..., str]
) -> None:
    sample_repo.write({"models/fraud/model.onnx": b"\x08\x02onnx-v2"})
    sample_repo.commit("new weights")
    suite = _suite(check(sample_repo, "junit", "--diff", "HEAD~1"))
    fraud = {
        (c.get("name") or "").split()[0]: c
        for c in suite.findall("testcase")
        if c.get("classname") == "fraud"
    }
    assert fraud["RW401"].find("failure") is not None
    assert "RW404" in fraud and "RW405" in fraud
    assert {c.get("classname") for c in suite.findall("testcase")} == {"fraud", "repository"}


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
    assert suite.get("tests") == str(len(RULES))  # not known what applied: every rule
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

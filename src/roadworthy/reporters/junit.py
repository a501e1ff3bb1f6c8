"""JUnit XML for CI systems that show test reports (Jenkins, GitLab, Azure, test-reporter).

The document is valid against both schemas consumers check it with: Jenkins' ``junit-10.xsd``
(xunit-plugin) and the Apache Ant JUnit schema (windyroad/JUnit-Schema), which is the stricter:
``<testsuites>`` without attributes, each ``<testsuite>`` with ``package``, ``id``, ``timestamp``,
``hostname``, ``time`` and counts, a ``<properties>`` element first and ``<system-out>`` /
``<system-err>`` last, and on ``<testcase>`` only ``name``, ``classname`` and ``time`` with at
most one ``<failure>``. Both copies are in tests/data/junit with their licences.

One ``<testsuite>`` with one ``<testcase>`` per component × rule that applied to it (its scope
selected the component and the mode ran it: RW401–RW409 are not test cases of a full check);
``classname`` is the component, ``name`` is ``CODE rule-name``. Findings of no component (policy,
CODEOWNERS, undeclared model folders, waivers) are the cases of a pseudo-component
``repository``. A case fails only for an active finding at or above ``fail_on``, as the exit code
does; findings below it, and waived ones, leave the case passing and are listed in the suite's
``<system-out>`` (the Ant schema has no ``<skipped>``). ``time`` is 0 and ``timestamp`` is the day
the rules were judged at, so the same repository on the same day gives the same bytes.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from roadworthy import lazyre
from roadworthy.findings import Finding, Report, fails

REPOSITORY = "repository"
HOSTNAME = "localhost"  # what the Ant schema asks for when the host is not determined
# Characters XML 1.0 cannot carry at all, not even escaped.
_NOT_XML = lazyre.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True)
class _Case:
    component: str
    rule: str  # "CODE name"
    findings: tuple[Finding, ...]
    failing: tuple[Finding, ...]


def render(report: Report, fail_on: str = "error") -> str:
    cases = list(_cases(report, fail_on))
    root = ET.Element("testsuites")
    suite = ET.SubElement(
        root,
        "testsuite",
        {
            "name": "roadworthy",
            "package": "roadworthy",
            "id": "0",
            "timestamp": f"{report.date or '1970-01-01'}T00:00:00",
            "hostname": HOSTNAME,
            "tests": str(len(cases)),
            "failures": str(sum(1 for c in cases if c.failing)),
            "errors": "0",
            "time": "0",
        },
    )
    properties = ET.SubElement(suite, "properties")
    for name, value in (
        ("roadworthy.version", report.tool_version),
        ("roadworthy.fail-on", fail_on),
        ("policy.digest", report.policy.digest),
        ("policy.sources", " ".join(report.policy.sources)),
    ):
        ET.SubElement(properties, "property", {"name": name, "value": _clean(value)})
    for case in cases:
        suite.append(_element(case))
    quiet = [f for c in cases for f in c.findings if f not in c.failing]
    ET.SubElement(suite, "system-out").text = _clean(_not_failing(quiet, fail_on))
    ET.SubElement(suite, "system-err")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"


def _cases(report: Report, fail_on: str) -> Iterator[_Case]:
    titles = {r.code: f"{r.code} {r.name}" for r in report.rules}
    order = [r.code for r in report.rules]
    for f in report.findings:
        if f.code not in titles:
            titles[f.code] = f"{f.code} {f.name}"
            order.append(f.code)
    grouped: dict[tuple[str | None, str], list[Finding]] = {}
    for f in report.findings:
        grouped.setdefault((f.component, f.code), []).append(f)
    for name, applied in _components(report):
        own = {code for (component, code) in grouped if component == name}
        for code in order:
            if (applied is not None and code not in applied) and code not in own:
                continue  # the rule did not apply here: no test case, neither pass nor fail
            found = tuple(grouped.get((name, code), ()))
            failing = tuple(f for f in found if fails(f, fail_on))
            yield _Case(name or REPOSITORY, titles[code], found, failing)


def _components(report: Report) -> list[tuple[str | None, frozenset[str] | None]]:
    """The report's components, any other a finding names, then the repository itself, each
    with the codes that applied to it (None: not known, every rule of the report)."""

    def known(codes: tuple[str, ...] | None) -> frozenset[str] | None:
        return None if codes is None else frozenset(codes)

    listed = [(c.name, known(c.rules)) for c in report.components]
    names = {c.name for c in report.components}
    extra = sorted({f.component for f in report.findings if f.component is not None} - names)
    return [
        *listed,
        *((n, None) for n in extra),
        (None, known(report.repository_rules)),
    ]


def _element(case: _Case) -> ET.Element:
    attributes = {"name": _clean(case.rule), "classname": _clean(case.component), "time": "0"}
    element = ET.Element("testcase", attributes)
    if case.failing:
        first = case.failing[0]
        count = len(case.failing)
        message = first.message if count == 1 else f"{count} findings; {first.message}"
        failure = ET.SubElement(
            element, "failure", {"type": first.code, "message": _clean(message)}
        )
        failure.text = _clean(_body(case.findings))
    return element


def _not_failing(findings: Sequence[Finding], fail_on: str) -> str:
    if not findings:
        return ""
    return f"Findings that do not fail the run (fail-on: {fail_on}):\n" + _body(
        findings, codes=True
    )


def _body(findings: Sequence[Finding], *, codes: bool = False) -> str:
    lines = []
    for f in findings:
        state = f"waived by {f.waived_by}" if f.waived_by else f.severity.label
        rule = f"{f.code} {f.name}: " if codes else ""
        lines.append(f"{f.path}:{f.line}: {state}: {rule}{f.message}")
        if f.fix:
            lines.append(f"    fix: {f.fix}")
    return "\n".join(lines) + "\n"


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)

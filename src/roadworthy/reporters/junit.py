"""JUnit XML for CI systems that show test reports (GitLab, Jenkins, Azure, test-reporter).

One ``<testsuite>`` (inside ``<testsuites>``) with one ``<testcase>`` per component × rule:
``classname`` is the component, ``name`` is ``CODE rule-name``. The report does not say which
rules a component's scope selected, so every rule of the report is a test case for every
component and one without findings passes. Findings that belong to no component (policy,
CODEOWNERS, undeclared model folders, waivers) are the test cases of a pseudo-component
``repository``. A test case with active findings fails (``type`` = the code, ``message`` = the
first message, the body lists every finding with its fix); one whose findings are all waived is
skipped with the waiver. No timestamps or durations, so the same repository gives the same bytes.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from roadworthy.findings import Finding, Report

REPOSITORY = "repository"
# Characters XML 1.0 cannot carry at all, not even escaped.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True)
class _Case:
    component: str
    path: str
    rule: str  # "CODE name"
    findings: tuple[Finding, ...]

    @property
    def active(self) -> list[Finding]:
        return [f for f in self.findings if f.active]


def render(report: Report) -> str:
    cases = list(_cases(report))
    counts = {
        "tests": str(len(cases)),
        "failures": str(sum(1 for c in cases if c.active)),
        "errors": "0",
        "skipped": str(sum(1 for c in cases if c.findings and not c.active)),
    }
    root = ET.Element("testsuites", {"name": "roadworthy", **counts})
    suite = ET.SubElement(root, "testsuite", {"name": "roadworthy", **counts})
    properties = ET.SubElement(suite, "properties")
    for name, value in (
        ("roadworthy.version", report.tool_version),
        ("policy.digest", report.policy.digest),
        ("policy.sources", " ".join(report.policy.sources)),
    ):
        ET.SubElement(properties, "property", {"name": name, "value": _clean(value)})
    for case in cases:
        suite.append(_element(case))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"


def _cases(report: Report) -> Iterator[_Case]:
    rules = [(r.code, f"{r.code} {r.name}") for r in report.rules]
    known = {code for code, _ in rules}
    for f in report.findings:
        if f.code not in known:
            known.add(f.code)
            rules.append((f.code, f"{f.code} {f.name}"))
    grouped: dict[tuple[str | None, str], list[Finding]] = {}
    for f in report.findings:
        grouped.setdefault((f.component, f.code), []).append(f)
    for name, path in _components(report):
        for code, title in rules:
            found = tuple(grouped.get((name, code), ()))
            yield _Case(name or REPOSITORY, path, title, found)


def _components(report: Report) -> list[tuple[str | None, str]]:
    """The report's components, any other a finding names, then the repository itself."""
    listed: list[tuple[str | None, str]] = [(c.name, c.path) for c in report.components]
    names = {c.name for c in report.components}
    extra = sorted({f.component for f in report.findings if f.component is not None} - names)
    return [*listed, *((n, n) for n in extra), (None, ".")]


def _element(case: _Case) -> ET.Element:
    attributes = {"classname": _clean(case.component), "name": _clean(case.rule)}
    attributes["file"] = _clean(case.path)
    element = ET.Element("testcase", attributes)
    active = case.active
    if active:
        first = active[0]
        message = first.message if len(active) == 1 else f"{len(active)} findings; {first.message}"
        failure = ET.SubElement(
            element, "failure", {"type": first.code, "message": _clean(message)}
        )
        failure.text = _clean(_body(case.findings))
    elif case.findings:
        waivers = sorted({f.waived_by or "" for f in case.findings})
        skipped = ET.SubElement(
            element, "skipped", {"message": _clean(f"waived by {', '.join(waivers)}")}
        )
        skipped.text = _clean(_body(case.findings))
    return element


def _body(findings: Sequence[Finding]) -> str:
    lines = []
    for f in findings:
        state = f"waived by {f.waived_by}" if f.waived_by else f.severity.label
        lines.append(f"{f.path}:{f.line}: {state}: {f.message}")
        if f.fix:
            lines.append(f"    fix: {f.fix}")
    return "\n".join(lines) + "\n"


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)

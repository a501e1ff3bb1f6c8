"""SARIF 2.1.0 for GitHub code scanning (``github/codeql-action/upload-sarif``) and other viewers.

Decisions, each made once here:

- Rules: every rule of the report, ``id`` = code and ``name`` = rule name. The help text is the
  rule's documentation page (``roadworthy rule CODE``); the full description is that page's "What
  it checks" section, else the policy's summary and rationale (capped at GitHub's 1024 characters).
- ``helpUri``: the policy's ``help_url`` when it gives one; else ``https://roadworthy.dev/rules/
  <CODE>`` for roadworthy's own rules (the ``RW`` prefix is reserved for them); none for a custom
  rule without ``help_url``.
- Locations: the finding's lines (``startColumn``, ``endLine``, ``endColumn`` where known), the
  finding's repository-relative POSIX path, percent-encoded as a URI reference,
  relative to ``%SRCROOT%`` (the repository root). The engine points findings about missing
  artifacts at the component's marker file, so every location names a file that exists.
- ``partialFingerprints.primaryLocationLineHash``: the first 32 hex digits of SHA-256 over rule
  code, component, path and the message with its digits blanked, then ``:N`` for the N-th
  finding with the same digest in the run (as CodeQL numbers equal hashes). Line numbers and
  counts inside messages (ages, sizes) take no part, so an alert survives edits elsewhere in the
  file and the passing days; GitHub only reads this key, and when it is present upload-sarif
  does not compute its own from the file's lines.
- Waived findings stay, with ``suppressions: [{kind: external, status: accepted}]`` naming the
  waiver (the waiver lives in the policy file, outside the analysed code), and every other
  result carries ``suppressions: []``: SARIF §3.27.23 has the property on all results of a run
  or on none, and an empty list says "not suppressed". GitHub code scanning does not list
  ``suppressions`` among the properties it reads, so a waived finding uploaded there would be an
  open alert: the Action uploads `render_for_github`, which leaves waived findings out (they
  are in the job summary and the JSON report).
- ``automationDetails.id`` is the category of the analysis, so other tools' SARIF uploads for
  the same commit do not replace it: ``roadworthy/`` from the CLI; in the Action the
  ``category`` input, else ``roadworthy/<workflow>/<job>/`` (two jobs, two categories).
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from typing import Any
from urllib.parse import quote

from roadworthy import lazyre
from roadworthy.findings import BASELINE, Finding, Report, RuleInfo, Severity, WaiverInfo
from roadworthy.reporters.links import help_uri

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://roadworthy.dev"
SRCROOT = "%SRCROOT%"
_GITHUB_TEXT_LIMIT = 1024  # shortDescription / fullDescription, per GitHub's SARIF support page
_DIGITS = lazyre.compile(r"\d+")


def render(report: Report) -> str:
    return json.dumps(document(report), indent=2, ensure_ascii=False) + "\n"


def render_for_github(report: Report, category: str = "roadworthy/") -> str:
    """The SARIF the Action uploads: without waived findings (see the module's notes), under
    the analysis ``category`` (``automationDetails.id``)."""
    active = report._replace(findings=tuple(f for f in report.findings if f.waived_by is None))
    return json.dumps(document(active, category), indent=2, ensure_ascii=False) + "\n"


def document(report: Report, category: str = "roadworthy/") -> dict[str, Any]:
    rules = _rules(report)
    index = {rule.code: number for number, rule in enumerate(rules)}
    taxonomies = _taxonomies(rules)
    run: dict[str, Any] = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "roadworthy",
                        "version": report.tool_version,
                        "informationUri": INFORMATION_URI,
                        "rules": [descriptor(rule) for rule in rules],
                    }
                },
                "automationDetails": {"id": category},
                "originalUriBaseIds": {
                    SRCROOT: {"description": {"text": "The root of the repository checked."}}
                },
                "results": _results(report, index),
                "properties": _run_properties(report),
            }
        ],
    }
    if taxonomies:
        # SARIF's mapping of rules to external classifications (§3.19.3, §3.52, §3.53):
        # each framework a taxonomy, each cited clause a taxon, each rule related to its clauses.
        first = run["runs"][0]
        driver = first["tool"]["driver"]
        order = [t["name"] for t in taxonomies]
        driver["supportedTaxonomies"] = [{"name": n, "index": i} for i, n in enumerate(order)]
        for descriptor_, rule in zip(driver["rules"], rules, strict=True):
            related = _relationships(rule, order)
            if related:
                descriptor_["relationships"] = related
        first["taxonomies"] = taxonomies
    return run


def _taxonomies(rules: list[RuleInfo]) -> list[dict[str, Any]]:
    from roadworthy.formats import refs

    clauses: dict[str, set[str]] = {}
    for rule in rules:
        for text in rule.refs:
            ref = refs.parse(text)
            if ref is not None:
                clauses.setdefault(ref.framework.key, set()).add(ref.clause)
    return [
        {
            "name": refs.FRAMEWORKS[key].name,
            "version": refs.FRAMEWORKS[key].version,
            "informationUri": refs.FRAMEWORKS[key].uri,
            "isComprehensive": False,
            "taxa": [{"id": clause} for clause in sorted(clauses[key])],
        }
        for key in sorted(clauses)
    ]


def _relationships(rule: RuleInfo, order: list[str]) -> list[dict[str, Any]]:
    from roadworthy.formats import refs

    out = []
    for text in rule.refs:
        ref = refs.parse(text)
        if ref is not None:
            index = order.index(ref.framework.name)
            component = {"name": ref.framework.name, "index": index}
            out.append(
                {"target": {"id": ref.clause, "toolComponent": component}, "kinds": ["relevant"]}
            )
    return out


def _run_properties(report: Report) -> dict[str, Any]:
    out: dict[str, Any] = {
        "policy": {"sources": list(report.policy.sources), "digest": report.policy.digest}
    }
    # Under a policy with stage criteria: each component's gate, as the JSON report has it.
    gates = [(c.name, c.gate) for c in report.components if c.gate is not None]
    if gates:
        from roadworthy.reporters.json_ import gate

        out["gates"] = [{"component": name, **gate(g)} for name, g in gates]
    return out


def _rules(report: Report) -> list[RuleInfo]:
    """The report's rules, plus any rule a finding names that the report does not list."""
    rules = list(report.rules)
    known = {rule.code for rule in rules}
    for f in report.findings:
        if f.code not in known:
            known.add(f.code)
            rules.append(RuleInfo(f.code, f.name, f.severity, f.dimension, "", None))
    return rules


def descriptor(rule: RuleInfo) -> dict[str, Any]:
    from roadworthy import ruledocs

    page = ruledocs.page(rule.code)
    help_text = ruledocs.render(rule, help_url=help_uri(rule)).strip() + "\n"
    out: dict[str, Any] = {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": _cap(rule.summary or _words(rule.name))},
        "fullDescription": {"text": _cap(_full_description(rule, page))},
        "help": {"text": help_text, "markdown": help_text},
    }
    uri = help_uri(rule)
    if uri is not None:
        out["helpUri"] = uri
    out["defaultConfiguration"] = {"level": level(rule.severity)}
    out["properties"] = {
        "dimension": rule.dimension,
        "tags": ["roadworthy", rule.dimension],
        "problem.severity": level(rule.severity),
        "precision": "very-high",
    }
    return out


def level(severity: Severity) -> str:
    return "error" if severity is Severity.ERROR else "warning"


def _full_description(rule: RuleInfo, page: str | None) -> str:
    checks = _page_section(page, "What it checks") if page else ""
    if checks:
        return checks
    text = " ".join(t.strip() for t in (rule.summary, rule.rationale) if t.strip())
    return text or _words(rule.name)


def _page_section(page: str, title: str) -> str:
    """The first paragraph under ``## title`` of a rule page, as one line."""
    lines = page.splitlines()
    wanted = f"## {title}".lower()
    for number, line in enumerate(lines):
        if line.strip().lower() == wanted:
            paragraph: list[str] = []
            for body in lines[number + 1 :]:
                if body.startswith("#") or (not body.strip() and paragraph):
                    break
                if body.strip():
                    paragraph.append(body.strip())
            return " ".join(paragraph)
    return ""


def _words(name: str) -> str:
    return name.replace("-", " ").capitalize()


def _cap(text: str) -> str:
    return text if len(text) <= _GITHUB_TEXT_LIMIT else text[: _GITHUB_TEXT_LIMIT - 1] + "…"


def _results(report: Report, index: dict[str, int]) -> list[dict[str, Any]]:
    seen: Counter[str] = Counter()
    waivers = {w.id: w for w in report.waivers}
    results = []
    for f in report.findings:
        digest = fingerprint(f)
        seen[digest] += 1
        out = result(f, index[f.code], f"{digest}:{seen[digest]}")
        waiver = f.waived_by
        out["suppressions"] = [] if waiver is None else [suppression(waiver, waivers.get(waiver))]
        results.append(out)
    return results


def suppression(waiver_id: str, waiver: WaiverInfo | None) -> dict[str, Any]:
    """Code scanning shows the justification beside the dismissed alert: say who accepted the
    risk, why, and until when, as the waiver in the policy does."""
    text = f"waived by {waiver_id} in the roadworthy policy"
    if waiver is None and waiver_id == BASELINE:
        text = "recorded in the repository's roadworthy baseline (a finding it had on adoption)"
    if waiver is not None:
        text = (
            f"{waiver.reason} (waiver {waiver_id} in the roadworthy policy, owner "
            f"{waiver.owner}, expires {waiver.expires})"
        )
    return {"kind": "external", "status": "accepted", "justification": text}


def fingerprint(f: Finding) -> str:
    """What makes a finding the same finding tomorrow: not its line, not the numbers it cites."""
    key = "\0".join((f.code, f.component or "", f.path, _DIGITS.sub("0", f.message)))
    return hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()[:32]


def result(f: Finding, rule_index: int, fingerprint_value: str) -> dict[str, Any]:
    text = f.message if not f.fix else f"{f.message}\nFix: {f.fix}"
    out: dict[str, Any] = {
        "ruleId": f.code,
        "ruleIndex": rule_index,
        "level": level(f.severity),
        "message": {"text": text},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": uri(f.path), "uriBaseId": SRCROOT},
                    "region": region(f),
                }
            }
        ],
        "partialFingerprints": {"primaryLocationLineHash": fingerprint_value},
        "properties": {"dimension": f.dimension},
    }
    if f.component is not None:
        out["properties"]["component"] = f.component
    return out


def region(f: Finding) -> dict[str, int]:
    """The finding's lines, and its columns where the check knows them (change control names
    the changed line, and in a Git LFS pointer the new value: SARIF's columns are 1-based and
    ``endColumn`` is the one after the last)."""
    start = max(f.line, 1)
    out = {"startLine": start}
    if f.span.column:
        out["startColumn"] = f.span.column
    if f.span.end_line >= start:
        out["endLine"] = f.span.end_line
    if f.span.end_column and f.span.end_line >= start:
        out["endColumn"] = f.span.end_column
    return out


def uri(path: str) -> str:
    """A repository-relative POSIX path as a relative URI reference (spaces, unicode escaped).

    ``:`` is escaped too: in a first segment it would read as a URI scheme.
    """
    # A name that is not UTF-8 (surrogate escapes) is percent-encoded as its own bytes.
    return quote(path, safe="/!$&'()*+,;=@-._~", errors="surrogateescape")

"""The versioned JSON document (schema: ``roadworthy/schemas/report.schema.json``).

Key order is fixed and there are no timestamps, so the same repository gives the same bytes.
"""

from __future__ import annotations

from typing import Any

from roadworthy.findings import ComponentResult, Finding, Gate, Report
from roadworthy.formats import jsontext

SCHEMA_VERSION = 1


def document(report: Report) -> dict[str, Any]:
    s = report.summary
    refs = {r.code: r.refs for r in report.rules}
    out: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "roadworthy", "version": report.tool_version},
        "policy": {"sources": list(report.policy.sources), "digest": report.policy.digest},
        "components": [component(c) for c in report.components],
        "findings": [finding(f, refs.get(f.code, ())) for f in report.findings],
        "summary": {
            "components": s.components,
            "findings": s.findings,
            "errors": s.errors,
            "warnings": s.warnings,
            "waived": s.waived + s.baselined,  # every finding that does not count
            "verdict": s.verdict,
        },
    }
    if s.baselined:
        out["summary"]["baselined"] = s.baselined
    return out


def component(c: ComponentResult) -> dict[str, Any]:
    out: dict[str, Any] = {
        "name": c.name,
        "path": c.path,
        "risk": c.risk,
        "stage": c.stage,
        "readiness": dict(c.readiness),
    }
    # Only under a policy with stage criteria: other reports keep their shape.
    if c.gate is not None:
        out["gate"] = gate(c.gate)
    return out


def gate(g: Gate) -> dict[str, Any]:
    return {
        "verdict": g.verdict,
        "stage": g.stage,
        "transition": g.transition,
        "criteria": [
            {"criterion": r.criterion, "value": r.value, "met": r.met, "evidence": r.evidence}
            for r in g.criteria
        ],
    }


def finding(f: Finding, refs: tuple[str, ...] = ()) -> dict[str, Any]:
    out: dict[str, Any] = {
        "code": f.code,
        "name": f.name,
        "severity": f.severity.label,
        "component": f.component,
        "path": f.path,
        "line": f.line,
        "message": f.message,
        "fix": f.fix,
        "dimension": f.dimension,
        "waived_by": f.waived_by,
    }
    if refs:  # only where the policy cites frameworks (`refs` on rules)
        out["refs"] = list(refs)
    return out


def render(report: Report) -> str:
    return jsontext.dumps(document(report)) + "\n"

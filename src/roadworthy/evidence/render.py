"""The evidence report as JSON (schema: ``roadworthy schema evidence``) and as markdown."""

from __future__ import annotations

import json
from typing import Any

from roadworthy.evidence.attestations import Attestation
from roadworthy.evidence.build import STATUSES, ClauseResult, Evidence

SCHEMA_VERSION = 1


def document(evidence: Evidence) -> dict[str, Any]:
    framework = evidence.framework
    report = evidence.report
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "roadworthy", "version": report.tool_version},
        "framework": {
            "key": framework.key,
            "name": framework.name,
            "version": framework.version,
            "preset": evidence.preset,
        },
        "as_of": evidence.as_of,
        "commit": evidence.commit,
        "policy": {"sources": list(report.policy.sources), "digest": report.policy.digest},
        "coverage": evidence.coverage(),
        "components": [
            {
                "name": c.name,
                "path": c.path,
                "risk": c.risk,
                "stage": c.stage,
                "artifacts": [
                    {"name": a.name, "path": a.path, "blob": a.blob} for a in c.artifacts
                ],
                "approvals": [
                    {
                        "ledger": a.ledger,
                        "line": a.line,
                        "approved_by": list(a.approved_by),
                        "at": a.at,
                        "digest": a.digest,
                    }
                    for a in c.approvals
                ],
                "clauses": [_clause(r) for r in c.clauses],
            }
            for c in evidence.components
        ],
        "repository": [_clause(r) for r in evidence.repository],
        "problems": list(evidence.problems),
    }


def _clause(result: ClauseResult) -> dict[str, Any]:
    return {
        "clause": result.clause,
        "status": result.status,
        "rules": [{"code": r.code, "name": r.name, "status": r.status} for r in result.rules],
        "findings": [
            {
                "code": f.code,
                "path": f.path,
                "line": f.line,
                "message": f.message,
                "waived_by": f.waived_by,
            }
            for f in result.findings
        ],
        "attestations": [_attestation(a) for a in result.attestations],
        "expired_attestations": [_attestation(a) for a in result.expired],
    }


def _attestation(a: Attestation) -> dict[str, Any]:
    return {
        "file": a.path,
        "line": a.line,
        "statement": a.statement,
        "attested_by": a.attested_by,
        "evidence": a.evidence,
        "attested": a.attested,
        "expires": a.expires,
    }


def render_json(evidence: Evidence) -> str:
    return json.dumps(document(evidence), indent=2, ensure_ascii=False) + "\n"


_MARK = {
    "satisfied": "✅ satisfied",
    "failing": "❌ failing",
    "waived": "⏸️ waived",
    "attested": "📝 attested",
    "not-assessed": "⚪ not assessed",
}


def render_markdown(evidence: Evidence) -> str:
    f = evidence.framework
    coverage = evidence.coverage()
    total = sum(coverage.values())
    lines = [
        f"# Evidence: {f.name} ({f.version})",
        "",
        f"As of {evidence.as_of}"
        + (f", commit `{evidence.commit[:12]}`" if evidence.commit else "")
        + f"; policy {', '.join(evidence.report.policy.sources)}.",
        "",
        "| status | clauses |",
        "|---|---|",
        *(f"| {_MARK[s]} | {coverage[s]} |" for s in STATUSES),
        f"| total | {total} |",
        "",
        "Satisfied: rules citing the clause ran on the component and none found anything (the "
        "rules column says which did not run: change-control rules run on changes, in CI). "
        "Not assessed: none of them ran, and no attestation covers the clause.",
    ]
    for c in evidence.components:
        lines += ["", f"## {_cell(c.name)} (`{_cell(c.path or '.')}`, {c.risk}, {c.stage})", ""]
        if c.artifacts:
            shown = ", ".join(
                f"`{_cell(a.path)}`" + (f" ({a.blob[:12]})" if a.blob else "") for a in c.artifacts
            )
            lines.append(f"Artifacts: {shown}.")
        if c.approvals:
            lines.append(
                f"Approvals on record: {len(c.approvals)}, latest by "
                f"{', '.join(c.approvals[-1].approved_by)}"
                + (f" on {c.approvals[-1].at}" if c.approvals[-1].at else "")
                + f" (digest `{c.approvals[-1].digest[:19]}…`)."
            )
        lines += ["", "| clause | status | rules | evidence |", "|---|---|---|---|"]
        lines += [_row(r) for r in c.clauses]
    lines += [
        "",
        "## Attestation-only clauses",
        "",
        "| clause | status | evidence |",
        "|---|---|---|",
    ]
    for r in evidence.repository:
        shown = "; ".join(
            f"{_cell(a.statement)} ({a.attested_by}, until {a.expires})" for a in r.attestations
        )
        lines.append(f"| {r.clause} | {_MARK[r.status]} | {shown or '—'} |")
    if evidence.problems:
        lines += ["", "## Problems", "", *(f"- {_cell(p)}" for p in evidence.problems)]
    return "\n".join(lines) + "\n"


def _row(r: ClauseResult) -> str:
    rules = ", ".join(f"{x.code} {x.status}" for x in r.rules)
    if r.findings:
        shown = "; ".join(f"{f.path}:{f.line} {_cell(f.message)}" for f in r.findings[:3])
    elif r.attestations:
        shown = "; ".join(f"{_cell(a.statement)} ({a.attested_by})" for a in r.attestations)
    else:
        shown = "—"
    return f"| {r.clause} | {_MARK[r.status]} | {rules} | {shown} |"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")

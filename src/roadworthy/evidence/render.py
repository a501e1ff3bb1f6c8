"""The evidence report as JSON (schema: ``roadworthy schema evidence``) and as markdown."""

from __future__ import annotations

import json
from typing import Any

from roadworthy.evidence.approvals import Standing
from roadworthy.evidence.attestations import Attestation
from roadworthy.evidence.build import STATUSES, Artifact, ClauseResult, Evidence

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
                    {"name": a.name, "path": a.path, "blob": a.blob, "committed": a.committed}
                    for a in c.artifacts
                ],
                "approval": _approval(c.approval),
                "approvals": _entries(c.approval),
                "clauses": [_clause(r) for r in c.clauses],
            }
            for c in evidence.components
        ],
        "repository": [_clause(r) for r in evidence.repository],
        "problems": list(evidence.problems),
    }


def _approval(standing: Standing | None) -> dict[str, Any] | None:
    if standing is None:
        return None
    return {
        "ledger": standing.ledger,
        "digest": standing.digest,
        "approved": standing.approved,
        "trust": standing.trust,
        "reasons": list(standing.reasons),
    }


def _entries(standing: Standing | None) -> list[dict[str, Any]]:
    if standing is None:
        return []
    return [
        {
            "ledger": standing.ledger,
            "line": s.entry.line,
            "approved_by": list(s.entry.approved_by),
            "at": s.entry.at,
            "digest": s.entry.digest,
            "counts": not s.reasons,
            "reasons": list(s.reasons),
        }
        for s in standing.entries
    ]


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


MARKS = {
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
        + f"; policy {_cell(', '.join(evidence.report.policy.sources))}.",
        "",
        "| status | clauses |",
        "|---|---|",
        *(f"| {MARKS[s]} | {coverage[s]} |" for s in STATUSES),
        f"| total | {total} |",
        "",
        "Satisfied: rules citing the clause ran on the component and none found anything (the "
        "rules column says which did not run: change-control rules run on changes, in CI). "
        "Not assessed: none of them ran, and no attestation covers the clause.",
    ]
    for c in evidence.components:
        where = f"`{_cell(c.path or '.')}`, {_cell(c.risk)}, {_cell(c.stage)}"
        lines += ["", f"## {_cell(c.name)} ({where})", ""]
        if c.artifacts:
            shown = ", ".join(f"`{_cell(a.path)}`" + blob_note(a) for a in c.artifacts)
            lines.append(f"Artifacts: {shown}.")
        lines += _approval_lines(c.approval)
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
            f"{_cell(a.statement)} ({_cell(a.attested_by)}, until {a.expires})"
            for a in r.attestations
        )
        lines.append(f"| {r.clause} | {MARKS[r.status]} | {shown or '—'} |")
    if evidence.problems:
        lines += ["", "## Problems", "", *(f"- {_cell(p)}" for p in evidence.problems)]
    return "\n".join(lines) + "\n"


def _approval_lines(standing: Standing | None) -> list[str]:
    """The verdict on the component's approval, then each entry: counted, or why not."""
    if standing is None or not standing.entries:
        return []
    if standing.approved:
        head = f"Approved now (trust: {standing.trust}) in `{_cell(standing.ledger)}`."
    else:
        head = f"Not approved now ({_cell('; '.join(standing.reasons))})."
    lines = [
        "",
        head,
        "",
        "| entry | approved by | at | digest | counts |",
        "|---|---|---|---|---|",
    ]
    for s in standing.entries:
        verdict = "✅ counts" if not s.reasons else f"no: {_cell('; '.join(s.reasons))}"
        lines.append(
            f"| {_cell(standing.ledger)}:{s.entry.line} | {_cell(', '.join(s.entry.approved_by))} "
            f"| {_cell(s.entry.at or '—')} | `{s.entry.digest[:19]}…` | {verdict} |"
        )
    return lines


def _row(r: ClauseResult) -> str:
    rules = ", ".join(f"{x.code} {x.status}" for x in r.rules)
    if r.findings:
        shown = "; ".join(f"{_cell(f.path)}:{f.line} {_cell(f.message)}" for f in r.findings[:3])
    elif r.attestations:
        shown = "; ".join(f"{_cell(a.statement)} ({_cell(a.attested_by)})" for a in r.attestations)
    else:
        shown = "—"
    return f"| {r.clause} | {MARKS[r.status]} | {rules} | {shown} |"


def blob_note(a: Artifact) -> str:
    """The artifact's blob, short, and whether the commit lacks it: " (1a2b3c4d5e6f)"."""
    if not a.blob:
        return ""
    return f" ({a.blob[:12]}, not committed)" if a.committed is False else f" ({a.blob[:12]})"


def _cell(text: str) -> str:
    """Repository text made one table cell: every line break Python knows (a carriage return,
    a form feed, U+2028 ...) and every other control character becomes a space, so no name,
    path or message can end the row and forge the next; a ``|`` is escaped."""
    flat = " ".join(text.splitlines())
    flat = "".join(ch if ch.isprintable() else " " for ch in flat)
    return flat.replace("|", "\\|")

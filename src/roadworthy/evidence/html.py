"""The evidence report as one self-contained HTML file: what the markdown says, for a reader
without a markdown viewer (an auditor's browser, an attachment to a ticket).

No script, no external asset (the style sheet is inline), and every string that comes from the
repository (names, paths, messages, attestation statements, handles) is escaped: the file is
safe to open from an untrusted repository and reads the same offline in ten years.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from roadworthy.evidence.approvals import Standing
from roadworthy.evidence.build import STATUSES, ClauseResult, ComponentEvidence, Evidence
from roadworthy.evidence.render import MARKS, blob_note

_STYLE = """
body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#222}
table{border-collapse:collapse;margin:.5rem 0 1rem}
th,td{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f4f4f4}
code{font-size:90%}
.satisfied{background:#e6f4ea}.failing{background:#fce8e6}.waived{background:#fef7e0}
.attested{background:#e8f0fe}.not-assessed{background:#f1f3f4}
.counts{color:#137333}.ignored{color:#a50e0e}
"""


def render_html(evidence: Evidence) -> str:
    f = evidence.framework
    title = f"Evidence: {f.name} ({f.version})"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        '<head><meta charset="utf-8">',
        # No script, no request: the policy says so to the browser too.
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'\">",
        f"<title>{_e(title)}</title>",
        f"<style>{_STYLE}</style></head>",
        "<body>",
        f"<h1>{_e(title)}</h1>",
        f"<p>{_e(_stamp(evidence))}</p>",
        *_coverage(evidence),
    ]
    for component in evidence.components:
        parts += _component(component)
    parts += [
        "<h2>Attestation-only clauses</h2>",
        *_table(
            ("clause", "status", "evidence"),
            (
                (_e(r.clause), _status(r.status), _attested(r) or "—", r.status)
                for r in evidence.repository
            ),
        ),
    ]
    if evidence.problems:
        parts += ["<h2>Problems</h2>", "<ul>"]
        parts += [f"<li>{_e(p)}</li>" for p in evidence.problems]
        parts.append("</ul>")
    parts += ["</body>", "</html>"]
    return "\n".join(parts) + "\n"


def _stamp(evidence: Evidence) -> str:
    commit = f", commit {evidence.commit[:12]}" if evidence.commit else ""
    return f"As of {evidence.as_of}{commit}; policy {', '.join(evidence.report.policy.sources)}."


def _coverage(evidence: Evidence) -> list[str]:
    counts = evidence.coverage()
    rows = [(_status(s), str(counts[s]), s) for s in STATUSES]
    rows.append(("total", str(sum(counts.values())), ""))
    return [
        *_table(("status", "clauses"), rows),
        "<p>Satisfied: rules citing the clause ran on the component and none found anything "
        "(the rules column says which did not run: change-control rules run on changes, in CI). "
        "Not assessed: none of them ran, and no attestation covers the clause.</p>",
    ]


def _component(c: ComponentEvidence) -> list[str]:
    out = [f"<h2>{_e(c.name)} (<code>{_e(c.path or '.')}</code>, {_e(c.risk)}, {_e(c.stage)})</h2>"]
    if c.artifacts:
        shown = ", ".join(f"<code>{_e(a.path)}</code>" + _e(blob_note(a)) for a in c.artifacts)
        out.append(f"<p>Artifacts: {shown}.</p>")
    out += _approval(c.approval)
    out += _table(
        ("clause", "status", "rules", "evidence"),
        (
            (
                _e(r.clause),
                _status(r.status),
                _e(", ".join(f"{x.code} {x.status}" for x in r.rules)),
                _shown(r),
                r.status,
            )
            for r in c.clauses
        ),
    )
    return out


def _approval(standing: Standing | None) -> list[str]:
    if standing is None or not standing.entries:
        return []
    if standing.approved:
        head = (
            f"Approved now (trust: {_e(standing.trust or '')}) in "
            f"<code>{_e(standing.ledger)}</code>."
        )
    else:
        head = f"Not approved now ({_e('; '.join(standing.reasons))})."
    rows = []
    for s in standing.entries:
        verdict = (
            '<span class="counts">counts</span>'
            if not s.reasons
            else f'<span class="ignored">does not count: {_e("; ".join(s.reasons))}</span>'
        )
        rows.append(
            (
                f"{_e(standing.ledger)}:{s.entry.line}",
                _e(", ".join(s.entry.approved_by)),
                _e(s.entry.at or "—"),
                f"<code>{_e(s.entry.digest[:19])}…</code>",
                verdict,
            )
        )
    return [f"<p>{head}</p>", *_table(("entry", "approved by", "at", "digest", "counts"), rows)]


def _shown(r: ClauseResult) -> str:
    if r.findings:
        return "<br>".join(f"{_e(f.path)}:{f.line} {_e(f.message)}" for f in r.findings[:3])
    return _attested(r) or "—"


def _attested(r: ClauseResult) -> str:
    return "<br>".join(
        f"{_e(a.statement)} ({_e(a.attested_by)}, until {_e(a.expires)}; "
        f"{_e(a.path)}:{a.line}, evidence: {_e(a.evidence)})"
        for a in r.attestations
    )


def _table(head: tuple[str, ...], rows: Iterable[tuple[str, ...]]) -> list[str]:
    """Cells are HTML already; a row one cell longer than the head names its class."""
    out = ["<table>", "<tr>" + "".join(f"<th>{h}</th>" for h in head) + "</tr>"]
    for row in rows:
        cells, css = row[: len(head)], row[len(head) :]
        klass = f' class="{css[0]}"' if css and css[0] else ""
        out.append(f"<tr{klass}>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    out.append("</table>")
    return out


def _status(status: str) -> str:
    return _e(MARKS[status])


def _e(text: str) -> str:
    return escape(text, quote=True)

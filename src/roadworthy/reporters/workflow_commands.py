"""GitHub Actions workflow commands: each active finding becomes an annotation on its file.

``::error file=models/fraud/MLmodel,line=1,title=RW103 missing-rollback-plan::message%0Afix: ...``
(a warning is ``::warning``). Escaping follows the Actions toolkit (``@actions/core``
``command.ts``): in the message ``%``, CR and LF; in property values also ``:`` and ``,``.
Waived findings are not annotated. The CLI picks this format when ``GITHUB_ACTIONS=true`` and no
``--format`` was given.

GitHub shows at most 10 error and 10 warning annotations per step and drops the rest, so the
most important come first — change control (RW4xx), then by rule code — the list stops at those
limits, and one notice says how many were not shown and where they are.
"""

from __future__ import annotations

from roadworthy.findings import Finding, Report, Severity

# GitHub's documented limits on annotations per step.
SHOWN_PER_LEVEL = 10


def render(report: Report) -> str:
    errors = [f for f in report.active_findings if f.severity is Severity.ERROR]
    warnings = [f for f in report.active_findings if f.severity is not Severity.ERROR]
    shown = [*_first(errors), *_first(warnings)]
    hidden = len(errors) + len(warnings) - len(shown)
    lines = [command(f) for f in shown]
    if hidden:
        lines.append(
            f"::notice title=roadworthy::{hidden} more finding{'s' if hidden != 1 else ''} not "
            f"shown as annotations (GitHub shows {SHOWN_PER_LEVEL} errors and "
            f"{SHOWN_PER_LEVEL} warnings per step): see the job summary or the SARIF report\n"
        )
    return "".join(lines)


def _first(findings: list[Finding]) -> list[Finding]:
    """The most important first: change control, then by rule, then by place."""
    ranked = sorted(findings, key=lambda f: (not f.code.startswith("RW4"), f.code, f.path, f.line))
    return ranked[:SHOWN_PER_LEVEL]


def command(f: Finding) -> str:
    kind = "error" if f.severity is Severity.ERROR else "warning"
    line = max(f.line, 1)
    where = [f"file={escape_property(f.path)}", f"line={line}"]
    # GitHub's annotation properties: endLine, and col/endColumn only within one line.
    if f.span.end_line > line:
        where.append(f"endLine={f.span.end_line}")
    elif f.span.column and f.span.end_column:
        where += [f"col={f.span.column}", f"endColumn={f.span.end_column}"]
    properties = ",".join((*where, f"title={escape_property(f'{f.code} {f.name}')}"))
    message = f.message if not f.fix else f"{f.message}\nfix: {f.fix}"
    return f"::{kind} {properties}::{escape_data(message)}\n"


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")

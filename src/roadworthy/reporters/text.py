"""``path:line: CODE name: message`` and an indented ``fix:``; waived findings are not shown.

The summary line goes to stderr (written by the CLI), so stdout stays parsable by editors and
problem matchers; inside pre-commit the output starts with the path, as hook output should.
"""

from __future__ import annotations

from roadworthy.findings import Finding, Report, Severity

_RED, _YELLOW, _DIM, _BOLD, _RESET = "\033[31m", "\033[33m", "\033[2m", "\033[1m", "\033[0m"


def render(report: Report, *, color: bool = False) -> str:
    return "".join(render_finding(f, color=color) for f in report.active_findings)


def render_finding(finding: Finding, *, color: bool = False) -> str:
    # One finding, one line: a newline or control character in a file name (which messages and
    # fixes quote too) is shown escaped, so no path can start a line of its own — a workflow
    # command in a GitHub Actions log, say.
    where = f"{_printable(finding.path)}:{finding.line}:"
    code = f"{finding.code} {finding.name}:"
    if color:
        tint = _RED if finding.severity is Severity.ERROR else _YELLOW
        where = f"{_BOLD}{where}{_RESET}"
        code = f"{tint}{code}{_RESET}"
    line = f"{where} {code} {_printable(finding.message)}\n"
    if finding.fix:
        fix = f"    fix: {_printable(finding.fix)}\n"
        line += f"{_DIM}{fix}{_RESET}" if color else fix
    return line


def _printable(text: str) -> str:
    if text.isprintable():
        return text
    return "".join(
        c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text
    )


def summary(report: Report) -> str:
    s = report.summary
    return f"roadworthy: {s.line}"

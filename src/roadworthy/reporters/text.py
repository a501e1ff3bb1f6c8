"""``path:line: severity CODE name: message`` and an indented ``fix:``; waived findings are
not shown.

The summary line goes to stderr (written by the CLI), so stdout stays parsable by editors and
problem matchers; inside pre-commit the output starts with the path, as hook output should.
"""

from __future__ import annotations

from collections import Counter

from roadworthy.findings import DiscoveryInfo, Finding, Report, Severity

_RED, _YELLOW, _DIM, _BOLD, _RESET = "\033[31m", "\033[33m", "\033[2m", "\033[1m", "\033[0m"


def render(report: Report, *, color: bool = False) -> str:
    return "".join(render_finding(f, color=color) for f in report.active_findings)


def render_finding(finding: Finding, *, color: bool = False) -> str:
    # One finding, one line: a newline or control character in a file name (which messages and
    # fixes quote too) is shown escaped, so no path can start a line of its own — a workflow
    # command in a GitHub Actions log, say.
    # The severity is a word, not only a colour: logs, pipes and NO_COLOR terminals show it.
    where = f"{printable(finding.path)}:{finding.line}:"
    code = f"{finding.severity.label} {finding.code} {finding.name}:"
    if color:
        tint = _RED if finding.severity is Severity.ERROR else _YELLOW
        where = f"{_BOLD}{where}{_RESET}"
        code = f"{tint}{code}{_RESET}"
    line = f"{where} {code} {printable(finding.message)}\n"
    if finding.fix:
        fix = f"    fix: {printable(finding.fix)}\n"
        line += f"{_DIM}{fix}{_RESET}" if color else fix
    return line


def printable(text: str) -> str:
    if text.isprintable():
        return text
    return "".join(
        c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text
    )


def summary(report: Report) -> str:
    """The run in a line, and a second one when excludes skipped model-looking files. A check
    that found nothing at all says what it looked for instead of "0 findings in 0 components"."""
    s = report.summary
    found = report.discovery
    if found is None:
        return f"roadworthy: {s.line}"
    if not report.components and not report.findings:
        return (
            f"roadworthy: no model component found: looked for {found.looked_for}; {skipped(found)}"
        )
    if found.excluded:
        return f"roadworthy: {s.line}\nroadworthy: {skipped(found)}"
    return f"roadworthy: {s.line}"


def skipped(found: DiscoveryInfo) -> str:
    """How many model-looking files excludes skipped, where, and how to see them."""
    if not found.excluded:
        return "nothing was excluded"
    by_folder = Counter(found.excluded_where(i) for i in range(len(found.excluded)))
    top = sorted(by_folder, key=lambda folder: (-by_folder[folder], folder))
    where = ", ".join(printable(folder) for folder in top[:3])
    if len(top) > 3:
        where += f" and {len(top) - 3} more"
    count = len(found.excluded)
    noun, them = ("file", "it") if count == 1 else ("files", "them")
    return (
        f"{count} model-looking {noun} skipped as excluded ({where}); "
        f"`roadworthy check --show-excluded` lists {them} and how to include {them}"
    )

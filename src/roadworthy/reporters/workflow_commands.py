"""GitHub Actions workflow commands: each active finding becomes an annotation on its file.

``::error file=models/fraud/MLmodel,line=1,title=RW103 missing-rollback-plan::message%0Afix: ...``
(a warning is ``::warning``). Escaping follows the Actions toolkit (``@actions/core``
``command.ts``): in the message ``%``, CR and LF; in property values also ``:`` and ``,``.
Waived findings are not annotated. The CLI picks this format when ``GITHUB_ACTIONS=true`` and no
``--format`` was given.
"""

from __future__ import annotations

from roadworthy.findings import Finding, Report, Severity


def render(report: Report) -> str:
    return "".join(command(f) for f in report.active_findings)


def command(f: Finding) -> str:
    kind = "error" if f.severity is Severity.ERROR else "warning"
    properties = ",".join(
        (
            f"file={escape_property(f.path)}",
            f"line={max(f.line, 1)}",
            f"title={escape_property(f'{f.code} {f.name}')}",
        )
    )
    message = f.message if not f.fix else f"{f.message}\nfix: {f.fix}"
    return f"::{kind} {properties}::{escape_data(message)}\n"


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")

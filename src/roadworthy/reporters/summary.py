"""GitHub-flavoured Markdown for ``$GITHUB_STEP_SUMMARY`` and pull-request comments.

A verdict line, the readiness table (components × the five dimensions), then the active findings
grouped by component (errors first) with their fixes, then the waived ones.

Colour is never the only signal (screen readers, colour blindness): each readiness cell says
"🔴 errors", "🟡 warnings" or "🟢 ok", each finding its severity in words, each component heading
its counts. Each rule code links to its documentation page, and each file to its blob at the
checked commit when the caller knows it (the Action passes the repository and the head commit).
A component with more than `FOLD_AT` findings has them folded into one ``<details>`` element.

GitHub refuses a step summary over 1 MiB and a comment over 65,536 characters. `render` and
`render_comment` share one implementation with a ``limit``, measured in UTF-8 bytes (never fewer
than characters, so one measure is safe for both). The document is a list of whole pieces (the
verdict, a table row, a finding's line, a heading together with its first row); when they do not
all fit, the pieces that fit are kept and an explicit note says how much was left out. A cut
therefore never splits a row or leaves a construct open, and the note starts after a blank line
so it never joins a table or a list.

Text from findings is escaped: Markdown punctuation is backslash-escaped, and ``@handles`` are
set in code so a comment never notifies the owners it names.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from roadworthy import lazyre
from roadworthy.findings import (
    BLOCKED,
    DIMENSIONS,
    GREEN,
    RED,
    YELLOW,
    Finding,
    Gate,
    Report,
    Severity,
    colour,
    readiness,
)
from roadworthy.records import NamedTuple
from roadworthy.reporters.links import RULE_URI, Source, help_uri, markdown_destination
from roadworthy.reporters.text import skipped

SUMMARY_LIMIT = 1024 * 1024  # GitHub's cap on $GITHUB_STEP_SUMMARY per step (bytes)
COMMENT_LIMIT = 65_536  # GitHub's cap on an issue / pull-request comment body (characters)
REPOSITORY = "repository"  # the group of findings that belong to no component
MAX_TEXT = 2_000  # one message or fix longer than this is cut, so one finding stays small
_NOTE_RESERVE = 512  # bytes kept free for the truncation note

ICONS = {RED: "🔴", YELLOW: "🟡", GREEN: "🟢"}
VERDICTS = {RED: "Not ready", YELLOW: "Ready with warnings", GREEN: "Ready"}
NO_MODELS = "⚪ **No models**"
_ESCAPE = lazyre.compile(r"([\\`*_\[\]<>|~&$])")
_CODE_SPAN = lazyre.compile(r"`([^`]+)`")
_MENTION = lazyre.compile(r"(?<![\w`])@[A-Za-z0-9][A-Za-z0-9_.-]*(?:/[A-Za-z0-9][A-Za-z0-9_.-]*)?")
_BACKTICKS = lazyre.compile(r"`+")


CELLS = {RED: "🔴 errors", YELLOW: "🟡 warnings", GREEN: "🟢 ok"}
FOLD_AT = 5  # more findings than this in one component fold into <details>
_CLOSE = "\n</details>\n"


@dataclass(frozen=True)
class _Piece:
    text: str
    rows: int = 0  # readiness table rows in this piece
    findings: int = 0  # findings in this piece
    close: str = ""  # what ends a construct this piece leaves open, should the cut follow it


class _Links(NamedTuple):
    rules: dict[str, str]  # code → documentation page
    source: Source | None


def render(report: Report, limit: int = SUMMARY_LIMIT, *, source: Source | None = None) -> str:
    head = _head(report)
    pieces = list(_pieces(report, _links(report, source)))
    return head + _fit(pieces, limit - _size(head), _totals(report))


def render_comment(report: Report, *, source: Source | None = None) -> str:
    return render(report, limit=COMMENT_LIMIT, source=source)


def _links(report: Report, source: Source | None) -> _Links:
    rules = {r.code: help_uri(r) for r in report.rules}
    for f in report.findings:
        if f.code not in rules and f.code.startswith("RW"):
            rules[f.code] = RULE_URI.format(code=f.code)
    return _Links({code: url for code, url in rules.items() if url}, source)


def _head(report: Report) -> str:
    s = report.summary
    counts = f"{_plural(s.errors, 'error')}, {_plural(s.warnings, 'warning')}"
    if report.discovery is not None and not report.components and not report.findings:
        # Nothing was checked: not "Ready", which a dashboard would count as a pass.
        line = f"{NO_MODELS}: {counts} in 0 components"
    else:
        line = f"{ICONS[s.verdict]} **{VERDICTS[s.verdict]}**: {counts} in "
        line += _plural(s.components, "component")
    if s.waived:
        line += f" ({s.waived} waived)"
    if s.baselined:
        line += f" ({s.baselined} in the baseline)"
    notes = "".join(f"> {_text(note)}\n" for note in report.notes)
    return f"## roadworthy\n\n{line}\n\n" + (f"{notes}\n" if notes else "")


def _totals(report: Report) -> tuple[int, int]:
    return len(_rows(report)), len(report.findings)


def _fit(pieces: list[_Piece], room: int, totals: tuple[int, int]) -> str:
    if sum(_size(p.text) for p in pieces) <= room:
        return "".join(p.text for p in pieces)
    kept: list[str] = []
    used = rows = findings = 0
    close = ""
    for piece in pieces:
        size = _size(piece.text)
        if used + size > room - _NOTE_RESERVE:
            break
        kept.append(piece.text)
        used += size
        rows += piece.rows
        findings += piece.findings
        close = piece.close
    return "".join(kept) + close + _truncation_note(rows, findings, totals)


def _truncation_note(rows: int, findings: int, totals: tuple[int, int]) -> str:
    total_rows, total_findings = totals
    shown = f"{findings} of {_plural(total_findings, 'finding')}"
    if rows < total_rows:
        shown += f" and {rows} of {total_rows} readiness rows"
    return (
        "\n> [!WARNING]\n"
        f"> Truncated to fit GitHub's size limit: showing {shown}. "
        "The full report: `roadworthy check --format json`, or the SARIF upload.\n"
    )


def _pieces(report: Report, links: _Links) -> Iterator[_Piece]:
    yield from _table(report)
    yield from _findings(report, links)
    yield from _waived(report, links)


def _rows(report: Report) -> list[tuple[str, str, str, dict[str, str], str]]:
    rows = [
        (_component_label(c.name, c.path), c.risk, c.stage, dict(c.readiness), _gate_cell(c.gate))
        for c in report.components
    ]
    repository = [f for f in report.findings if f.component is None]
    if repository:
        rows.append((REPOSITORY, "–", "–", readiness(repository), "–"))
    return rows


def _gate_cell(gate: Gate | None) -> str:
    """The verdict for the stage, the criteria it misses (value against threshold), and in
    diff mode the stage change."""
    if gate is None:
        return ""
    cell = "⛔ blocked" if gate.verdict == BLOCKED else f"✅ {gate.verdict}"
    missed = [f"{c.criterion} ({c.value or 'none'})" for c in gate.criteria if not c.met]
    if missed:
        cell += ": " + "; ".join(missed)
    if gate.transition:
        cell += f"; {gate.transition}"
    return _text(cell)


def _table(report: Report) -> Iterator[_Piece]:
    rows = _rows(report)
    if not rows:
        found = report.discovery
        if found is None:
            yield _Piece("No components found.\n")
        else:
            # What a whole-repository check looked for, and what excludes skipped.
            said = f"No model component found: looked for {found.looked_for}; {skipped(found)}."
            yield _Piece(_text(said) + "\n")
        return
    # The gate column only under a policy with stage criteria (the gate is then set).
    gated = any(c.gate is not None for c in report.components)
    header = "| component | risk | stage | " + ("gate | " if gated else "")
    header += " | ".join(DIMENSIONS) + " |\n"
    header += "|---|---|---|" + ("---|" if gated else "") + ":---:|" * len(DIMENSIONS) + "\n"
    prefix = "### Readiness\n\n" + header
    for label, risk, stage, colours, gate in rows:
        cells = [label, _text(risk), _text(stage)] + ([gate] if gated else [])
        cells += [CELLS.get(colours.get(d, GREEN), "⚪ unknown") for d in DIMENSIONS]
        yield _Piece(prefix + "| " + " | ".join(cells) + " |\n", rows=1)
        prefix = ""


def _findings(report: Report, links: _Links) -> Iterator[_Piece]:
    prefix = "\n### Findings\n"
    for name, path, group in _groups(report.active_findings, report):
        errors = sum(1 for f in group if f.severity is Severity.ERROR)
        counts = f"{_plural(errors, 'error')}, {_plural(len(group) - errors, 'warning')}"
        label = _component_label(name, path, table=False)
        heading = f"\n#### {ICONS[colour(group)]} {label}: {counts}\n\n"
        folded = len(group) > FOLD_AT
        if folded:  # the blank line after <summary> lets GitHub render the list inside
            heading += f"<details><summary>{len(group)} findings</summary>\n\n"
        ordered = sorted(group, key=lambda f: (-f.severity, f.path, f.line, f.code))
        for number, f in enumerate(ordered, start=1):
            last = number == len(ordered)
            text = prefix + heading + _finding_line(f, links)
            if folded and last:
                text += _CLOSE
            yield _Piece(text, findings=1, close=_CLOSE if folded and not last else "")
            prefix = heading = ""


def _groups(
    findings: Iterable[Finding], report: Report
) -> Iterator[tuple[str, str | None, list[Finding]]]:
    by_name: dict[str | None, list[Finding]] = {}
    for f in findings:
        by_name.setdefault(f.component, []).append(f)
    for c in report.components:
        if c.name in by_name:
            yield c.name, c.path, by_name.pop(c.name)
    for name in sorted(n for n in by_name if n is not None):
        yield name, None, by_name[name]
    if None in by_name:
        yield REPOSITORY, None, by_name[None]


def _finding_line(f: Finding, links: _Links) -> str:
    icon = ICONS[RED if f.severity is Severity.ERROR else YELLOW]
    line = f"- {icon} {f.severity.label} {_where(f, links)} {_rule(f, links)}: {_text(f.message)}"
    if f.fix:
        line += f" — _fix:_ {_text(f.fix)}"
    return line + "\n"


def _where(f: Finding, links: _Links) -> str:
    """``path:line`` in code, linked to the file at the checked commit when that is known."""
    shown = _code(f"{f.path}:{f.line}")
    if links.source is None:
        return shown
    return f"[{shown}]({markdown_destination(links.source.blob(f.path, f.line))})"


def _rule(f: Finding, links: _Links) -> str:
    url = links.rules.get(f.code)
    code = _text(f.code)
    shown = f"[{code}]({markdown_destination(url)})" if url else code
    return f"**{shown}** {_text(f.name)}"


def _waived(report: Report, links: _Links) -> Iterator[_Piece]:
    prefix = "\n### Waived\n\n"
    for f in report.findings:
        if f.waived_by is None:
            continue
        line = (
            f"- {_where(f, links)} {_rule(f, links)}: {_text(f.message)}"
            f" — waived by {_code(f.waived_by)}\n"
        )
        yield _Piece(prefix + line, findings=1)
        prefix = ""


def _component_label(name: str, path: str | None, *, table: bool = True) -> str:
    if path is None or path in (name, "."):
        return _text(name)
    # No code spans in table cells: a backslash before a pipe there would end the cell.
    shown = _text(path) if table else _code(path)
    return f"{_text(name)} ({shown})"


def _text(text: str) -> str:
    """Plain text safe in a Markdown line: escaped, one line, mentions defused."""
    if len(text) > MAX_TEXT:
        text = text[: MAX_TEXT - 1] + "…"
    text = " ".join(text.split())
    parts = []
    pos = 0
    # Messages quote commands and keys in `backticks`: those stay code; the rest is escaped.
    for match in _CODE_SPAN.finditer(text):
        parts.append(_prose(text[pos : match.start()]))
        parts.append(_code(match.group(1)))
        pos = match.end()
    parts.append(_prose(text[pos:]))
    return "".join(parts)


def _prose(text: str) -> str:
    parts = []
    pos = 0
    for match in _MENTION.finditer(text):
        parts.append(_ESCAPE.sub(r"\\\1", text[pos : match.start()]))
        parts.append(_code(match.group()))
        pos = match.end()
    parts.append(_ESCAPE.sub(r"\\\1", text[pos:]))
    return "".join(parts)


def _code(text: str) -> str:
    """A code span that holds any text: a fence longer than any backtick run inside."""
    text = " ".join(text.split())
    longest = max((len(run) for run in _BACKTICKS.findall(text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _size(text: str) -> int:
    return len(text.encode("utf-8", "backslashreplace"))


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"

"""``roadworthy evidence``: a framework's clauses, per component, with what evidences each."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from roadworthy.commands import cwd
from roadworthy.records import NamedTuple

if TYPE_CHECKING:
    import datetime as dt
    from pathlib import Path


FORMATS = ("markdown", "json", "html", "oscal")


class EvidenceOptions(NamedTuple):
    paths: tuple[str, ...]
    framework: str
    format: str
    output: str | None
    as_of: str | None
    policy: str | None
    cwd: Path


def add_parser(commands: Any, name: str) -> None:
    from roadworthy.formats.refs import PRESETS

    evidence = commands.add_parser(
        name, help="per component and framework clause: satisfied, failing, attested, ..."
    )
    evidence.add_argument("paths", nargs="*", metavar="PATH")
    evidence.add_argument("--framework", required=True, choices=sorted(PRESETS))
    evidence.add_argument("--format", choices=FORMATS, default="markdown")
    evidence.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    evidence.add_argument("--as-of", metavar="DATE", help="judge dates as of DATE (YYYY-MM-DD)")
    evidence.add_argument("--policy", metavar="FILE", help="policy file (default: roadworthy.yaml)")
    evidence.set_defaults(from_args=from_args, run=run)


def from_args(args: argparse.Namespace) -> EvidenceOptions:
    return EvidenceOptions(
        tuple(args.paths), args.framework, args.format, args.output, args.as_of, args.policy, cwd()
    )


def run(options: EvidenceOptions) -> int:
    import sys

    from roadworthy import pipeline
    from roadworthy.commands.check import _emit
    from roadworthy.evidence.collect import collect

    repo = pipeline.locate(options.paths, options.cwd)
    policy = pipeline.load_repository_policy(repo, options.policy, options.cwd)
    day = _as_of(options.as_of) or pipeline.today()
    evidence = collect(repo, policy, options.framework, day)
    text = _render(evidence, options.format)
    _emit(text, options.output, options.cwd, repo.root)
    counts = evidence.coverage()
    shown = ", ".join(f"{n} {status}" for status, n in counts.items() if n)
    print(f"roadworthy: {evidence.framework.name}: {shown or 'no clauses'}", file=sys.stderr)
    if not any(c.clauses for c in evidence.components):
        print(
            f"roadworthy: the policy in force cites no {evidence.framework.name} clause; "
            f"add `extends: [{options.framework}]` to roadworthy.yaml",
            file=sys.stderr,
        )
    return 0


def _render(evidence: Any, fmt: str) -> str:
    from roadworthy.evidence import html, oscal, render

    renderers = {
        "json": render.render_json,
        "html": html.render_html,
        "oscal": oscal.render_oscal,
        "markdown": render.render_markdown,
    }
    return renderers[fmt](evidence)


def _as_of(text: str | None) -> dt.date | None:
    if text is None:
        return None
    from roadworthy.errors import UsageError
    from roadworthy.formats.versions import parse_date

    day = parse_date(text)
    if day is None:
        raise UsageError(f"--as-of {text!r}: not a date (YYYY-MM-DD)")
    return day

"""``roadworthy bom``: an ML bill of materials of the repository's components, as CycloneDX 1.6
or SPDX 3.0.1 (see docs/bom.md).
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from roadworthy.commands import cwd
from roadworthy.records import NamedTuple

if TYPE_CHECKING:
    import datetime as dt
    from pathlib import Path

FORMATS = ("cyclonedx", "spdx")


class BomOptions(NamedTuple):
    paths: tuple[str, ...]
    policy: str | None
    format: str
    output: str | None
    as_of: dt.date | None  # the document's date; None: CycloneDX has none, SPDX the commit's
    cwd: Path


def add_parser(commands: Any, name: str) -> None:
    bom = commands.add_parser(
        name, help="write an ML bill of materials (CycloneDX 1.6 or SPDX 3.0.1) of the components"
    )
    bom.add_argument("paths", nargs="*", metavar="PATH", help="default: the repository of .")
    bom.add_argument("--policy", metavar="FILE", help="policy file (default: roadworthy.yaml)")
    bom.add_argument("--format", choices=FORMATS, default="cyclonedx", help="default: cyclonedx")
    bom.add_argument("-o", "--output", metavar="FILE", help="write the BOM here instead of stdout")
    bom.add_argument(
        "--as-of",
        metavar="DATE",
        help="stamp the BOM with this date (YYYY-MM-DD); without it a CycloneDX BOM has no "
        "timestamp and an SPDX one is dated by the last commit, so the same repository gives "
        "the same bytes",
    )
    bom.set_defaults(from_args=from_args, run=run)


def from_args(args: argparse.Namespace) -> BomOptions:
    from roadworthy.errors import UsageError
    from roadworthy.formats.versions import parse_date

    as_of = None
    if args.as_of is not None:
        as_of = parse_date(args.as_of)
        if as_of is None:
            raise UsageError(f"--as-of {args.as_of!r} is not a date (YYYY-MM-DD)")
    return BomOptions(
        paths=tuple(args.paths),
        policy=args.policy,
        format=args.format,
        output=args.output,
        as_of=as_of,
        cwd=cwd(),
    )


def run(options: BomOptions) -> int:
    from roadworthy import pipeline
    from roadworthy.bom.collect import Source, collect

    repo = pipeline.locate(options.paths, options.cwd)
    policy = pipeline.load_repository_policy(repo, options.policy, options.cwd)
    entries = collect(Source(repo.root, repo.is_git, repo.name, repo.only), policy)
    if options.format == "spdx":
        from roadworthy.bom import spdx

        created = _created(options.as_of, repo.root if repo.is_git else None)
        text = spdx.render(entries, repo.name, created)
    else:
        from roadworthy.bom import cyclonedx

        text = cyclonedx.render(entries, repo.name, options.as_of)
    _emit(text, options, repo.root)
    noun = "component" if len(entries) == 1 else "components"
    print(f"roadworthy: bill of materials of {len(entries)} {noun}", file=sys.stderr)
    return 0


def _created(as_of: dt.date | None, git_root: Path | None) -> dt.datetime:
    """SPDX requires a creation time. Never the clock, so the same repository gives the same
    bytes: ``--as-of`` at 00:00 UTC, else the last commit's time, else (no commit) the epoch."""
    import datetime as dt

    from roadworthy.workspace.git import head_time

    utc = dt.timezone.utc
    if as_of is not None:
        return dt.datetime.combine(as_of, dt.time(), tzinfo=utc)
    seconds = head_time(git_root) if git_root is not None else None
    return dt.datetime.fromtimestamp(seconds or 0, tz=utc)


def _emit(text: str, options: BomOptions, root: Path) -> None:
    from roadworthy.errors import UsageError
    from roadworthy.workspace.write import write_report, write_stream

    if options.output is None:
        write_stream(sys.stdout, text)
        return
    try:
        # A file name that is not UTF-8 stays a JSON escape, as on standard output.
        safe = text.encode("utf-8", "backslashreplace").decode("utf-8")
        write_report(root, options.cwd / options.output, safe)
    except OSError as exc:
        reason = exc.strerror or exc
        raise UsageError(f"--output {options.output}: cannot write ({reason})") from None

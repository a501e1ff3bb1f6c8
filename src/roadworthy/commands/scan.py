"""``roadworthy scan`` and ``roadworthy merge``: many repositories, one report."""

from __future__ import annotations

import argparse
import os
from typing import TYPE_CHECKING, Any

from roadworthy.commands import cwd
from roadworthy.findings import FAIL_ON
from roadworthy.records import NamedTuple

if TYPE_CHECKING:
    from pathlib import Path

    from roadworthy.scan.run import ScanOptions

EXIT_CODES = """\
exit codes:
  0    every repository is ok: nothing at or above its fail-on level
  1    a repository has findings at or above it, or could not be cloned, read or
       checked (an error row: an unchecked repository is not known to be ready)
  2    usage error: no targets, a bad --shard, an unreadable --repos file, an
       invalid --policy/--enforce file, reports that cannot be merged
  3    internal error (a crash file is written)
  130  interrupted (Ctrl-C, or SIGTERM from a cancelled CI job): the report holds
       what finished ("complete": false)
"""

SCAN_EPILOG = (
    """\
A repository's status is what `roadworthy check` would answer: its own roadworthy.yaml (or
.roadworthy.yaml), else --policy, else the recommended preset; --enforce on top of either.
Git URLs (https://, http://, ssh://, git@host:path, file://) are cloned with --depth 1 into
--cache and fetched again, not re-cloned, on the next run; nothing in them can run or prompt.

"""
    + EXIT_CODES
)

MERGE_EPILOG = (
    "The reports must come from one roadworthy version, be of one split, and not overlap.\n"
    "Exit codes as for `roadworthy scan`.\n"
)


def add_parser(commands: Any, name: str) -> None:
    from roadworthy.formats.refs import PRESETS

    if name == "merge":
        _add_merge_parser(commands)
        return
    scan = commands.add_parser(
        "scan",
        help="scan many repositories into one report (JSON, CSV, HTML dashboard)",
        epilog=SCAN_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    scan.add_argument("targets", nargs="*", metavar="ROOT|URL", help="local folders or git URLs")
    scan.add_argument("--repos", metavar="FILE", help="targets one a line; # comments; - = stdin")
    scan.add_argument("--github-org", metavar="ORG", help="every repository of a GitHub org")
    scan.add_argument("--include-archived", action="store_true", help="with --github-org")
    scan.add_argument("--include-forks", action="store_true", help="with --github-org")
    scan.add_argument(
        "--list-only", action="store_true", help="print the targets (this shard's) and stop"
    )
    scan.add_argument("-o", "--output", metavar="DIR", help="write scan.json, .csv, .html here")
    scan.add_argument("--cache", metavar="DIR", help="clones of git URLs (default: user cache)")
    scan.add_argument("--policy", metavar="FILE", help="policy of repositories without one")
    scan.add_argument(
        "--enforce", metavar="FILE", help="organisation policy: its locked rules bind every repo"
    )
    scan.add_argument(
        "-j",
        "--jobs",
        type=int,
        metavar="N",
        help="repositories checked at once (default: cores); idle cores check their components",
    )
    scan.add_argument(
        "--timeout",
        type=float,
        default=600.0,
        metavar="SECONDS",
        help="per repository, clone included (default 600; 0 = none)",
    )
    scan.add_argument("--shard", metavar="K/N", help="only the K-th of N shares of the targets")
    scan.add_argument(
        "--fail-on",
        choices=FAIL_ON,
        help="lowest severity that fails (default: each repository's policy, else error)",
    )
    scan.add_argument(
        "--as-of",
        metavar="DATE",
        help="judge freshness, waivers and evaluation windows as of DATE (YYYY-MM-DD)",
    )
    scan.add_argument(
        "--framework",
        choices=sorted(PRESETS),
        help="count this framework's clauses by status in every repository (default: the "
        "framework presets each repository's policy extends)",
    )
    scan.add_argument("-q", "--quiet", action="store_true", help="no progress or summary")
    scan.set_defaults(from_args=from_args, run=run)


def _add_merge_parser(commands: Any) -> None:
    merge = commands.add_parser(
        "merge",
        help="join shard reports (scan.json) into one report",
        epilog=MERGE_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    merge.add_argument("reports", nargs="+", metavar="REPORT.json")
    merge.add_argument("-o", "--output", metavar="DIR", required=True, help="write the files here")
    merge.add_argument("-q", "--quiet", action="store_true", help="no summary")
    merge.set_defaults(from_args=merge_options, run=run_merge)


class MergeOptions(NamedTuple):
    reports: tuple[str, ...]
    output: str
    quiet: bool
    cwd: Path


def merge_options(args: argparse.Namespace) -> MergeOptions:
    return MergeOptions(tuple(args.reports), args.output, args.quiet, cwd())


def run_merge(options: MergeOptions) -> int:
    from roadworthy.scan import run as scan_run

    return scan_run.merge(options.reports, options.output, options.quiet, options.cwd)


def from_args(args: argparse.Namespace) -> ScanOptions:
    from roadworthy.errors import UsageError
    from roadworthy.scan import targets as tg
    from roadworthy.scan.cache import default_cache
    from roadworthy.scan.run import ScanOptions

    if args.jobs is not None and args.jobs < 1:
        raise UsageError("--jobs must be at least 1")
    if args.timeout < 0:
        raise UsageError("--timeout must be 0 (no limit) or more seconds")
    if args.as_of is not None:
        from roadworthy.pipeline import parse_as_of

        parse_as_of(args.as_of)  # a bad date is a usage error before anything is cloned
    here = cwd()
    return ScanOptions(
        targets=tuple(args.targets),
        repos_file=args.repos,
        github_org=args.github_org,
        include_archived=args.include_archived,
        include_forks=args.include_forks,
        list_only=args.list_only,
        output=here / args.output if args.output else None,
        cache=here / args.cache if args.cache else default_cache(),
        policy=str((here / args.policy).resolve()) if args.policy else None,
        enforce=str((here / args.enforce).resolve()) if args.enforce else None,
        jobs=args.jobs or _cores(),
        timeout=args.timeout or None,
        shard=tg.parse_shard(args.shard) if args.shard else None,
        fail_on=args.fail_on,
        quiet=args.quiet,
        cwd=here,
        as_of=args.as_of,
        framework=args.framework,
    )


def _cores() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def run(options: ScanOptions) -> int:
    from roadworthy.scan import run as scan_run

    return scan_run.scan(options)

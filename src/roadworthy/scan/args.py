"""The `scan` and `merge` subcommands' arguments (argparse only: cheap to import)."""

from __future__ import annotations

import argparse
from typing import Any

EXIT_CODES = """\
exit codes:
  0    every repository is ok: nothing at or above its fail-on level
  1    a repository has findings at or above it, or could not be cloned, read or
       checked (an error row: an unchecked repository is not known to be ready)
  2    usage error: no targets, a bad --shard, an unreadable --repos file, an
       invalid --policy/--enforce file, reports that cannot be merged
  3    internal error (a crash file is written)
  130  interrupted: the report holds what finished ("complete": false)
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


def add_scan_parser(commands: Any) -> None:
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
    scan.add_argument("-j", "--jobs", type=int, metavar="N", help="workers (default: cores)")
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
        choices=("error", "warning", "never"),
        help="lowest severity that fails (default: each repository's policy, else error)",
    )
    scan.add_argument("-q", "--quiet", action="store_true", help="no progress or summary")


def add_merge_parser(commands: Any) -> None:
    merge = commands.add_parser(
        "merge",
        help="join shard reports (scan.json) into one report",
        epilog=MERGE_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    merge.add_argument("reports", nargs="+", metavar="REPORT.json")
    merge.add_argument("-o", "--output", metavar="DIR", required=True, help="write the files here")
    merge.add_argument("-q", "--quiet", action="store_true", help="no summary")

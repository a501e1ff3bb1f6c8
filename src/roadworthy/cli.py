"""The command line: argv → a subcommand's options → its run → an exit code.

Exit codes: 0 nothing at or above --fail-on · 1 findings · 2 usage error, invalid policy,
unusable repository or revision · 3 internal error (a crash file is written) · 130 interrupted.
Only this module and `errors.handle` print errors and decide exit codes.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from roadworthy import __version__
from roadworthy.commands import action, approve, bom, check, docs, evidence, init, scan

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_CRASH, EXIT_INTERRUPTED = 0, 1, 2, 3, 130

# Every subcommand, in the order `--help` lists them, and the module that owns it.
COMMANDS = {
    "check": check,
    "rule": docs,
    "init": init,
    "scan": scan,
    "merge": scan,
    "approve": approve,
    "bom": bom,
    "validate-policy": docs,
    "action": action,
    "schema": docs,
    "evidence": evidence,
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, or argparse's usage error (2)
        return int(exc.code or 0)
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    from roadworthy.errors import handle

    return handle(lambda: args.run(args.from_args(args)), debug=args.debug, argv=argv)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="roadworthy",
        description="Keep AI/ML systems fit for production: check a repository against its policy.",
    )
    parser.add_argument("--version", action="version", version=f"roadworthy {__version__}")
    parser.add_argument(
        "--debug", action="store_true", help="show tracebacks instead of crash files"
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, module in COMMANDS.items():
        module.add_parser(subparsers, name)
    return parser

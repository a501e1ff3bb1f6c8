"""``roadworthy init``: a commented policy file, and the artifacts each component lacks."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any, NamedTuple

from roadworthy.commands import cwd

if TYPE_CHECKING:
    from pathlib import Path


class InitOptions(NamedTuple):
    path: str
    dry_run: bool
    cwd: Path
    yes: bool = False  # write more than a handful of files


def add_parser(commands: Any, name: str) -> None:
    init = commands.add_parser(
        name, help="write roadworthy.yaml and the missing artifacts' templates"
    )
    init.add_argument(
        "path", nargs="?", default=".", metavar="PATH", help="the repository (default .)"
    )
    init.add_argument("--dry-run", action="store_true", help="list what would be written")
    init.add_argument(
        "--yes", action="store_true", help="write even when that is more than a handful of files"
    )
    init.set_defaults(from_args=from_args, run=run)


def from_args(args: argparse.Namespace) -> InitOptions:
    return InitOptions(args.path, args.dry_run, cwd(), args.yes)


def run(options: InitOptions) -> int:
    from roadworthy.templates import scaffold

    return scaffold.run(options.path, options.cwd, dry_run=options.dry_run, yes=options.yes)

"""``roadworthy init``: a commented policy file, and the artifacts each component lacks."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from roadworthy.commands import cwd
from roadworthy.records import NamedTuple

if TYPE_CHECKING:
    from pathlib import Path


class InitOptions(NamedTuple):
    path: str
    dry_run: bool
    cwd: Path
    yes: bool = False  # write more than a handful of files
    stage: str | None = None  # for the components that do not declare theirs
    risk: str | None = None


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
    init.add_argument(
        "--stage", metavar="STAGE", help="the stage of components that declare none (to the card)"
    )
    init.add_argument(
        "--risk", metavar="RISK", help="the risk tier of components that declare none (to the card)"
    )
    init.set_defaults(from_args=from_args, run=run)


def from_args(args: argparse.Namespace) -> InitOptions:
    return InitOptions(args.path, args.dry_run, cwd(), args.yes, args.stage, args.risk)


def run(options: InitOptions) -> int:
    from roadworthy.templates import scaffold

    given = {k: v for k, v in (("stage", options.stage), ("risk", options.risk)) if v}
    return scaffold.run(
        options.path, options.cwd, dry_run=options.dry_run, yes=options.yes, given=given
    )

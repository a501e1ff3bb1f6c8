"""``roadworthy approve``: append a digest-bound approval to a component's ledger."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any, NamedTuple

from roadworthy.commands import cwd

if TYPE_CHECKING:
    from pathlib import Path


class ApproveOptions(NamedTuple):
    component: str | None  # a name or path; None with governance
    by: tuple[str, ...]
    ticket: str | None
    note: str | None
    governance: bool
    cwd: Path


def add_parser(commands: Any, name: str) -> None:
    approve = commands.add_parser(
        name, help="append a digest-bound approval to a component's ledger"
    )
    approve.add_argument("component", nargs="?", metavar="COMPONENT", help="its name or path")
    approve.add_argument(
        "--by", action="append", required=True, metavar="HANDLE", help="an approver (repeatable)"
    )
    approve.add_argument("--ticket", metavar="ID", help="a change ticket, e.g. CHG-42")
    approve.add_argument("--note", metavar="TEXT", help="why, in a sentence")
    approve.add_argument(
        "--governance", action="store_true", help="approve the policy / CODEOWNERS as they stand"
    )
    approve.set_defaults(from_args=from_args, run=run)


def from_args(args: argparse.Namespace) -> ApproveOptions:
    from roadworthy.errors import UsageError

    if args.governance and args.component:
        raise UsageError("--governance approves the governance files; do not name a component")
    return ApproveOptions(
        args.component, tuple(args.by), args.ticket, args.note, args.governance, cwd()
    )


def run(options: ApproveOptions) -> int:
    from roadworthy.change.record import approve

    done = approve(
        options.component,
        by=options.by,
        ticket=options.ticket,
        note=options.note,
        governance=options.governance,
        cwd=options.cwd,
    )
    for warning in done.warnings:
        print(f"roadworthy: note: {warning}", file=sys.stderr)
    covered = ", ".join(done.files) or "nothing"
    if done.removal:
        covered = f"the removal of {covered}"
    print(
        f"{done.ledger}: approval {done.number} appended ({done.digest[:19]}…, covering {covered})"
    )
    print(f"commit {done.ledger} with the change it approves")
    return 0

"""``roadworthy approve``: append a digest-bound approval to a component's ledger."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from roadworthy.commands import cwd
from roadworthy.records import NamedTuple

if TYPE_CHECKING:
    from pathlib import Path


class ApproveOptions(NamedTuple):
    component: str | None  # a name or path; None with governance
    by: tuple[str, ...]
    ticket: str | None
    note: str | None
    governance: bool
    cwd: Path
    signoff: bool = False


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
    approve.add_argument(
        "--signoff",
        action="store_true",
        help="accept the component's current warnings (readiness.max_yellow): by a sign-off "
        "approver of the policy, never an owner",
    )
    approve.set_defaults(from_args=from_args, run=run)


def from_args(args: argparse.Namespace) -> ApproveOptions:
    from roadworthy.errors import UsageError

    if args.governance and args.component:
        raise UsageError("--governance approves the governance files; do not name a component")
    if args.signoff and (args.governance or not args.component):
        raise UsageError("--signoff accepts one component's warnings: name the component")
    return ApproveOptions(
        args.component, tuple(args.by), args.ticket, args.note, args.governance, cwd(), args.signoff
    )


def run(options: ApproveOptions) -> int:
    if options.signoff:
        return _sign_off(options)
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


def _sign_off(options: ApproveOptions) -> int:
    from roadworthy.gates.record import sign_off

    assert options.component is not None  # from_args requires it
    done = sign_off(
        options.component, by=options.by, ticket=options.ticket, note=options.note, cwd=options.cwd
    )
    print(
        f"{done.ledger}: sign-off {done.number} appended ({done.digest[:19]}…, accepting "
        f"{done.warnings} warning{'s' if done.warnings != 1 else ''})"
    )
    print(f"commit {done.ledger}; a new warning needs a new sign-off")
    return 0

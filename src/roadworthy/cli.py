"""The command line: argv → options → a command → an exit code.

Exit codes: 0 nothing at or above --fail-on · 1 findings · 2 usage error, invalid policy,
unusable repository or revision · 3 internal error (a crash file is written) · 130 interrupted.
Only this module prints errors and decides exit codes.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from roadworthy import __version__
from roadworthy.reporters import FORMATS

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_CRASH, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
FAIL_ON = ("error", "warning", "never")


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

    return handle(lambda: _dispatch(args), debug=args.debug, argv=argv)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="roadworthy",
        description="Keep AI/ML systems fit for production: check a repository against its policy.",
    )
    parser.add_argument("--version", action="version", version=f"roadworthy {__version__}")
    parser.add_argument(
        "--debug", action="store_true", help="show tracebacks instead of crash files"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = commands.add_parser(
        "check", help="check the repository (or the components owning PATHs)"
    )
    check.add_argument("paths", nargs="*", metavar="PATH", help="default: the repository of .")
    check.add_argument("--policy", metavar="FILE", help="policy file (default: roadworthy.yaml)")
    check.add_argument("--format", choices=FORMATS, help="output format (default: text)")
    check.add_argument("--output", metavar="FILE", help="write the report here instead of stdout")
    check.add_argument(
        "--fail-on", choices=FAIL_ON, help="lowest severity that fails (default: error)"
    )

    mode = check.add_mutually_exclusive_group()
    mode.add_argument(
        "--diff",
        metavar="BASE[...HEAD]",
        help="check the change between revisions: BASE...HEAD (from the merge base, as a pull "
        "request does), BASE..HEAD, or BASE (meaning BASE...HEAD)",
    )
    mode.add_argument(
        "--staged", action="store_true", help="check the staged change (the index against HEAD)"
    )
    mode.add_argument(
        "--hook",
        action="store_true",
        help="pre-commit mode: PRE_COMMIT_FROM_REF...PRE_COMMIT_TO_REF when set, else --staged",
    )
    check.add_argument(
        "--policy-ref", metavar="REV", help="in diff mode, the revision whose policy is in force"
    )

    rule = commands.add_parser(
        "rule", help="a rule's documentation (all rules without an argument)"
    )
    rule.add_argument("rule", nargs="?", metavar="CODE|NAME")

    init = commands.add_parser(
        "init", help="write roadworthy.yaml and the missing artifacts' templates"
    )
    init.add_argument(
        "path", nargs="?", default=".", metavar="PATH", help="the repository (default .)"
    )
    init.add_argument("--dry-run", action="store_true", help="list what would be written")

    from roadworthy.scan.args import add_merge_parser, add_scan_parser

    add_scan_parser(commands)
    add_merge_parser(commands)

    approve = commands.add_parser(
        "approve", help="append a digest-bound approval to a component's ledger"
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

    validate = commands.add_parser("validate-policy", help="load and validate a policy file only")
    validate.add_argument("file", metavar="FILE")

    commands.add_parser(
        "action",
        help="run as the GitHub Action (reads the GITHUB_* and INPUT_* environment variables)",
    )

    schema = commands.add_parser("schema", help="print the JSON Schema of the policy file")
    schema.add_argument("--path", action="store_true", help="print where the schema file is")
    return parser


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "check":
        return _check(args)
    from roadworthy.commands import docs as commands

    if args.command == "rule":
        return commands.rule(args.rule)
    if args.command == "init":
        from roadworthy.commands import init

        return init.run(args.path, Path.cwd(), dry_run=args.dry_run)
    if args.command == "scan":
        from roadworthy.commands import scan as command

        return command.scan(command.options(args, Path.cwd()))
    if args.command == "merge":
        from roadworthy.commands import scan as command

        return command.merge(args.reports, args.output, args.quiet, Path.cwd())
    if args.command == "approve":
        return commands.approve(args)
    if args.command == "action":
        from roadworthy.commands import action

        return action.run(os.environ)
    if args.command == "validate-policy":
        return commands.validate_policy(args.file, Path.cwd())
    return commands.schema(print_path=args.path)


def _check(args: argparse.Namespace) -> int:
    from roadworthy import pipeline
    from roadworthy.errors import UsageError
    from roadworthy.reporters import renderer
    from roadworthy.reporters.text import summary

    cwd = Path.cwd()
    repo = pipeline.locate(args.paths, cwd)
    if args.diff is not None or args.staged or args.hook:
        request = pipeline.ChangeRequest(diff=args.diff, staged=args.staged, hook=args.hook)
        policy, report = pipeline.check_change(
            repo, request, policy_file=args.policy, policy_ref=args.policy_ref, cwd=cwd
        )
    else:
        if args.policy_ref is not None:
            raise UsageError("--policy-ref applies to --diff, --staged and --hook")
        policy = pipeline.load_repository_policy(repo, args.policy, cwd)
        report = pipeline.check(repo, policy)
    fmt = args.format or _default_format()
    color = fmt == "text" and args.output is None and _use_color(sys.stdout)
    _emit(renderer(fmt, color=color)(report), args.output)
    print(summary(report), file=sys.stderr)
    return report.exit_code(args.fail_on or policy.fail_on or "error")


def _default_format() -> str:
    # In a GitHub Actions job, findings become annotations on the pull request's diff.
    if os.environ.get("GITHUB_ACTIONS") == "true" and "github" in FORMATS:
        return "github"
    return "text"


def _use_color(stream: object) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def _emit(text: str, output: str | None) -> None:
    # A file name that is not UTF-8 reaches us as surrogate escapes; show it escaped rather
    # than fail on a strict stream.
    if output is None:
        data = text.encode("utf-8", "backslashreplace")
        sys.stdout.flush()
        buffer = getattr(sys.stdout, "buffer", None)
        if buffer is None:
            sys.stdout.write(data.decode("utf-8"))
        else:
            buffer.write(data)
            buffer.flush()
        return
    from roadworthy.errors import UsageError
    from roadworthy.workspace.write import write_atomic

    try:
        write_atomic(Path(output), text.encode("utf-8", "backslashreplace").decode("utf-8"))
    except OSError as exc:
        raise UsageError(f"--output {output}: cannot write ({exc.strerror or exc})") from None

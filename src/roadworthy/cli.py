"""The command line: argv → a subcommand's options → its run → an exit code.

Exit codes: 0 nothing at or above --fail-on · 1 findings · 2 usage error, invalid policy,
unusable repository or revision · 3 internal error (a crash file is written) · 130 interrupted
· 141 the output's reader went away.
Only this module and `errors.handle` print errors and decide exit codes.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import gc
import importlib
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NoReturn

from roadworthy import __version__

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_CRASH, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
EXIT_BROKEN_PIPE = 141  # a shell's code for a writer its pipe's reader left (SIGPIPE)
# Container objects allocated, net, between passes of the cyclic garbage collector (Python's
# default: 700). A run builds its listings, parses and findings and keeps nearly all of them to
# its end, so each pass walks young objects that are not garbage: 187 passes were 30-48 ms of a
# diff-mode check at 500k files, and 742 were 250 ms of a full one. At this threshold the diff
# makes no pass and the full check one; what is garbage is still collected, a pass per 200,000
# objects, so a long scan's memory stays bounded (mypy runs with the same threshold).
GC_THRESHOLD = (200_000, 10, 10)

# Every subcommand, in the order `--help` lists them, and the module that owns it (imported
# only when the command line names it).
COMMANDS = {
    "check": "roadworthy.commands.check",
    "rule": "roadworthy.commands.docs",
    "init": "roadworthy.commands.init",
    "scan": "roadworthy.commands.scan",
    "merge": "roadworthy.commands.scan",
    "approve": "roadworthy.commands.approve",
    "bom": "roadworthy.commands.bom",
    "validate-policy": "roadworthy.commands.docs",
    "action": "roadworthy.commands.action",
    "schema": "roadworthy.commands.docs",
    "evidence": "roadworthy.commands.evidence",
}


def run() -> NoReturn:
    """The `roadworthy` program (its console script, and ``python -m roadworthy``): `main`, then
    out of the process without taking it apart. Python's exit frees every object a run built,
    one at a time: 16-30 ms after a hook's diff-mode check of a 20k-file repository (a run of
    120-130 ms), 60 ms after a full check at 500k files. The kernel frees the lot at once. What
    Python's exit would still do is done here first: the output is flushed and atexit's
    callbacks run."""
    try:
        code = main()
    except KeyboardInterrupt:  # before `errors.handle` is in place (start-up, its import)
        print("roadworthy: interrupted", file=sys.stderr)
        code = EXIT_INTERRUPTED
    leave(code)


def leave(code: int) -> NoReturn:
    """End the process with ``code`` once its output is out."""
    # A stream whose descriptor was closed before Python started (`>&-`, `2>&-`) is None:
    # nothing of it to flush, and the run's code stands, as Python's own exit would leave it.
    try:
        if sys.stdout is not None:
            sys.stdout.flush()
    except BrokenPipeError:  # the reader went away (`roadworthy check | head`), as in handle()
        code = EXIT_BROKEN_PIPE
    except OSError as exc:  # a full disk: the report is not all there, which is not a pass
        _unwritten(exc)
        code = EXIT_USAGE
    atexit._run_exitfuncs()
    if sys.stderr is not None:
        with contextlib.suppress(OSError):  # nowhere left to say it
            sys.stderr.flush()
    os._exit(code)


def _unwritten(exc: OSError) -> None:
    """Say that the output is not all there (a full disk): the run is then no pass."""
    print(f"roadworthy: the output could not be written: {exc.strerror}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    default = gc.get_threshold()
    gc.set_threshold(*GC_THRESHOLD)
    try:
        return _main(argv)
    finally:
        gc.set_threshold(*default)  # a caller in this process (a test) keeps its own


def _main(argv: Sequence[str] | None) -> int:
    parser = _parser(sys.argv[1:] if argv is None else argv)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, or argparse's usage error (2)
        return int(exc.code or 0)
    except BrokenPipeError:  # `roadworthy --help | head -1`, as leave() says it of a report
        return EXIT_BROKEN_PIPE
    except OSError as exc:  # --version or --help to a full disk (_Parser._print_message)
        _unwritten(exc)
        return EXIT_USAGE
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    from roadworthy.errors import handle

    return handle(lambda: args.run(args.from_args(args)), debug=args.debug, argv=argv)


class _Formatter(argparse.HelpFormatter):
    """argparse's formatter, sized without `shutil`: argparse builds one for every argument it
    adds, and importing shutil (with bz2 and lzma) is ~2 ms of every run's start-up."""

    def __init__(
        self,
        prog: str,
        indent_increment: int = 2,
        max_help_position: int = 24,
        width: int | None = None,
    ) -> None:
        if width is None:
            width = _columns() - 2
        super().__init__(prog, indent_increment, max_help_position, width)


def _columns() -> int:
    """The terminal's width as `shutil.get_terminal_size` gives it: $COLUMNS, the terminal, 80."""
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)

    def _print_message(self, message: str, file: SupportsWrite[str] | None = None) -> None:
        """As argparse's, without swallowing a write that fails: `--version` written to a
        full disk is not a success (exit 0). A stream closed before the start (None) is
        nowhere to write, as argparse has it."""
        stream = file or sys.stderr
        if message and stream is not None:
            stream.write(message)


def _parser(argv: Sequence[str] = ()) -> argparse.ArgumentParser:
    """The parser for ``argv``: when it names a subcommand, that one only. A pre-commit hook
    starts roadworthy once per commit, and importing and building the ten others is a tenth of
    a small check's start-up; ``--help`` and a mistyped command still see them all."""
    parser = _Parser(
        prog="roadworthy",
        description="Keep AI/ML systems fit for production: check a repository against its policy.",
    )
    parser.add_argument("--version", action="version", version=f"roadworthy {__version__}")
    parser.add_argument(
        "--debug", action="store_true", help="show tracebacks instead of crash files"
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    named = _command(argv)
    if named is None and "--version" in argv:
        return parser  # argparse prints the version and exits before it needs a subcommand
    for name, module in COMMANDS.items():
        if named is None or name == named:
            importlib.import_module(module).add_parser(subparsers, name)
    return parser


def _command(argv: Sequence[str]) -> str | None:
    """The subcommand ``argv`` names (its first argument that is not an option), if known."""
    first = next((a for a in argv if not a.startswith("-")), None)
    return first if first in COMMANDS else None

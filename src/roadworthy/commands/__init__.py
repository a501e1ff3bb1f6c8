"""The subcommands: each module turns its part of the command line into a frozen options object
and runs it.

A command module has ``add_parser(subparsers, name)``, which adds the subcommand ``name`` and binds
``from_args`` (argparse namespace → options) and ``run`` (options → exit code) as the parser's
defaults. ``cli`` holds the one list of them. The argparse namespace goes no further than
``from_args``. The modules stay cheap to import — argparse builds every subparser before it sees
``--version`` — so each ``run`` imports the pipeline or feature it drives.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path


def cwd() -> Path:
    """The working folder, as options record it (pathlib is imported only once a command runs)."""
    from pathlib import Path

    return Path.cwd()

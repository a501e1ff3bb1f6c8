"""``roadworthy action``: the GitHub Action's entry point. Its inputs are the environment
GitHub Actions sets (``INPUT_*``, ``GITHUB_*``), read once into options here."""

from __future__ import annotations

import argparse
import os
from typing import Any

from roadworthy.records import NamedTuple


class ActionOptions(NamedTuple):
    environ: tuple[tuple[str, str], ...]  # a frozen copy of the environment


def add_parser(commands: Any, name: str) -> None:
    action = commands.add_parser(
        name,
        help="run as the GitHub Action (reads the GITHUB_* and INPUT_* environment variables)",
    )
    action.set_defaults(from_args=from_args, run=run)


def from_args(args: argparse.Namespace) -> ActionOptions:
    return ActionOptions(tuple(sorted(os.environ.items())))


def run(options: ActionOptions) -> int:
    from roadworthy.github import job

    return job.run(dict(options.environ))

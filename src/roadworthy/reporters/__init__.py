"""Output formats: each module renders a `Report` to text, and decides nothing else.

`REPORTERS` is the one list of formats: ``--format``'s choices come from it. A reporter module is
imported only when its format is asked for, so a pre-commit run in text format never loads the
others.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from functools import partial

from roadworthy.findings import Report

Renderer = Callable[[Report], str]

# Format name → module in this package with ``render(report) -> str``.
REPORTERS: dict[str, str] = {
    "text": "text",
    "json": "json_",
    "sarif": "sarif",
    "github": "workflow_commands",
    "markdown": "summary",
    "junit": "junit",
}
_COLOURED = frozenset({"text"})  # their render() also takes color=
_THRESHOLD = frozenset({"junit"})  # their render() also takes fail_on= (what counts as failed)


def renderer(name: str, *, color: bool = False, fail_on: str = "error") -> Renderer:
    module = importlib.import_module(f"{__name__}.{REPORTERS[name]}")
    render: Renderer = module.render
    if name in _COLOURED:
        return partial(module.render, color=color)
    return partial(module.render, fail_on=fail_on) if name in _THRESHOLD else render

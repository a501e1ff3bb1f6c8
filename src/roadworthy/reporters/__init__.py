"""Output formats: each module renders a `Report` to text, and decides nothing else."""

from __future__ import annotations

from collections.abc import Callable

from roadworthy.findings import Report

Renderer = Callable[[Report], str]

FORMATS = ("text", "json", "sarif", "github", "markdown", "junit")


def renderer(name: str, *, color: bool = False) -> Renderer:
    # Imported on demand: a pre-commit run in text format never loads the other reporters.
    if name == "text":
        from roadworthy.reporters import text

        return lambda report: text.render(report, color=color)
    if name == "json":
        from roadworthy.reporters import json_

        return json_.render
    if name == "sarif":
        from roadworthy.reporters import sarif

        return sarif.render
    if name == "github":
        from roadworthy.reporters import workflow_commands as github

        return github.render
    if name == "markdown":
        from roadworthy.reporters import summary as markdown

        return markdown.render
    if name == "junit":
        from roadworthy.reporters import junit

        return junit.render
    raise KeyError(name)

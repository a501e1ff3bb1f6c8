"""One Markdown page per built-in rule, shipped with the package (``roadworthy rule CODE``)."""

from __future__ import annotations

from roadworthy.formats import packaged

REQUIRED_HEADINGS = (
    "## What it checks",
    "## Why it matters",
    "## Example",
    "## How to fix",
    "## Options",
)


def page(code: str) -> str | None:
    resource = packaged.path("ruledocs", f"{code}.md")
    return resource.read_text("utf-8") if resource.is_file() else None


def codes() -> list[str]:
    return sorted(
        p.name[:-3] for p in packaged.path("ruledocs").iterdir() if p.name.endswith(".md")
    )

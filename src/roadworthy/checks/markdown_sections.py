"""``markdown-sections``: a Markdown artifact has the required sections, and they are filled.

A section is found by its heading at any level, case-insensitively (``find_section``), and is
filled when its body holds real content, not just ``TODO``, ``TBD``, ``N/A``,
``[More Information Needed]``, template placeholders or lorem ipsum.

Options: ``artifact`` or ``paths``; ``sections`` (names, or ``{name, aliases}``);
``sections_for_risk`` (risk tier → more sections); ``aliases`` (section name → more headings
that count for it, so a policy adds a team's heading without restating the preset's list);
``required`` (default false: a missing file is
another rule's finding, e.g. ``file-exists``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from roadworthy.checks.base import TARGET_OPTIONS, Component, Context, Problem
from roadworthy.formats import markdown

KIND = "markdown-sections"
NEEDS_DIFF = False
_SECTION = {
    "oneOf": [
        {"type": "string", "minLength": 1},
        {
            "type": "object",
            "additionalProperties": False,
            "required": ["name"],
            "properties": {
                "name": {"type": "string", "minLength": 1},
                "aliases": {"type": "array", "items": {"type": "string", "minLength": 1}},
            },
        },
    ]
}
OPTIONS_SCHEMA: Mapping[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["sections"],
    "properties": {
        **TARGET_OPTIONS,
        "sections": {"type": "array", "minItems": 1, "items": _SECTION},
        "sections_for_risk": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": _SECTION},
        },
        "aliases": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string", "minLength": 1}},
        },
        "required": {"type": "boolean"},
    },
    "oneOf": [{"required": ["artifact"]}, {"required": ["paths"]}],
}


def option_problems(options: Mapping[str, Any]) -> Iterator[tuple[tuple[str, ...], str]]:
    """An alias for a section the rule does not ask for would never apply: said at load."""
    specs = [*options["sections"], *_flat(options.get("sections_for_risk", {}))]
    names = {_name(spec) for spec in specs}
    normalized = {markdown.normalize_title(n) for n in names}
    for name in options.get("aliases", {}):
        if markdown.normalize_title(name) not in normalized:
            known = ", ".join(sorted(names))
            yield ("aliases", name), f"options.aliases: no section {name!r} (sections: {known})"


def _name(spec: Any) -> str:
    return spec if isinstance(spec, str) else str(spec["name"])


def _flat(by_risk: Mapping[str, Any]) -> list[Any]:
    return [spec for specs in by_risk.values() for spec in specs]


def check(component: Component, ctx: Context, options: Mapping[str, Any]) -> Iterator[Problem]:
    path = ctx.locate(component, options)
    label = ctx.label(options)
    if path is None:
        if options.get("required", False):
            yield Problem(f"no {ctx.describe(options)} in {component.found.display_path}")
        return
    doc = ctx.reader.markdown(path)
    wanted = [
        *options["sections"],
        *options.get("sections_for_risk", {}).get(component.meta.risk, []),
    ]
    # Aliases added by section name, matched as headings are: case and punctuation aside.
    extra = {markdown.normalize_title(k): v for k, v in options.get("aliases", {}).items()}
    for spec in wanted:
        name, aliases = (
            (spec, []) if isinstance(spec, str) else (spec["name"], spec.get("aliases", []))
        )
        aliases = [*aliases, *extra.get(markdown.normalize_title(name), [])]
        section = markdown.find_section(doc, [name, *aliases])
        if section is None:
            yield Problem(
                f"{label} has no {name!r} section",
                path=path,
                fix=f"add a '## {name}' section to {path} and fill it in",
            )
        elif not section.filled:
            yield Problem(
                f"{label} section {name!r} is empty or only a placeholder",
                path=path,
                line=section.heading.line,
                fix=f"fill in the {name!r} section of {path}",
            )

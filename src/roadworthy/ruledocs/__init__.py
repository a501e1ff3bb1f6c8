"""Rule pages: one Markdown page per built-in rule, shipped with the package, and the page of a
rule an organisation defines in its policy, made from its fields in the same shape. The one place
a rule's documentation is rendered: ``roadworthy rule CODE`` and SARIF's rule help both use it.
"""

from __future__ import annotations

from roadworthy.findings import RuleInfo
from roadworthy.formats import packaged

REQUIRED_HEADINGS = (
    "## What it checks",
    "## Why it matters",
    "## Example",
    "## How to fix",
    "## Options",
)


def page(code: str) -> str | None:
    """The shipped page of a built-in rule."""
    resource = packaged.path("ruledocs", f"{code}.md")
    return resource.read_text("utf-8") if resource.is_file() else None


def codes() -> list[str]:
    return sorted(
        p.name[:-3] for p in packaged.path("ruledocs").iterdir() if p.name.endswith(".md")
    )


def render(rule: RuleInfo, *, check: str | None = None, help_url: str | None = None) -> str:
    """The rule's page: the shipped one, else one made from the policy's fields."""
    shipped = page(rule.code)
    if shipped is not None:
        return shipped + _references(rule)
    facts = [f"Default severity: {rule.severity.label}", f"Dimension: {rule.dimension}"]
    parts = [f"# {rule.code} {rule.name}", " · ".join([f"Check: `{check}`"] * bool(check) + facts)]
    for heading, text in (
        ("What it checks", rule.summary),
        ("Why it matters", rule.rationale),
        ("How to fix", rule.remediation),
    ):
        if text.strip():
            parts.append(f"## {heading}\n\n{text.strip()}")
    url = help_url or rule.help_url
    if url:
        parts.append(f"More: {url}")
    return "\n\n".join(parts) + "\n" + _references(rule)


def _references(rule: RuleInfo) -> str:
    """The framework clauses the policy in force cites for the rule (its ``refs``)."""
    if not rule.refs:
        return ""
    from roadworthy.formats import refs

    lines = []
    for text in rule.refs:
        ref = refs.parse(text)
        lines.append(f"- {ref.framework.name} {ref.clause}" if ref else f"- {text}")
    return "\n## Framework references\n\n" + "\n".join(lines) + "\n"

"""The check kinds, by name: one explicit table (grep here for "all checks")."""

from __future__ import annotations

from functools import cache

from roadworthy.checks import (
    codeowners,
    file_exists,
    freshness,
    front_matter,
    links,
    markdown_sections,
    schema,
)
from roadworthy.checks.base import Check
from roadworthy.validation import Validator

CHECKS: dict[str, Check] = {
    codeowners.KIND: codeowners,
    file_exists.KIND: file_exists,
    freshness.KIND: freshness,
    front_matter.KIND: front_matter,
    links.KIND: links,
    markdown_sections.KIND: markdown_sections,
    schema.KIND: schema,
}


@cache
def options_validator(kind: str) -> Validator:
    return Validator(CHECKS[kind].OPTIONS_SCHEMA)

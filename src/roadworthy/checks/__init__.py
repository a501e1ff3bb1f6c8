"""The check kinds, by name: one explicit table (grep here for "all checks")."""

from __future__ import annotations

from functools import cache

from roadworthy.checks import (
    approval,
    co_change,
    codeowners,
    contract_compat,
    deleted_artifact,
    evaluation,
    file_exists,
    freshness,
    front_matter,
    links,
    markdown_sections,
    promotion,
    schema,
    version_bump,
)
from roadworthy.checks.base import Check
from roadworthy.formats.validation import Validator

CHECKS: dict[str, Check] = {
    approval.KIND: approval,
    co_change.KIND: co_change,
    codeowners.KIND: codeowners,
    contract_compat.KIND: contract_compat,
    deleted_artifact.KIND: deleted_artifact,
    evaluation.KIND: evaluation,
    file_exists.KIND: file_exists,
    freshness.KIND: freshness,
    front_matter.KIND: front_matter,
    links.KIND: links,
    markdown_sections.KIND: markdown_sections,
    promotion.KIND: promotion,
    schema.KIND: schema,
    version_bump.KIND: version_bump,
}


@cache
def options_validator(kind: str) -> Validator:
    return Validator(CHECKS[kind].OPTIONS_SCHEMA)

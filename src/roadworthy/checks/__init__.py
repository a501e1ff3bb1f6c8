"""The check kinds, by name: one explicit table (grep here for "all checks").

A kind's module is imported the first time the table is asked for it: a policy names a few
kinds, and a pre-commit run pays for importing only those (each module's `KIND` is its key
here; `tests/checks/test_registry.py` holds them to it).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping
from functools import cache
from typing import cast

from roadworthy.checks.base import Check
from roadworthy.formats.validation import Validator

# kind → the module that implements it
_MODULES = {
    "approval": "roadworthy.checks.approval",
    "co-change": "roadworthy.checks.co_change",
    "codeowners": "roadworthy.checks.codeowners",
    "contract-compat": "roadworthy.checks.contract_compat",
    "deleted-artifact": "roadworthy.checks.deleted_artifact",
    "evaluation": "roadworthy.checks.evaluation",
    "file-exists": "roadworthy.checks.file_exists",
    "freshness": "roadworthy.checks.freshness",
    "front-matter": "roadworthy.checks.front_matter",
    "links": "roadworthy.checks.links",
    "markdown-sections": "roadworthy.checks.markdown_sections",
    "promotion": "roadworthy.checks.promotion",
    "schema": "roadworthy.checks.schema",
    "version-bump": "roadworthy.checks.version_bump",
}


class _Registry(Mapping[str, Check]):
    def __getitem__(self, kind: str) -> Check:
        return _load(_MODULES[kind])

    def __iter__(self) -> Iterator[str]:
        return iter(_MODULES)

    def __len__(self) -> int:
        return len(_MODULES)

    def __contains__(self, kind: object) -> bool:
        return isinstance(kind, str) and kind in _MODULES


@cache
def _load(module: str) -> Check:
    return cast(Check, importlib.import_module(module))


CHECKS: Mapping[str, Check] = _Registry()


@cache
def options_validator(kind: str) -> Validator:
    return Validator(CHECKS[kind].OPTIONS_SCHEMA)

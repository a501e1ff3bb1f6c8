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

# kind → module in roadworthy.checks
_MODULES = {
    "approval": "approval",
    "co-change": "co_change",
    "codeowners": "codeowners",
    "contract-compat": "contract_compat",
    "deleted-artifact": "deleted_artifact",
    "evaluation": "evaluation",
    "file-exists": "file_exists",
    "freshness": "freshness",
    "front-matter": "front_matter",
    "links": "links",
    "markdown-sections": "markdown_sections",
    "promotion": "promotion",
    "schema": "schema",
    "version-bump": "version_bump",
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
    return cast(Check, importlib.import_module(f"roadworthy.checks.{module}"))


CHECKS: Mapping[str, Check] = _Registry()


@cache
def options_validator(kind: str) -> Validator:
    return Validator(CHECKS[kind].OPTIONS_SCHEMA)

"""``schema``: a YAML or JSON artifact validates against a JSON Schema.

``schema: auto`` (the default) picks the shipped Open Data Contract Standard or Data Contract
Specification schema named by the file itself (``apiVersion`` / ``dataContractSpecification``);
otherwise ``schema`` is a repository-relative JSON or YAML schema file. YAML is read with JSON
types, so a date stays a string as the standards expect.

Options: ``artifact`` or ``paths``; ``schema``; ``max_errors`` (default 20 per file).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from roadworthy.checks.base import TARGET_OPTIONS, Component, Context, Problem
from roadworthy.formats import contracts
from roadworthy.formats.validation import (
    SCHEMA_SECONDS,
    InvalidSchema,
    ValidationTimeout,
    Validator,
    format_path,
)
from roadworthy.workspace.worktree import ArtifactError

KIND = "schema"
NEEDS_DIFF = False
OPTIONS_SCHEMA: Mapping[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        **TARGET_OPTIONS,
        "schema": {"type": "string", "minLength": 1},
        "max_errors": {"type": "integer", "minimum": 1},
    },
    "oneOf": [{"required": ["artifact"]}, {"required": ["paths"]}],
}


def check(component: Component, ctx: Context, options: Mapping[str, Any]) -> Iterator[Problem]:
    path = ctx.locate(component, options)
    if path is None:
        return
    doc = ctx.reader.yaml(path)
    schema = options.get("schema", "auto")
    if schema == "auto":
        try:
            standard = contracts.standard_of(doc.data)
        except contracts.UnknownStandard as exc:
            yield Problem(
                str(exc),
                path=path,
                line=1,
                fix="declare the standard in the file, or set options.schema to a schema file",
            )
            return
        label = standard.label
        validator = ctx.memo(
            ("schema", standard.schema_file),
            lambda: Validator(
                contracts.shipped_schema(standard.schema_file), seconds=SCHEMA_SECONDS
            ),
        )
    else:
        label = schema
        loaded = _repository_schema(ctx, schema)
        if isinstance(loaded, str):
            yield Problem(loaded, path=path, line=1, fix=f"fix or replace the schema {schema}")
            return
        validator = loaded
    try:
        issues = validator.issues(doc.data)
    except ValidationTimeout as exc:
        # No single artifact may stall a run: the file is named, and the run goes on.
        yield Problem(f"{path} not validated against {label}: {exc}", path=path, line=1)
        return
    except InvalidSchema as exc:
        yield Problem(
            f"schema {label} cannot be used: {exc}",
            path=path,
            line=1,
            fix=f"fix the schema {label}",
        )
        return
    limit = int(options.get("max_errors", 20))
    for issue in issues[:limit]:
        where = format_path(issue.path) or "the document"
        yield Problem(
            f"not valid against {label}: {where}: {issue.message}",
            path=path,
            line=ctx.reader.line_of(path, issue.path),
            fix=f"correct {where} in {path}",
        )
    if len(issues) > limit:
        more = len(issues) - limit
        noun = "error" if more == 1 else "errors"
        yield Problem(f"{more} more {noun} against {label} not shown", path=path, line=1)


def _repository_schema(ctx: Context, schema: str) -> Validator | str:
    def load() -> Validator | str:
        # Asked once per run with the schema itself, not once per component (9,000 lstats).
        if not ctx.reader.tree.exists(schema):
            return f"schema {schema} does not exist"
        try:
            data = ctx.reader.yaml(schema).data
        except ArtifactError as exc:
            return f"schema {schema} cannot be used: {exc.message}"
        if not isinstance(data, dict):
            return f"schema {schema} is not a JSON Schema object"
        return Validator(data, check_schema=True)

    result: Validator | str = ctx.memo(("schema", schema), load)
    return result

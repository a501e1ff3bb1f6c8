"""Helpers for the check-kind tests: a repository, a one-rule policy, the findings as tuples.

Each test states a repository (files) and the options of one rule ``ACME101`` of the kind under
test; the engine runs through the CLI's JSON output and the tests compare ``(code, path, line)``
tuples, never wording (wording is covered by the golden cases).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest

Finding = tuple[str, str, int]
CODE = "ACME101"


def one_rule_policy(check: str, options: Mapping[str, Any], **rule: Any) -> str:
    """A policy with roadworthy's own rules and ``ACME101`` only (JSON is YAML).

    ``MODEL_CARD.md`` is the model card, so that components take their metadata from it.
    """
    body = {"name": "under-test", "check": check, "dimension": "governance", "options": options}
    policy = {
        "version": 1,
        "artifacts": {"model_card": ["MODEL_CARD.md"]},
        "rules": {CODE: {**body, **rule}},
    }
    return json.dumps(policy, indent=1)


def findings(run_cli: Callable[..., Any], root: Path, *args: str) -> list[dict[str, Any]]:
    result = run_cli("check", "--format", "json", *args, cwd=root)
    assert result.exit_code in (0, 1), result.err
    assert "Traceback" not in result.err
    return list(json.loads(result.out)["findings"])


def triples(items: list[dict[str, Any]]) -> list[Finding]:
    return [(f["code"], f["path"], f["line"]) for f in items if f["waived_by"] is None]


@pytest.fixture()
def lint(
    make_repo: Callable[..., Any], run_cli: Callable[..., Any]
) -> Callable[..., list[Finding]]:
    """lint(files, check, options, *paths, **rule) -> active findings as (code, path, line)."""

    def run(
        files: Mapping[str, str | bytes],
        check: str | None = None,
        options: Mapping[str, Any] | None = None,
        *paths: str,
        **rule: Any,
    ) -> list[Finding]:
        content = dict(files)
        if check is not None:
            content["roadworthy.yaml"] = one_rule_policy(check, options or {}, **rule)
        repo = make_repo(content)
        return triples(findings(run_cli, repo.path, *paths))

    return run


@pytest.fixture()
def lint_json(
    make_repo: Callable[..., Any], run_cli: Callable[..., Any]
) -> Callable[..., list[dict[str, Any]]]:
    """Like ``lint`` but the findings as the JSON report gives them (for severity, component)."""

    def run(
        files: Mapping[str, str | bytes], check: str, options: Mapping[str, Any], **rule: Any
    ) -> list[dict[str, Any]]:
        content = {**files, "roadworthy.yaml": one_rule_policy(check, options, **rule)}
        return findings(run_cli, make_repo(content).path)

    return run


@pytest.fixture(autouse=True)
def _crash_files_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A check that crashes writes a crash file; keep those out of the machine's /tmp.
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))

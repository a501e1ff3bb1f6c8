"""The small commands: rule documentation, policy validation, the policy schema."""

from __future__ import annotations

import difflib
import json
import sys
from pathlib import Path
from typing import Any

from roadworthy import pipeline, ruledocs
from roadworthy.errors import UsageError
from roadworthy.policy.load import load_policy, policy_schema
from roadworthy.policy.model import Policy, Rule


def _catalogue() -> Policy:
    """The rules roadworthy ships: its own and the recommended preset's."""
    return load_policy(pipeline.file_reader(Path.cwd()), None)


def rule(key: str | None) -> int:
    rules = _catalogue().rules
    if key is None:
        width = max(len(r.name) for r in rules)
        for r in rules:
            severity = r.severity.label
            print(f"{r.code}  {r.name:<{width}}  {severity:<7}  {r.dimension:<12}  {r.summary}")
        return 0
    found = _find(rules, key)
    print(ruledocs.page(found.code) or _generated_page(found), end="")
    return 0


def _find(rules: tuple[Rule, ...], key: str) -> Rule:
    for r in rules:
        if key.upper() == r.code or key.lower() == r.name:
            return r
    close = difflib.get_close_matches(
        key.lower(), [r.name for r in rules] + [r.code.lower() for r in rules], n=3
    )
    hint = f" (did you mean {', '.join(close)}?)" if close else "; `roadworthy rule` lists them"
    raise UsageError(f"unknown rule {key!r}{hint}")


def _generated_page(r: Rule) -> str:
    parts = [
        f"# {r.code} {r.name}\n",
        f"Check: `{r.check}` · Default severity: {r.severity.label} · Dimension: {r.dimension}\n",
    ]
    for heading, text in (
        ("What it checks", r.summary),
        ("Why it matters", r.rationale),
        ("How to fix", r.remediation),
    ):
        if text:
            parts.append(f"## {heading}\n{text}\n")
    if r.help_url:
        parts.append(f"More: {r.help_url}\n")
    return "\n".join(parts)


def validate_policy(file: str, cwd: Path) -> int:
    target = (cwd / file).resolve()
    if not target.is_file():
        raise UsageError(f"{file}: no such file")
    repo = pipeline.locate([str(target.parent)], cwd)
    label = pipeline.policy_label(str(target), repo.root, cwd)
    policy = load_policy(pipeline.file_reader(repo.root), label)
    enabled = sum(1 for r in policy.rules if r.enabled)
    print(
        f"{label}: valid ({len(policy.rules)} rules, {enabled} enabled; "
        f"{len(policy.waivers)} waiver(s); {policy.digest})"
    )
    return 0


def schema(*, print_path: bool) -> int:
    if print_path:
        from roadworthy.formats import packaged

        print(packaged.path("schemas", "policy.schema.json"))
        return 0
    sys.stdout.write(json.dumps(policy_schema(), indent=2) + "\n")
    return 0


def approve(args: Any) -> int:
    from roadworthy.commands.approve import approve as append_approval

    if args.governance and args.component:
        raise UsageError("--governance approves the governance files; do not name a component")
    done = append_approval(
        args.component,
        by=args.by,
        ticket=args.ticket,
        note=args.note,
        governance=args.governance,
        cwd=Path.cwd(),
    )
    for warning in done.warnings:
        print(f"roadworthy: note: {warning}", file=sys.stderr)
    covered = ", ".join(done.files) or "nothing"
    if done.removal:
        covered = f"the removal of {covered}"
    print(
        f"{done.ledger}: approval {done.number} appended ({done.digest[:19]}…, covering {covered})"
    )
    print(f"commit {done.ledger} with the change it approves")
    return 0

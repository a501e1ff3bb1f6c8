"""``roadworthy rule``, ``validate-policy`` and ``schema``: what the policy language says."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from roadworthy.commands import cwd
from roadworthy.records import NamedTuple

if TYPE_CHECKING:
    from pathlib import Path

    from roadworthy.policy.model import Rule


class RuleOptions(NamedTuple):
    key: str | None  # a code or a name; None lists every rule
    cwd: Path


class ValidateOptions(NamedTuple):
    file: str
    cwd: Path


class SchemaOptions(NamedTuple):
    print_path: bool
    name: str = "policy"  # which shipped schema: SCHEMAS


# The JSON Schemas `roadworthy schema NAME` prints: what users write for roadworthy to read.
SCHEMAS = {
    "policy": "policy.schema.json",
    "evaluation": "evaluation.schema.json",
    "attestations": "attestations.schema.json",
    "evidence": "evidence.schema.json",
}


def add_parser(commands: Any, name: str) -> None:
    if name == "rule":
        rule = commands.add_parser(
            name, help="a rule's documentation (all rules without an argument)"
        )
        rule.add_argument("rule", nargs="?", metavar="CODE|NAME")
        rule.set_defaults(from_args=lambda a: RuleOptions(a.rule, cwd()), run=run_rule)
    elif name == "validate-policy":
        validate = commands.add_parser(name, help="load and validate a policy file only")
        validate.add_argument("file", metavar="FILE")
        validate.set_defaults(from_args=lambda a: ValidateOptions(a.file, cwd()), run=run_validate)
    else:
        schema = commands.add_parser(
            name, help="print the JSON Schema of the policy file (or of an evaluation report)"
        )
        schema.add_argument(
            "name", nargs="?", choices=tuple(SCHEMAS), default="policy", help="default: policy"
        )
        schema.add_argument("--path", action="store_true", help="print where the schema file is")
        schema.set_defaults(from_args=_schema_options, run=run_schema)


def _schema_options(args: argparse.Namespace) -> SchemaOptions:
    return SchemaOptions(args.path, args.name)


def run_rule(options: RuleOptions) -> int:
    from roadworthy import pipeline, ruledocs
    from roadworthy.policy.load import find_policy_file, load_policy

    # The rules in force where it runs: the repository's policy (with the framework presets it
    # extends, and their clause references), else roadworthy's own and the recommended preset's.
    root = pipeline.locate([], options.cwd).root
    read = pipeline.file_reader(root)
    rules = load_policy(read, find_policy_file(read)).rules
    if options.key is None:
        print("\n".join(_listing(rules)))
        return 0
    found = _find(rules, options.key) if _known(rules, options.key) else None
    if found is None:
        found = _find(_preset_rules(), options.key)  # a framework preset's, not in force here
        print(ruledocs.render(found.info()._replace(refs=()), check=found.check), end="")
        return 0
    print(ruledocs.render(found.info(), check=found.check), end="")
    return 0


def _known(rules: tuple[Rule, ...], key: str) -> bool:
    return any(key.upper() == r.code or key.lower() == r.name for r in rules)


def _preset_rules() -> tuple[Rule, ...]:
    """Every shipped preset's rules (``extends: [NAME]`` for each preset)."""
    from roadworthy.policy.load import load_policy
    from roadworthy.policy.presets import preset_names

    out: dict[str, Rule] = {}
    for name in preset_names():
        text = f"version: 1\nextends: [{name}]\n"

        def read(path: str, text: str = text) -> str | None:
            return text if path == "roadworthy.yaml" else None

        policy = load_policy(read, "roadworthy.yaml")
        out.update({r.code: r for r in policy.rules if r.code not in out})
    return tuple(out.values())


def _listing(rules: tuple[Rule, ...]) -> list[str]:
    """Each rule in two lines that fit a 100-column terminal: code, name, severity and
    dimension, then the summary, wrapped under the name."""
    import textwrap

    lines = []
    for r in rules:
        lines.append(f"{r.code}  {r.name}  ({r.severity.label}, {r.dimension})")
        indent = " " * (len(r.code) + 2)
        lines += textwrap.wrap(r.summary, 99, initial_indent=indent, subsequent_indent=indent)
    return lines


def _find(rules: tuple[Rule, ...], key: str) -> Rule:
    import difflib

    from roadworthy.errors import UsageError

    for r in rules:
        if key.upper() == r.code or key.lower() == r.name:
            return r
    close = difflib.get_close_matches(
        key.lower(), [r.name for r in rules] + [r.code.lower() for r in rules], n=3
    )
    hint = f" (did you mean {', '.join(close)}?)" if close else "; `roadworthy rule` lists them"
    raise UsageError(f"unknown rule {key!r}{hint}")


def run_validate(options: ValidateOptions) -> int:
    from roadworthy import pipeline
    from roadworthy.errors import UsageError
    from roadworthy.policy.load import load_policy

    cwd = options.cwd
    target = (cwd / options.file).resolve()
    if not target.is_file():
        raise UsageError(f"{options.file}: no such file")
    repo = pipeline.locate([str(target.parent)], cwd)
    label = pipeline.policy_label(str(target), repo.root, cwd)
    policy = load_policy(pipeline.file_reader(repo.root), label)
    enabled = sum(1 for r in policy.rules if r.enabled)
    print(
        f"{label}: valid ({len(policy.rules)} rules, {enabled} enabled; "
        f"{len(policy.waivers)} waiver{'' if len(policy.waivers) == 1 else 's'}; {policy.digest})"
    )
    return 0


def run_schema(options: SchemaOptions) -> int:
    from roadworthy.formats import packaged

    file = SCHEMAS[options.name]
    if options.print_path:
        print(packaged.path("schemas", file))
        return 0
    import json

    schema = json.loads(packaged.read_text("schemas", file))
    sys.stdout.write(json.dumps(schema, indent=2) + "\n")
    return 0

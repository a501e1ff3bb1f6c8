"""``roadworthy init``: a commented policy file, and for each component the artifacts it lacks.

Components are discovered as ``check`` discovers them, under the repository's policy if it has
one, else the recommended preset. ``roadworthy.yaml`` is written unless a policy file exists;
for each component, each missing artifact (model card, data contract, runbook, rollback plan)
the policy asks of it (for its stage and risk, unless waived) is written from the templates in
``roadworthy/templates`` to the first literal place the policy allows; an evaluation report only
where the policy's ``stages`` set criteria for some stage at the component's risk (its TODOs
make it invalid until filled in: RW208); more than `HANDFUL` files need ``--yes``. Nothing
existing is ever overwritten, and ``--dry-run`` writes nothing.

The templates hold placeholders that ``check`` reports, each with its file and line, until they
are filled in: Markdown sections holding only ``TODO:`` lines are empty (RW201, RW205); the
model card's front matter says ``TODO`` where a version, a date, a risk tier, a stage and owners
belong (RW203, RW004, and RW301 until someone owns the component); the data contract is an ODCS
v3 skeleton whose empty values (``id:``, ``version:``, ...) are not the strings the standard
requires (RW202). Its ``status`` is ``draft``, which is valid and stays valid: the standard has
no field that could mark a skeleton, so the empty values do. Sections and front-matter keys the
policy requires beyond the templates' are added as ``TODO`` too.
"""

from __future__ import annotations

import datetime as dt
import json
import posixpath
import re
import sys
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from string import Template
from typing import Any

from roadworthy import lazyre, pipeline
from roadworthy.artifacts import ArtifactReader
from roadworthy.discovery import Found, discover
from roadworthy.errors import UsageError
from roadworthy.formats import markdown, packaged
from roadworthy.formats.globs import GlobSet
from roadworthy.metadata import resolve
from roadworthy.policy.load import find_policy_file, load_policy
from roadworthy.policy.model import STAGES, Candidate, Policy
from roadworthy.templates import TEMPLATES, needs
from roadworthy.workspace.worktree import WorkTree

POLICY_FILE = "roadworthy.yaml"
# On a repository with many models, init would scatter templates through it: beyond this many
# files it lists them and asks for --yes (a first run should not surprise anyone's `git status`).
HANDFUL = 10
WAIVER_EXAMPLE_DAYS = 90
_GLOB = lazyre.compile(r"[*?\[\]{}]")
_NAME = lazyre.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")


@dataclass(frozen=True)
class Planned:
    path: str  # repository-relative, POSIX
    text: str


def run(
    path: str, cwd: Path, *, dry_run: bool, yes: bool = False, given: Mapping[str, str] = {}
) -> int:
    """``given``: ``stage`` and ``risk`` for components that do not declare them (--stage,
    --risk), written to the cards init writes and used to decide what they need."""
    repo = pipeline.locate([path], cwd)
    read = pipeline.file_reader(repo.root)
    policy_file = find_policy_file(read)
    policy = load_policy(read, policy_file)
    needs.check_given(given, policy)
    tree = WorkTree(repo.root, is_git=repo.is_git, max_file_size=policy.max_file_size)
    has_policy = policy_file is not None
    planned = plan(
        tree, policy, has_policy=has_policy, today=pipeline.today(), only=repo.only, given=given
    )
    if len(planned) > HANDFUL and not (dry_run or yes):
        raise _too_many(planned, repo.only)
    verb = "would create" if dry_run else "created"
    from roadworthy.workspace.write import inside

    for item in planned:
        inside(repo.root, item.path)  # every target is checked before anything is written
    for item in planned:
        if not dry_run:
            write_new(repo.root, item)
        print(f"{verb} {item.path}")
    if policy_file is not None:
        print(f"roadworthy init: kept {policy_file}", file=sys.stderr)
    print(_closing(planned, dry_run=dry_run, is_git=repo.is_git), file=sys.stderr)
    return 0


def _too_many(planned: list[Planned], only: Sequence[str] | None) -> UsageError:
    folders = sorted({posixpath.dirname(p.path) or "." for p in planned})
    shown = ", ".join(folders[:4]) + (f" and {len(folders) - 4} more" if len(folders) > 4 else "")
    scope = "" if only else " or name the components to start with (`roadworthy init models/a`)"
    return UsageError(
        f"init would write {len(planned)} files in {len(folders)} folders ({shown}); nothing"
        f" written: `roadworthy init --dry-run` lists them, --yes writes them{scope}"
    )


def _closing(planned: list[Planned], *, dry_run: bool, is_git: bool) -> str:
    if not planned:
        return "roadworthy init: nothing to write; every component has its artifacts"
    count = f"{len(planned)} file{'s' if len(planned) != 1 else ''}"
    if dry_run:
        return f"roadworthy init: would write {count} (dry run: nothing written)"
    # In a repository, check reads the tracked files: new files count once they are added.
    add = " `git add` the files," if is_git else ""
    return f"roadworthy init: wrote {count}. Replace the TODOs,{add} then run `roadworthy check`."


def write_new(root: Path, item: Planned) -> None:
    """Write a planned file atomically, never through a symlink or out of the repository; a file
    that appeared since planning is left alone."""
    from roadworthy.workspace.write import write_inside

    target = root / item.path
    if target.exists() or target.is_symlink():
        return
    write_inside(root, item.path, item.text)


def plan(
    tree: WorkTree,
    policy: Policy,
    *,
    has_policy: bool,
    today: dt.date,
    only: Sequence[str] | None = None,
    given: Mapping[str, str] = {},
) -> list[Planned]:
    discovered = discover(tree, policy.discovery, tree.root.name, only)
    planned: list[Planned] = []
    if not has_policy:
        planned.append(Planned(POLICY_FILE, policy_text(discovered.components, policy, today)))
    reader = ArtifactReader(tree)
    for found in discovered.components:
        component = resolve(found, reader, policy)
        # What the component declares itself wins over --stage/--risk.
        own = {k: v for k, v in given.items() if k not in component.meta.sources}
        meta = component.meta
        stage, risk = own.get("stage", meta.stage), own.get("risk", meta.risk)
        component = component._replace(meta=meta._replace(stage=stage, risk=risk))
        wanted = needs.required(component, policy, today)
        planned += _artifacts(found, reader, policy, wanted, own)
    return planned


def _artifacts(
    found: Found,
    reader: ArtifactReader,
    policy: Policy,
    wanted: Collection[str],
    given: Mapping[str, str],
) -> Iterator[Planned]:
    for artifact, template in TEMPLATES.items():
        if artifact == "evaluation_report":  # the stages' criteria decide, not a rule
            if not _has_criteria(found, reader, policy):
                continue
        elif artifact not in wanted:
            continue
        candidates = policy.artifacts.get(artifact)
        if not candidates or reader.locate(found.path, found.files, candidates) is not None:
            continue
        target = _target(found, candidates, template, reader)
        if target is None:
            continue
        text = _fill(template, found, policy)
        if template.endswith(".md"):
            text = _complete(text, artifact, policy)
        if artifact == "model_card":
            for key, value in given.items():  # a validated word: no escapes
                text = re.sub(rf"(?m)^{key}: TODO", f"{key}: {value}", text)
        yield Planned(target, text)


def _has_criteria(found: Found, reader: ArtifactReader, policy: Policy) -> bool:
    """Whether the policy's ``stages`` set criteria for some stage at the component's risk:
    its evidence then decides which stages it may hold (its own stage is often not written yet
    when ``init`` runs)."""
    if not policy.stages:
        return False
    from roadworthy.metadata import resolve

    risk = resolve(found, reader, policy).meta.risk
    return any(policy.criteria(stage, risk) is not None for stage in STAGES)


def _target(
    found: Found, candidates: Sequence[Candidate], template: str, reader: ArtifactReader
) -> str | None:
    """Where to write an artifact: the first place the policy allows (a literal path, or one
    ``*`` standing for the component's name), else the template's name if the policy's globs
    take it. None when a file is already in one of those places, tracked or not: it is the
    user's, and only waits for ``git add``.
    """
    free = None
    for candidate in candidates:
        path = _place(found, candidate.pattern)
        if path is None:
            continue
        if reader.tree.exists(path):
            if reader.is_candidate(path, candidate):
                return None
        elif free is None:
            free = path
    if free is None and any(GlobSet([c.pattern]).match(template) for c in candidates):
        fallback = found.join(template)
        return None if reader.tree.exists(fallback) else fallback
    return free


def _place(found: Found, pattern: str) -> str | None:
    if _GLOB.search(pattern):
        stem = posixpath.basename(found.name)
        if pattern.count("*") != 1 or _GLOB.search(pattern.replace("*", "")):
            return None
        if not _NAME.fullmatch(stem):
            return None
        pattern = pattern.replace("*", stem)
    return found.join(pattern)


def _fill(template: str, found: Found, policy: Policy) -> str:
    text = packaged.read_text("templates", template)
    return Template(text).substitute(
        component=found.name,
        path=found.display_path,
        risks=_either(policy.risks),
    )


def _complete(text: str, artifact: str, policy: Policy) -> str:
    """The template plus any section or front-matter key the policy requires that it lacks."""
    for options in _rule_options(policy, "markdown-sections", artifact):
        wanted = [*options["sections"]]
        for extra in options.get("sections_for_risk", {}).values():
            wanted += extra
        for spec in wanted:
            names = [spec] if isinstance(spec, str) else [spec["name"], *spec.get("aliases", [])]
            if markdown.find_section(markdown.parse(text), names) is None:
                text += f"\n## {names[0]}\n\nTODO: fill in this section.\n"
    for options in _rule_options(policy, "front-matter", artifact):
        for key in options["keys"]:
            text = _with_key(text, key)
    return text


def _with_key(text: str, key: str) -> str:
    """``key:`` added to the front matter, empty (so it reads as missing) unless present."""
    front = markdown.parse(text).front_matter
    if front is None:
        return text
    lines = text.split("\n")
    closing = front.end_line - 1
    if any(line.split(":", 1)[0] == key for line in lines[1:closing]):
        return text
    lines.insert(closing, f"{key}:  # TODO")
    return "\n".join(lines)


def _rule_options(policy: Policy, check: str, artifact: str) -> Iterator[Any]:
    for rule in policy.rules:
        if rule.enabled and rule.check == check and rule.options.get("artifact") == artifact:
            yield rule.options


def policy_text(components: Sequence[Found], policy: Policy, today: dt.date) -> str:
    names = [c.name for c in components if _NAME.fullmatch(c.name)]
    text = packaged.read_text("templates", POLICY_FILE)
    return Template(text).substitute(
        found=(
            "`roadworthy init` found the ones declared below."
            if components
            else "None were found yet; the entry below is an example."
        ),
        components=_declare_block(components, policy),
        waiver_component=names[0] if names else "fraud-model",
        expires=(today + dt.timedelta(days=WAIVER_EXAMPLE_DAYS)).isoformat(),
    )


def _declare_block(components: Sequence[Found], policy: Policy) -> str:
    entries = [(c.name if _NAME.fullmatch(c.name) else None, c.display_path) for c in components]
    lines = []
    for name, path in entries or [("fraud-model", "models/fraud")]:
        fields = [f"name: {name}"] if name else []
        fields += [
            f"path: {_yaml_string(path)}",
            f"risk: TODO        # {_either(policy.risks)}",
            f"stage: TODO       # {_either(STAGES)}",
            'owners: [TODO]    # handles: "@org/team", "@user" or an e-mail',
        ]
        lines.append(f"#     - {fields[0]}")
        lines += [f"#       {field}" for field in fields[1:]]
    return "\n".join(lines)


def _yaml_string(text: str) -> str:
    plain = re.fullmatch(r"[A-Za-z0-9_./-]+", text) and text != "."
    return text if plain else json.dumps(text, ensure_ascii=False)  # JSON strings are YAML


def _either(words: Sequence[str]) -> str:
    return ", ".join(words[:-1]) + f" or {words[-1]}" if len(words) > 1 else "".join(words)

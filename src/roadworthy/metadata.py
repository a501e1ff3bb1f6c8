"""A component's metadata: risk, stage, owners, version, last review.

Each key comes from the policy's ``declare`` entry, else the model card's YAML front matter, else
``component.yaml`` (or ``model.yaml``) in the component folder. An undeclared stage reads as
``autonomous`` (every stage-gated rule applies) and an undeclared risk as ``limited``. Values
that are not understood become ``RW004 invalid-component-metadata`` problems and the default is
used, so one typo never hides the component.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import lru_cache
from types import MappingProxyType
from typing import Any

from roadworthy import lazyre
from roadworthy.artifacts import ArtifactReader
from roadworthy.discovery import Found
from roadworthy.findings import Problem
from roadworthy.formats.globs import GlobSet
from roadworthy.policy.model import (
    DEFAULT_RISK,
    DEFAULT_STAGE,
    RACI_ROLES,
    STAGES,
    Owner,
    Policy,
    Scope,
)
from roadworthy.records import NamedTuple
from roadworthy.workspace.worktree import ArtifactError

KEYS = ("risk", "stage", "owners", "version", "last_reviewed")
SIDECARS = ("component.yaml", "model.yaml")
HANDLE = lazyre.compile(
    r"@[A-Za-z0-9][A-Za-z0-9_.-]*(/[A-Za-z0-9][A-Za-z0-9_.-]*)?|[^@\s]+@[^@\s]+"
)


class Metadata(NamedTuple):
    risk: str = DEFAULT_RISK
    stage: str = DEFAULT_STAGE
    owners: tuple[Owner, ...] = ()
    version: Any = None
    last_reviewed: Any = None
    sources: Mapping[str, str] = MappingProxyType({})  # key → "policy", a file path
    problems: tuple[Problem, ...] = ()


class Component(NamedTuple):
    """A discovered component with its metadata resolved: what checks are given."""

    found: Found
    meta: Metadata
    card: str | None  # the model card's path, if the component has one

    @property
    def name(self) -> str:
        return self.found.name

    @property
    def path(self) -> str:
        return self.found.path


def resolve(found: Found, reader: ArtifactReader, policy: Policy) -> Component:
    layers: list[tuple[str, Mapping[str, Any], int | None]] = []
    if found.declared is not None:
        layers.append((policy.location.path, found.declared.fields, found.declared.location.line))
    card = _card(found, reader, policy)
    if card is not None:
        front = _quietly(lambda: reader.front_matter(card))
        if front:
            layers.append((card, front, None))
    for name in SIDECARS:
        sidecar = found.join(name)
        if sidecar in found.files:
            data = _quietly(lambda: reader.yaml(sidecar).data)  # noqa: B023 - called at once
            if isinstance(data, dict):
                layers.append((sidecar, data, None))
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for source, data, _ in layers:
        for key in KEYS:
            if key not in values and data.get(key) is not None:
                values[key] = data[key]
                sources[key] = source

    def line_of(source: str, key: str) -> int | None:
        if found.declared is not None and source == policy.location.path:
            return found.declared.location.line
        found_line: int | None = _quietly(
            lambda: (
                reader.front_matter_line(source, key)
                if source == card
                else reader.line_of(source, (key,))
            )
        )
        return found_line

    return Component(found, _build(values, sources, policy, line_of), card)


def _card(found: Found, reader: ArtifactReader, policy: Policy) -> str | None:
    candidates = policy.artifacts.get("model_card")
    return reader.locate(found.path, found.files, candidates) if candidates else None


def _quietly(load: Any) -> Any:
    try:
        return load()
    except ArtifactError:
        return None  # the reader remembers it; the engine reports it as RW001


def _build(
    values: dict[str, Any],
    sources: dict[str, str],
    policy: Policy,
    line_of: Callable[[str, str], int | None],
) -> Metadata:
    problems: list[Problem] = []

    def bad(key: str, message: str, fix: str) -> None:
        source = sources[key]
        line = line_of(source, key)
        problems.append(
            Problem(f"{key} {message} (from {source})", path=source, line=line, fix=fix)
        )

    risk = values.get("risk", DEFAULT_RISK)
    if risk not in policy.risks:
        bad(
            "risk",
            f"{risk!r} is not a risk tier of the policy",
            f"use one of: {', '.join(policy.risks)}",
        )
        risk = DEFAULT_RISK if DEFAULT_RISK in policy.risks else policy.risks[-1]
    stage = values.get("stage", DEFAULT_STAGE)
    if stage not in STAGES:
        bad("stage", f"{stage!r} is not a stage", f"use one of: {', '.join(STAGES)}")
        stage = DEFAULT_STAGE
    owners: tuple[Owner, ...] = ()
    if "owners" in values:
        owners, message = parse_owners(values["owners"])
        if message:
            bad(
                "owners",
                message,
                "list handles (@user, @org/team, e-mail) or map RACI roles to them",
            )
    return Metadata(
        risk=str(risk),
        stage=str(stage),
        owners=owners,
        version=values.get("version"),
        last_reviewed=values.get("last_reviewed"),
        sources=sources,
        problems=tuple(problems),
    )


def parse_owners(raw: Any) -> tuple[tuple[Owner, ...], str | None]:
    """Owners as written in a card or declare entry: handles, or RACI roles mapped to handles."""
    if isinstance(raw, str):
        raw = [raw]
    pairs: list[tuple[str | None, Any]]
    if isinstance(raw, list):
        pairs = [(None, h) for h in raw]
    elif isinstance(raw, dict):
        unknown = [r for r in raw if r not in RACI_ROLES]
        if unknown:
            return (), f"has unknown role {unknown[0]!r} (roles: {', '.join(RACI_ROLES)})"
        pairs = [
            (role, h) for role, hs in raw.items() for h in (hs if isinstance(hs, list) else [hs])
        ]
    else:
        return (), "must be a list of handles or a mapping of RACI roles"
    owners = []
    for role, handle in pairs:
        if not isinstance(handle, str) or not HANDLE.fullmatch(handle):
            return (), f"has {handle!r}, which is not a handle (@user, @org/team or an e-mail)"
        owners.append(Owner(handle, role))
    return tuple(owners), None


def in_scope(scope: Scope, component: Component) -> bool:
    """Whether a rule's ``applies_to`` selects the component (risk, stage, name, path)."""
    meta = component.meta
    if scope.risks is not None and meta.risk not in scope.risks:
        return False
    if scope.stages is not None and meta.stage not in scope.stages:
        return False
    if scope.components is not None and component.name not in scope.components:
        return False
    return not scope.paths or _globs(scope.paths).match_dir(component.path)


@lru_cache(maxsize=256)
def _globs(patterns: tuple[str, ...]) -> GlobSet:
    return GlobSet(patterns)

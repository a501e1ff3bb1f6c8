"""The policy after loading: frozen data. Nothing after `policy.load` sees raw YAML."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from roadworthy.errors import Location
from roadworthy.findings import Severity

STAGES = ("shadow", "advisory", "supervised", "autonomous")
DEFAULT_RISKS = ("minimal", "limited", "high")
# Undeclared metadata is read in the strictest way for stage (every stage-gated rule applies)
# and as the middle tier for risk; both are documented in docs/policy.md.
DEFAULT_STAGE = "autonomous"
DEFAULT_RISK = "limited"
RACI_ROLES = ("responsible", "accountable", "consulted", "informed")

DEFAULT_MARKERS = (
    "**/*.onnx",
    "**/*.safetensors",
    "**/*.pt",
    "**/*.pth",
    "**/*.gguf",
    "**/*.h5",
    "**/*.keras",
    "**/*.joblib",
    "**/*.pkl",
    "**/MLmodel",
    "**/model.yaml",
)


# Stands in for a list item of a policy file that failed the schema (so later indices keep
# their recorded positions); the merge skips it.
PRUNED: dict[str, Any] = {"__pruned__": True}


@dataclass(frozen=True)
class Candidate:
    """One place an artifact may live, relative to the component folder (a glob)."""

    pattern: str
    front_matter: bool = False


@dataclass(frozen=True)
class Owner:
    handle: str
    role: str | None = None


@dataclass(frozen=True)
class Declared:
    path: str
    name: str | None
    fields: Mapping[str, Any]  # risk, stage, owners, version, last_reviewed as written
    location: Location


@dataclass(frozen=True)
class Discovery:
    markers: tuple[str, ...]
    exclude: tuple[str, ...]
    declare: tuple[Declared, ...]

    @property
    def declared_only(self) -> bool:
        return not self.markers


@dataclass(frozen=True)
class Scope:
    risks: frozenset[str] | None = None  # None: any
    stages: frozenset[str] | None = None
    paths: tuple[str, ...] = ()
    components: frozenset[str] | None = None


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    check: str
    options: Mapping[str, Any]
    severity: Severity
    dimension: str
    scope: Scope = field(default_factory=Scope)
    enabled: bool = True
    locked: bool = False
    summary: str = ""
    rationale: str = ""
    remediation: str = ""
    help_url: str | None = None
    location: Location | None = None
    key_locations: Mapping[str, Location] = field(
        default_factory=dict
    )  # where each key was last set


@dataclass(frozen=True)
class Waiver:
    id: str
    rules: tuple[str, ...]  # codes, resolved from codes or names
    component: str | None
    paths: tuple[str, ...]
    owner: str
    reason: str
    expires: dt.date
    location: Location


@dataclass(frozen=True)
class Policy:
    sources: tuple[str, ...]
    digest: str
    risks: tuple[str, ...]
    artifacts: Mapping[str, tuple[Candidate, ...]]
    discovery: Discovery
    rules: tuple[Rule, ...]
    waivers: tuple[Waiver, ...]
    max_file_size: int
    fail_on: str | None
    change_control: Mapping[str, Any]
    people: Mapping[str, tuple[str, ...]]
    location: Location  # the file the repository's policy came from (or the preset)
    data: Mapping[str, Any]  # the merged document, for digests and policy comparisons
    key_locations: Mapping[str, Location] = field(default_factory=dict)  # top-level keys

    def rule(self, code: str) -> Rule | None:
        for rule in self.rules:
            if rule.code == code:
                return rule
        return None

    def risk_rank(self, risk: str) -> int:
        return self.risks.index(risk) if risk in self.risks else len(self.risks)

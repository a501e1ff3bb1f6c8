"""The policy after loading: frozen data. Nothing after `policy.load` sees raw YAML."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from roadworthy.errors import Location
from roadworthy.findings import RuleInfo, Severity
from roadworthy.formats.evaluation import Threshold
from roadworthy.formats.globs import GlobSet
from roadworthy.records import NamedTuple

STAGES = ("shadow", "advisory", "supervised", "autonomous")
DEFAULT_RISKS = ("minimal", "limited", "high")
# Undeclared metadata is read in the strictest way for stage (every stage-gated rule applies)
# and as the middle tier for risk; both are documented in docs/policy.md.
DEFAULT_STAGE = "autonomous"
DEFAULT_RISK = "limited"
RACI_ROLES = ("responsible", "accountable", "consulted", "informed")

# Weights formats that name a model on their own (the table in `roadworthy rule RW401`).
DEFAULT_MARKERS = (
    "**/*.onnx",
    "**/*.safetensors",
    "**/*.pt",
    "**/*.pth",
    "**/pytorch_model.bin",  # Hugging Face
    "**/*.bin",  # only beside a config.json (MARKER_COMPANIONS): too common a name alone
    "**/*.ckpt",
    "**/*.gguf",
    "**/*.h5",
    "**/*.keras",
    "**/*.tflite",
    "**/saved_model.pb",
    "**/*.msgpack",
    "**/*.npz",
    "**/*.joblib",
    "**/*.pkl",
    "**/*.ubj",
    "**/*.mar",
    "**/*.engine",
    "**/*.plan",
    "**/*.mlmodel",
    "**/MLmodel",
    "**/model.yaml",  # unless a Kubernetes manifest (markers.py)
    "**/*.dvc",  # when it tracks weights (markers.py)
    "**/dvc.yaml",  # when a stage makes weights or an artifact is `type: model`
)

# A default marker pattern that marks a component only when the named file sits in the same
# folder: Hugging Face, CTranslate2 and PEFT folders hold `*.bin` weights beside their
# `config.json`. (A policy that lists markers itself means each as written.)
MARKER_COMPANIONS: Mapping[str, str] = MappingProxyType({"**/*.bin": "config.json"})


NO_LOCATIONS: Mapping[str, Location] = MappingProxyType({})

# Stands in for a list item of a policy file that failed the schema (so later indices keep
# their recorded positions); the merge skips it.
PRUNED: dict[str, Any] = {"__pruned__": True}


class Candidate(NamedTuple):
    """One place an artifact may live, relative to the component folder (a glob)."""

    pattern: str
    front_matter: bool = False
    # With front_matter: the file counts only when its front matter has one of these keys (a
    # Hugging Face card's ``license``, ``tags``...; a Spaces or Jekyll README has other keys).
    keys: tuple[str, ...] = ()


class Owner(NamedTuple):
    handle: str
    role: str | None = None


class Declared(NamedTuple):
    path: str
    name: str | None
    fields: Mapping[str, Any]  # risk, stage, owners, version, last_reviewed as written
    location: Location


class Discovery(NamedTuple):
    markers: tuple[str, ...]
    exclude: tuple[str, ...]
    declare: tuple[Declared, ...]
    # Paths checked even where an exclude (a preset's default ones, say) names them: excludes
    # append over the layers, so this is how a repository takes one back.
    include: tuple[str, ...] = ()

    @property
    def declared_only(self) -> bool:
        return not self.markers


class Scope(NamedTuple):
    risks: frozenset[str] | None = None  # None: any
    stages: frozenset[str] | None = None
    paths: tuple[str, ...] = ()
    components: frozenset[str] | None = None


class Rule(NamedTuple):
    code: str
    name: str
    check: str
    options: Mapping[str, Any]
    severity: Severity
    dimension: str
    scope: Scope = Scope()
    enabled: bool = True
    locked: bool = False
    summary: str = ""
    rationale: str = ""
    remediation: str = ""
    help_url: str | None = None
    location: Location | None = None
    key_locations: Mapping[str, Location] = NO_LOCATIONS  # where each key was last set
    refs: tuple[str, ...] = ()  # framework clauses it evidences (see `policy.refs`)

    def info(self) -> RuleInfo:
        """What reports may say about the rule."""
        return RuleInfo(
            self.code,
            self.name,
            self.severity,
            self.dimension,
            self.summary,
            self.help_url,
            self.rationale,
            self.remediation,
            self.refs,
        )


class Waiver(NamedTuple):
    id: str
    rules: tuple[str, ...]  # codes, resolved from codes or names
    component: str | None
    paths: tuple[str, ...]
    owner: str
    reason: str
    expires: dt.date
    location: Location


VERIFY_LEVELS = ("entry", "author", "signature")


class Material(NamedTuple):
    name: str
    paths: tuple[str, ...]
    keys: tuple[str, ...] = ()

    @property
    def globs(self) -> GlobSet:
        return GlobSet(self.paths)


class ChangeControl(NamedTuple):
    material: tuple[Material, ...] = ()
    ledger: str = "APPROVALS.yaml"
    governance_ledger: str = "APPROVALS.yaml"
    min_approvers: Mapping[str, int] = MappingProxyType({"default": 1, "high": 2})
    approvers: str = "owners"
    forbid_self_approval: bool = True
    verify: str = "entry"
    allowed_signers: str | None = None
    require_version_bump: bool = True

    def approvers_needed(self, risk: str) -> int:
        return int(self.min_approvers.get(risk, self.min_approvers.get("default", 1)))


class Criteria(NamedTuple):
    """What a component must have shown to hold a stage (the policy's ``stages``)."""

    metrics: tuple[tuple[str, Threshold], ...] = ()  # sorted by metric name
    min_samples: int | None = None
    window_days: int | None = None
    location: Location | None = None
    # Codes of rules with no unwaived finding on the component (judged once the run's
    # findings are in: `roadworthy.gates.requires`).
    requires: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        """Whether it asks nothing of an evaluation (``requires`` is judged apart)."""
        return not (self.metrics or self.min_samples or self.window_days)


class StageGate(NamedTuple):
    criteria: Criteria
    for_risk: Mapping[str, Criteria] = MappingProxyType({})  # risk → the stage's criteria for it

    def for_component(self, risk: str) -> Criteria:
        return self.for_risk.get(risk, self.criteria)


class Readiness(NamedTuple):
    """Accepted risk (the policy's ``readiness``): yellows allowed without a sign-off."""

    max_yellow: int | None = None  # None: any number
    approvers: tuple[str, ...] = ()  # who may sign off


class Policy(NamedTuple):
    sources: tuple[str, ...]
    digest: str
    risks: tuple[str, ...]
    artifacts: Mapping[str, tuple[Candidate, ...]]
    discovery: Discovery
    rules: tuple[Rule, ...]
    waivers: tuple[Waiver, ...]
    max_file_size: int
    fail_on: str | None
    change_control: ChangeControl
    people: Mapping[str, tuple[str, ...]]
    location: Location  # the file the repository's policy came from (or the preset)
    key_locations: Mapping[str, Location] = NO_LOCATIONS  # top-level keys
    stages: Mapping[str, StageGate] = MappingProxyType({})  # stage → its entry criteria
    readiness: Readiness = Readiness()
    baseline: str | None = None  # repository-relative: findings recorded there do not fail

    def criteria(self, stage: str, risk: str) -> Criteria | None:
        """What an evaluation of a component at ``stage`` with ``risk`` must show (None: the
        stage asks nothing of one; its ``requires`` is `requires`)."""
        gate = self.stages.get(stage)
        if gate is None:
            return None
        criteria = gate.for_component(risk)
        return None if criteria.empty else criteria

    def requires(self, stage: str, risk: str) -> tuple[str, ...]:
        """Codes of the rules a component at ``stage`` with ``risk`` must pass."""
        gate = self.stages.get(stage)
        return gate.for_component(risk).requires if gate is not None else ()

    def rule(self, code: str) -> Rule | None:
        for rule in self.rules:
            if rule.code == code:
                return rule
        return None

    def risk_rank(self, risk: str) -> int:
        return self.risks.index(risk) if risk in self.risks else len(self.risks)

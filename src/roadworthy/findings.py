"""The data a run produces: problems (from checks), findings (stamped by the engine), the report.

Reporters receive a `Report` and nothing else.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping

from roadworthy import lazyre
from roadworthy.records import NamedTuple

DIMENSIONS = ("data", "integration", "governance", "operations", "organization")
GREEN, YELLOW, RED = "green", "yellow", "red"


# The lowest severity that fails a run (`--fail-on`, the policy's `fail_on`, the Action's input).
FAIL_ON = ("error", "warning", "never")


class Severity(enum.IntEnum):
    WARNING = 1
    ERROR = 2

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        return cls[text.upper()]


class Span(NamedTuple):
    """The rest of a location after its start line (1-based; 0 where not known): code scanning
    shows a pull request's alert only when its location lies in the diff, so change control
    says exactly which changed lines it means. ``end_column`` is the column after the last."""

    column: int = 0
    end_line: int = 0
    end_column: int = 0


NO_SPAN = Span()


class Problem(NamedTuple):
    """What a check yields. It knows nothing of codes, rule names or output formats.

    ``path`` None means "the component itself": the engine points it at the component's anchor
    (its marker file). ``severity`` is set only where the check knows better than the rule, e.g. a
    review date in the future is an error even under a warning-level freshness rule.
    """

    message: str
    path: str | None = None
    line: int | None = None
    fix: str | None = None
    severity: Severity | None = None
    span: Span = NO_SPAN


# ``waived_by`` of a finding the repository's baseline records (see `baseline.py`).
BASELINE = "baseline"


class Finding(NamedTuple):
    # Field order is the sort order: path, line, code.
    path: str
    line: int
    code: str
    name: str
    severity: Severity
    message: str
    fix: str | None
    component: str | None
    dimension: str
    waived_by: str | None = None
    span: Span = NO_SPAN

    @property
    def active(self) -> bool:
        return self.waived_by is None


class CriterionResult(NamedTuple):
    """One stage criterion as judged: ``auc >= 0.85`` met by 0.87 from ``evaluation.yaml``."""

    criterion: str
    value: str | None  # None: no evidence of the current weights gives it
    met: bool
    evidence: str | None  # the file the value came from


READY, READY_SIGNED, BLOCKED = "ready", "ready with sign-off", "blocked"


class Gate(NamedTuple):
    """A component's readiness verdict for its stage (reported when the policy sets stage
    criteria or ``readiness.max_yellow``)."""

    # READY; READY_SIGNED when a sign-off accepts more yellows than the policy allows; or
    # BLOCKED by a red dimension (an unmet criterion is one, and so is RW411).
    verdict: str
    stage: str
    criteria: tuple[CriterionResult, ...] = ()  # empty: none set, or no rule judged them
    transition: str | None = None  # diff mode: "promoted from advisory", "demoted from ..."


class ComponentResult(NamedTuple):
    name: str
    path: str
    risk: str
    stage: str
    readiness: Mapping[str, str]
    # Codes of the rules that applied (scope selected it, the mode ran them); None: not known.
    rules: tuple[str, ...] | None = None
    gate: Gate | None = None  # None: the policy sets no stage criteria
    # Codes of the rules that stopped on a file they could not read (RW001 names it): they
    # did not look, and what they would have found is unknown.
    stopped: tuple[str, ...] = ()


class Summary(NamedTuple):
    components: int
    findings: int
    errors: int
    warnings: int
    waived: int  # by a waiver
    verdict: str  # worst readiness colour over all components and repository-level findings
    baselined: int = 0  # recorded in the baseline

    @property
    def line(self) -> str:
        text = (
            f"{_count(self.findings, 'finding')} ({_count(self.errors, 'error')}, "
            f"{_count(self.warnings, 'warning')}) in {_count(self.components, 'component')}"
        )
        if self.waived:
            text += f", {self.waived} waived"
        if self.baselined:
            text += f", {self.baselined} in the baseline"
        return text


class PolicyInfo(NamedTuple):
    sources: tuple[str, ...]
    digest: str


class RuleInfo(NamedTuple):
    """What reporters may say about a rule (SARIF's rule metadata, the markdown legend)."""

    code: str
    name: str
    severity: Severity
    dimension: str
    summary: str
    help_url: str | None
    rationale: str = ""  # why it matters (the policy's `rationale`)
    remediation: str = ""  # how to fix (the policy's `remediation`)
    refs: tuple[str, ...] = ()  # framework clauses it evidences (FRAMEWORK:CLAUSE)


class WaiverInfo(NamedTuple):
    """What reporters may say about a waiver (SARIF's suppression justification)."""

    id: str
    owner: str
    reason: str
    expires: str  # ISO date


class DiscoveryInfo(NamedTuple):
    """What a whole-repository check looked for, and the model-looking files the policy's
    excludes skipped: a first run says both rather than a bare "0 components"."""

    looked_for: str
    excluded: tuple[str, ...] = ()  # marker files, sorted
    excluded_in: tuple[str, ...] = ()  # the outermost path an exclude named for each, same order

    def excluded_where(self, index: int) -> str:
        """The path an exclude named for the ``index``-th file: a folder ends in ``/``."""
        named = self.excluded_in[index]
        return named if named == self.excluded[index] else f"{named}/"


class Report(NamedTuple):
    tool_version: str
    policy: PolicyInfo
    components: tuple[ComponentResult, ...]
    findings: tuple[Finding, ...]
    rules: tuple[RuleInfo, ...] = ()
    notes: tuple[str, ...] = ()
    waivers: tuple[WaiverInfo, ...] = ()
    # Codes of the repository-level rules that ran (waivers, CODEOWNERS, governance); None: not
    # known. The day the rules were judged at (ISO date; "" when not known).
    repository_rules: tuple[str, ...] | None = None
    date: str = ""
    discovery: DiscoveryInfo | None = None  # None in diff mode

    @property
    def active_findings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.active)

    def exit_code(self, fail_on: str) -> int:
        """1 when an active finding is at or above ``fail_on`` (error, warning, never), else 0."""
        return 1 if any(fails(f, fail_on) for f in self.findings) else 0

    @property
    def summary(self) -> Summary:
        active = self.active_findings
        errors = sum(1 for f in active if f.severity is Severity.ERROR)
        baselined = sum(1 for f in self.findings if f.waived_by == BASELINE)
        return Summary(
            components=len(self.components),
            findings=len(active),
            errors=errors,
            warnings=len(active) - errors,
            waived=len(self.findings) - len(active) - baselined,
            verdict=colour(active),
            baselined=baselined,
        )


def fails(finding: Finding, fail_on: str) -> bool:
    """Whether ``finding`` fails a run whose threshold is ``fail_on`` (error, warning, never)."""
    if not finding.active or fail_on == "never":
        return False
    return fail_on == "warning" or finding.severity is Severity.ERROR


def colour(findings: Iterable[Finding]) -> str:
    worst = max((f.severity for f in findings if f.active), default=None)
    if worst is None:
        return GREEN
    return RED if worst is Severity.ERROR else YELLOW


def readiness(findings: Iterable[Finding]) -> dict[str, str]:
    """Per dimension: red if any active error, yellow if only warnings, green if none."""
    # `colour` of each dimension's findings, in one pass: this runs for every component.
    colours = dict.fromkeys(DIMENSIONS, GREEN)
    for f in findings:
        now = colours.setdefault(f.dimension, GREEN)
        if f.active and now != RED:
            colours[f.dimension] = RED if f.severity is Severity.ERROR else YELLOW
    return colours


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


# A count of days in a message changes with the date, not with the repository ("is 548 days
# old"): whatever stands for "the same finding tomorrow" (a baseline record, a sign-off's
# digest) leaves it out; any other number is part of the finding.
_DAYS = lazyre.compile(r"\b[0-9]+ (days?\b|day\(s\))")


def without_day_counts(message: str) -> str:
    return _DAYS.sub(r"N \1", message)

"""The scan's repositories × stage view: per repository and deployment stage, how many
components are at that stage, how many are blocked from it, and what blocks them.

A component is blocked when its gate says so (a policy with ``stages`` or ``readiness``), else
when a dimension is red: any red blocks deployment. What blocks it is counted by rule code:
each code with an active error on the component counts once for it. A gate can also block on
a criterion no rule reported (the policy has no rule of kind ``evaluation``): that criterion
is counted under its own text (``auc >= 0.9``, ``requires RW103``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from roadworthy.findings import BLOCKED, RED
from roadworthy.policy.model import STAGES

Row = dict[str, Any]  # {"components": n, "blocked": m, "blocked_by": {code: k}}


def view(repo: Mapping[str, Any]) -> dict[str, Row]:
    """One repository's row of the view, every stage in order (a stage without components
    counts zeros: the table has the same columns for every repository)."""
    rows: dict[str, Row] = {s: _empty() for s in STAGES}
    for component in repo["components"]:
        row = rows.setdefault(component["stage"], _empty())
        row["components"] += 1
        why = blocked_by(component, repo["findings"])
        if why is not None:
            row["blocked"] += 1
            for reason in why:
                row["blocked_by"][reason] = row["blocked_by"].get(reason, 0) + 1
    return {stage: _sorted(row) for stage, row in _ordered(rows)}


def blocked_by(
    component: Mapping[str, Any], findings: Iterable[Mapping[str, Any]]
) -> list[str] | None:
    """What blocks ``component`` from its stage, sorted (None: it is not blocked)."""
    gate = component.get("gate")
    red = RED in component["readiness"].values()
    if not (gate["verdict"] == BLOCKED if gate is not None else red):
        return None
    codes = {
        f["code"]
        for f in findings
        if f["component"] == component["name"]
        and f["waived_by"] is None
        and f["severity"] == "error"
    }
    if not codes and gate is not None:  # a criterion no rule reported
        codes = {c["criterion"] for c in gate["criteria"] if not c["met"]}
    return sorted(codes)


def total(repositories: Sequence[Mapping[str, Any]]) -> dict[str, Row]:
    """The view summed over the repositories that were checked."""
    rows: dict[str, Row] = {s: _empty() for s in STAGES}
    for repo in repositories:
        for stage, part in (repo.get("stages") or {}).items():
            row = rows.setdefault(stage, _empty())
            row["components"] += part["components"]
            row["blocked"] += part["blocked"]
            for reason, n in part["blocked_by"].items():
                row["blocked_by"][reason] = row["blocked_by"].get(reason, 0) + n
    return {stage: _sorted(row) for stage, row in _ordered(rows)}


def _empty() -> Row:
    return {"components": 0, "blocked": 0, "blocked_by": {}}


def _sorted(row: Row) -> Row:
    return {**row, "blocked_by": dict(sorted(row["blocked_by"].items()))}


def _ordered(rows: Mapping[str, Row]) -> list[tuple[str, Row]]:
    """The stages in their order of autonomy; any other (not a valid stage) after, by name."""
    rank = {s: i for i, s in enumerate(STAGES)}
    return sorted(rows.items(), key=lambda item: (rank.get(item[0], len(STAGES)), item[0]))

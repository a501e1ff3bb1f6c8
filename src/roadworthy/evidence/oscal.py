"""The evidence report as an OSCAL 1.1.3 ``assessment-results`` document (hand-built JSON: the
model is a tree of plain objects, and no OSCAL library is light enough to be worth a
dependency). Tested against NIST's official JSON schema (``tests/data/oscal``).

How roadworthy's words map to OSCAL's:

- each framework clause is a control, ``control-id`` the clause made a token
  (``EU-AIA:Art.14(4)`` → ``EU-AIA_Art.14_4``; the clause itself is the finding's title);
- each component × clause that something assessed is a *finding*: ``satisfied`` and
  ``attested`` are ``satisfied``, ``failing`` and ``waived`` are ``not-satisfied`` (a waiver
  excuses a finding, it does not make the clause met); roadworthy's own status is a property;
- ``not-assessed`` clauses get no finding: OSCAL has no state for "nobody looked", and a
  finding would claim one. They are listed among the reviewed controls and counted in the
  result's properties, so a reader sees what was not looked at;
- what shows each finding (artifacts with their blob ids, the rules' findings, attestations,
  the component's approval) is an *observation* linked from it;
- the assessment plan OSCAL asks for is the policy in force (``import-ap``).

Identifiers are UUID v5 of stable names, timestamps the ``--as-of`` day: the same repository
gives the same bytes.
"""

from __future__ import annotations

import json
import re
import uuid
from typing import Any
from urllib.parse import quote

from roadworthy.evidence.approvals import Standing
from roadworthy.evidence.build import STATUSES, ClauseResult, ComponentEvidence, Evidence

OSCAL_VERSION = "1.1.3"
NS = "https://roadworthy.dev/ns/oscal"
_ROOT = uuid.uuid5(uuid.NAMESPACE_URL, NS)
_STATE = {
    "satisfied": ("satisfied", "pass"),
    "attested": ("satisfied", "other"),
    "failing": ("not-satisfied", "fail"),
    "waived": ("not-satisfied", "other"),
}


def render_oscal(evidence: Evidence) -> str:
    return json.dumps(document(evidence), indent=2, ensure_ascii=False) + "\n"


def document(evidence: Evidence) -> dict[str, Any]:
    ids = _Ids(evidence)
    f = evidence.framework
    day = f"{evidence.as_of}T00:00:00Z"
    clauses = sorted(
        {r.clause for c in evidence.components for r in c.clauses}
        | {r.clause for r in evidence.repository}
    )
    observations: list[dict[str, Any]] = []
    findings: list[dict[str, Any]] = []
    for component in evidence.components:
        if component.artifacts:
            observations.append(_artifacts(ids, day, component))
        for result in component.clauses:
            _assess(ids, day, component, result, observations, findings)
        if component.approval is not None and component.approval.entries:
            observations.append(_approval(ids, day, component, component.approval))
    for result in evidence.repository:
        _assess(ids, day, None, result, observations, findings)
    outcome: dict[str, Any] = {
        "uuid": ids.make("result"),
        "title": f"{f.name} clauses, per component",
        "description": (
            f"roadworthy {evidence.report.tool_version} checked each component against the "
            f"rules that cite {f.name} ({f.version}) clauses, as of {evidence.as_of}. A clause "
            "with no finding was not assessed: no rule citing it ran and no attestation covers "
            "it."
        ),
        "start": day,
        "end": day,
        "props": _props(evidence),
        "reviewed-controls": {
            "control-selections": [
                {"include-controls": [{"control-id": token(c)} for c in clauses]}
            ]
        },
    }
    if evidence.components:
        outcome["local-definitions"] = {
            "components": [_component(ids, c) for c in evidence.components]
        }
    if observations:
        outcome["observations"] = observations
    if findings:
        outcome["findings"] = findings
    return {
        "assessment-results": {
            "uuid": ids.make("assessment-results"),
            "metadata": {
                "title": f"roadworthy evidence: {f.name} ({f.version})",
                "last-modified": day,
                "version": evidence.commit[:12] if evidence.commit else evidence.as_of,
                "oscal-version": OSCAL_VERSION,
            },
            "import-ap": {
                "href": quote(_plan(evidence)),
                "remarks": (
                    "The assessment plan is the roadworthy policy in force: "
                    f"{', '.join(evidence.report.policy.sources)} "
                    f"(digest {evidence.report.policy.digest})."
                ),
            },
            "results": [outcome],
        }
    }


def token(clause: str) -> str:
    """A clause as an OSCAL token (an XML NCName): letters, digits, ``.``, ``-``, ``_``."""
    return re.sub(r"[^A-Za-z0-9.\-]+", "_", clause).strip("_")


class _Ids:
    """UUID v5 of names under the repository's commit and the framework: stable per input."""

    def __init__(self, evidence: Evidence) -> None:
        self.scope = f"{evidence.commit or evidence.as_of}/{evidence.framework.key}"

    def make(self, *names: str) -> str:
        return str(uuid.uuid5(_ROOT, "/".join((self.scope, *names))))


def _assess(
    ids: _Ids,
    day: str,
    component: ComponentEvidence | None,
    result: ClauseResult,
    observations: list[dict[str, Any]],
    findings: list[dict[str, Any]],
) -> None:
    if result.status == "not-assessed":
        return
    where = (component.path or ".") if component is not None else "(repository)"
    observation = ids.make("observation", where, result.clause)
    observations.append(_observation(ids, day, component, result, observation))
    related = [observation]
    if component is not None and component.artifacts and result.rules:
        related.append(ids.make("artifacts", where))  # what the rules read
    state, reason = _STATE[result.status]
    name = component.name if component is not None else "the repository"
    findings.append(
        {
            "uuid": ids.make("finding", where, result.clause),
            "title": f"{result.clause}: {name}",
            "description": _summary(result),
            "props": [
                _prop("status", result.status),
                _prop("component", where),
            ],
            "target": {
                "type": "objective-id",
                "target-id": token(result.clause),
                "title": result.clause,
                "status": {"state": state, "reason": reason},
            },
            "related-observations": [{"observation-uuid": u} for u in related],
        }
    )


def _observation(
    ids: _Ids, day: str, component: ComponentEvidence | None, result: ClauseResult, own: str
) -> dict[str, Any]:
    evidence = [
        {
            "description": f"{a.statement} (attested by {a.attested_by} on {a.attested}, until "
            f"{a.expires}; {a.path}:{a.line}; evidence: {a.evidence})"
        }
        for a in result.attestations
    ]
    evidence += [
        {"href": quote(f.path), "description": f"{f.code} at {f.path}:{f.line}: {f.message}"}
        for f in result.findings
    ]
    out: dict[str, Any] = {
        "uuid": own,
        "title": result.clause,
        "description": _summary(result),
        "methods": ["TEST"] if result.rules and result.status != "attested" else ["EXAMINE"],
        "collected": day,
    }
    if component is not None:
        out["subjects"] = [_subject(ids, component)]
    if evidence:
        out["relevant-evidence"] = evidence
    return out


def _artifacts(ids: _Ids, day: str, component: ComponentEvidence) -> dict[str, Any]:
    return {
        "uuid": ids.make("artifacts", component.path or "."),
        "title": f"artifacts of {component.name}",
        "description": f"The files the checks read for {component.name}, by git blob id.",
        "methods": ["EXAMINE"],
        "subjects": [_subject(ids, component)],
        "relevant-evidence": [
            {
                "href": quote(a.path),
                "description": f"{a.name}: {a.path}"
                + (f" (git blob {a.blob})" if a.blob else "")
                + (", not committed: the work tree's file differs" if a.committed is False else ""),
            }
            for a in component.artifacts
        ],
        "collected": day,
    }


def _approval(
    ids: _Ids, day: str, component: ComponentEvidence, standing: Standing
) -> dict[str, Any]:
    verdict = (
        f"approved now (trust: {standing.trust})"
        if standing.approved
        else f"not approved now ({'; '.join(standing.reasons)})"
    )
    return {
        "uuid": ids.make("approval", component.path),
        "title": f"approval of {component.name}",
        "description": f"{standing.ledger}: {verdict}; the material files' digest is "
        f"{standing.digest}.",
        "methods": ["TEST"],
        "subjects": [_subject(ids, component)],
        "relevant-evidence": [
            {
                "href": quote(standing.ledger),
                "description": f"{standing.ledger}:{s.entry.line}: {', '.join(s.entry.approved_by)}"
                f" ({s.entry.digest}): "
                + ("counts" if not s.reasons else f"does not count: {'; '.join(s.reasons)}"),
            }
            for s in standing.entries
        ],
        "collected": day,
    }


def _summary(result: ClauseResult) -> str:
    rules = ", ".join(f"{r.code} ({r.name}) {r.status}" for r in result.rules)
    parts = [f"roadworthy status: {result.status}."]
    if rules:
        parts.append(f"Rules: {rules}.")
    parts += [f"{f.code} at {f.path}:{f.line}: {f.message}" for f in result.findings]
    parts += [f"Attested by {a.attested_by} until {a.expires}." for a in result.attestations]
    return " ".join(parts)


def _component(ids: _Ids, c: ComponentEvidence) -> dict[str, Any]:
    return {
        "uuid": ids.make("component", c.path),
        "type": "software",
        "title": c.name,
        "description": f"ML component at {c.path or '.'} (risk {c.risk}, stage {c.stage}).",
        "props": [_prop("path", c.path or "."), _prop("risk", c.risk), _prop("stage", c.stage)],
        "status": {"state": "other", "remarks": f"stage: {c.stage}"},
    }


def _subject(ids: _Ids, c: ComponentEvidence) -> dict[str, Any]:
    return {"subject-uuid": ids.make("component", c.path), "type": "component", "title": c.name}


def _props(evidence: Evidence) -> list[dict[str, Any]]:
    counts = evidence.coverage()
    out = [_prop("framework", evidence.framework.key)]
    if evidence.preset:
        out.append(_prop("preset", evidence.preset))
    if evidence.commit:
        out.append(_prop("commit", evidence.commit))
    return out + [_prop(f"clauses-{s}", str(counts[s])) for s in STATUSES]


def _prop(name: str, value: str) -> dict[str, Any]:
    # OSCAL's StringDatatype: no leading or trailing blank, nothing empty, one line.
    shown = " ".join(value.split()) or "-"
    return {"name": name, "ns": NS, "value": shown}


def _plan(evidence: Evidence) -> str:
    # Files by their path; "preset:NAME" and "(no policy file)" are no file.
    files = [s for s in evidence.report.policy.sources if not s.startswith(("preset:", "("))]
    return files[-1] if files else f"preset:{evidence.preset or 'recommended'}"

"""What ``roadworthy init`` writes for a component: the artifacts its policy asks of it, for
the stage and risk it declares (or ``--stage``/``--risk`` give it), less what waivers excuse."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from roadworthy import waivers
from roadworthy.errors import UsageError
from roadworthy.metadata import Component, in_scope
from roadworthy.policy.model import STAGES, Policy


def required(component: Component, policy: Policy, today: dt.date) -> set[str]:
    """The artifacts the policy asks of ``component``: what a presence rule (``file-exists``)
    that applies to its stage and risk requires (a shadow model needs no rollback plan) and no
    waiver excuses; and an artifact no presence rule governs but a rule in force reads (a
    policy checking its cards' sections without requiring cards)."""
    presence = {r.options.get("artifact") for r in policy.rules if r.check == "file-exists"}
    anchor = component.found.anchor.path
    out: set[str] = set()
    for rule in policy.rules:
        artifact = rule.options.get("artifact")
        if not rule.enabled or not isinstance(artifact, str):
            continue
        if not in_scope(rule.scope, component):
            continue
        if rule.check == "file-exists":
            if not waivers.excused(policy, rule.code, component.name, anchor, today):
                out.add(artifact)
        elif artifact not in presence:
            out.add(artifact)
    return out


def check_given(given: Mapping[str, str], policy: Policy) -> None:
    for key, allowed in (("stage", STAGES), ("risk", policy.risks)):
        if key in given and given[key] not in allowed:
            raise UsageError(f"--{key} {given[key]!r} is not one of {', '.join(allowed)}")

"""How a change weakens the policy in force: every weakening, named.

The head's policy is compared with the base's after both have resolved ``extends``: a rule
removed or disabled, a severity lowered, ``applies_to`` narrowed, discovery markers narrowed or
excludes widened, a declared component dropped, an artifact given more ways to be satisfied,
change control relaxed (material entries, approvers, verification), ``fail_on`` lowered, a
waiver added or its expiry extended, a rule a stage ``requires`` dropped, a stage's evaluation
criteria loosened, more yellows accepted or more people allowed to sign them off.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from roadworthy.errors import Location
from roadworthy.formats.evaluation import Threshold
from roadworthy.policy.model import STAGES, VERIFY_LEVELS, Criteria, Policy, Rule, Scope, Waiver
from roadworthy.records import NamedTuple

_FAIL_ON = {"never": 0, "error": 1, "warning": 2}


class Weakening(NamedTuple):
    message: str
    location: Location


def weakenings(base: Policy, head: Policy) -> list[Weakening]:
    out = list(_rules(base, head))
    out += _discovery(base, head)
    out += _artifacts(base, head)
    out += _change_control(base, head)
    out += _waivers(base, head)
    out += _people(base, head)
    out += _requires(base, head)
    out += _criteria(base, head)
    out += _readiness(base, head)
    if _FAIL_ON.get(head.fail_on or "error", 1) < _FAIL_ON.get(base.fail_on or "error", 1):
        out.append(
            Weakening(
                f"fail_on lowered from {base.fail_on or 'error'} to {head.fail_on}", head.location
            )
        )
    return out


def new_waivers(base: Policy, head: Policy) -> list[Waiver]:
    known = {_waiver_key(w) for w in base.waivers}
    return [w for w in head.waivers if _waiver_key(w) not in known]


def _waiver_key(w: Waiver) -> tuple[object, ...]:
    return (w.rules, w.component, w.paths)


def _rules(base: Policy, head: Policy) -> Iterator[Weakening]:
    current = {r.code: r for r in head.rules}
    for rule in base.rules:
        if not rule.enabled:
            continue
        name = f"rule {rule.code} {rule.name}"
        now = current.get(rule.code)
        if now is None:
            yield Weakening(f"{name} removed", head.location)
            continue
        if not now.enabled:
            yield Weakening(f"{name} disabled", _at(now, head, "enabled"))
            continue
        if now.check != rule.check:
            # Same code, another test: a stage that requires the rule, or a waiver naming it,
            # now accepts what the other check passes.
            yield Weakening(
                f"{name}: check changed from {rule.check} to {now.check}", _at(now, head, "check")
            )
        if now.dimension != rule.dimension:
            # Dimensions are what readiness counts: moving a rule can merge two yellows into
            # one (fewer to sign off) or take a red out of the dimension a gate reads.
            yield Weakening(
                f"{name}: dimension changed from {rule.dimension} to {now.dimension}",
                _at(now, head, "dimension"),
            )
        if now.severity < rule.severity:
            yield Weakening(
                f"{name}: severity lowered from {rule.severity.label} to {now.severity.label}",
                _at(now, head, "severity"),
            )
        for narrowing in _narrowed(rule.scope, now.scope):
            yield Weakening(
                f"{name}: applies_to narrowed ({narrowing})", _at(now, head, "applies_to")
            )
        for key in sorted(set(rule.options) | set(now.options)):
            old, new = rule.options.get(key), now.options.get(key)
            if old != new:
                # Options mean different things per check; any change is named for review.
                yield Weakening(
                    f"{name}: options.{key} changed from {_short(old)} to {_short(new)}",
                    _at(now, head, "options"),
                )


def _at(rule: Rule, policy: Policy, key: str) -> Location:
    return rule.key_locations.get(key) or rule.location or policy.location


def _short(value: object) -> str:
    text = "(unset)" if value is None else json.dumps(value, sort_keys=True, default=str)
    return text if len(text) <= 60 else text[:57] + "..."


def _requires(base: Policy, head: Policy) -> Iterator[Weakening]:
    """A rule a stage required and no longer does, for every risk or for some."""
    risks = sorted(set(base.risks) | set(head.risks), key=base.risk_rank)
    for stage in STAGES:
        lost: dict[str, list[str]] = {}  # code → the risks it is no longer required for
        for risk in risks:
            for code in set(base.requires(stage, risk)) - set(head.requires(stage, risk)):
                lost.setdefault(code, []).append(risk)
        for code, where in sorted(lost.items()):
            scope = "" if where == risks else f" for risk {', '.join(where)}"
            yield Weakening(
                f"stages.{stage}.requires no longer includes {code}{scope}", _key(head, "stages")
            )


def _criteria(base: Policy, head: Policy) -> Iterator[Weakening]:
    """A stage's evaluation criteria that now admit evidence they did not: a threshold met by
    a value it failed before, a metric dropped, fewer samples or a shorter window asked for."""
    risks = sorted(set(base.risks) | set(head.risks), key=base.risk_rank)
    for stage in STAGES:
        looser: dict[str, list[str]] = {}  # what loosened → the risks it loosened for
        for risk in risks:
            old, new = base.criteria(stage, risk), head.criteria(stage, risk)
            if old is not None:
                for what in _loosened(old, new or Criteria()):
                    looser.setdefault(what, []).append(risk)
        for what, where in sorted(looser.items()):
            scope = "" if where == risks else f" for risk {', '.join(where)}"
            yield Weakening(f"stages.{stage}.evaluation: {what}{scope}", _key(head, "stages"))


def _loosened(old: Criteria, new: Criteria) -> Iterator[str]:
    now = dict(new.metrics)
    for name, threshold in old.metrics:
        if name not in now:
            yield f"metric {name} ({threshold}) no longer required"
        elif not _within(now[name], threshold):
            yield f"metric {name} loosened from {threshold} to {now[name]}"
    for label, before, after in (
        ("min_samples", old.min_samples, new.min_samples),
        ("window_days", old.window_days, new.window_days),
    ):
        if before is not None and (after is None or after < before):
            yield f"{label} lowered from {before} to {'(unset)' if after is None else after}"


def _within(new: Threshold, old: Threshold) -> bool:
    """Whether every value ``new`` accepts, ``old`` accepted too (it is no looser)."""
    if new.op == "==":
        return old.met(new.bound)
    above = {">=", ">"}
    if (new.op in above) != (old.op in above) or old.op == "==":
        return False  # open the other way, or a range where there was one value
    if new.bound != old.bound:
        return new.bound > old.bound if new.op in above else new.bound < old.bound
    return new.op == old.op or new.op in {">", "<"}  # a strict bound where the other was not


def _readiness(base: Policy, head: Policy) -> Iterator[Weakening]:
    old, new = base.readiness, head.readiness
    where = _key(head, "readiness")
    if old.max_yellow is not None and (new.max_yellow is None or new.max_yellow > old.max_yellow):
        after = "any number" if new.max_yellow is None else str(new.max_yellow)
        yield Weakening(f"readiness.max_yellow raised from {old.max_yellow} to {after}", where)
    added = sorted({a.lower() for a in new.approvers} - {a.lower() for a in old.approvers})
    if added and old.max_yellow is not None:  # without a limit, sign-offs change nothing
        yield Weakening(f"readiness.signoff.approvers now include {', '.join(added)}", where)


def _people(base: Policy, head: Policy) -> Iterator[Weakening]:
    # people decides who counts as a change's author (self-approval) and as a signer.
    for handle in sorted(set(base.people) | set(head.people)):
        old, new = set(base.people.get(handle, ())), set(head.people.get(handle, ()))
        if old != new:
            yield Weakening(
                f"people: {handle} changed from {sorted(old) or 'unmapped'} to "
                f"{sorted(new) or 'unmapped'}",
                head.location,
            )


def _narrowed(base: Scope, head: Scope) -> Iterator[str]:
    for label, old, new in (
        ("risk", base.risks, head.risks),
        ("stage", base.stages, head.stages),
        ("components", base.components, head.components),
    ):
        if new is not None and (old is None or old - new):
            lost = "all others" if old is None else ", ".join(sorted(old - new))
            yield f"{label} no longer includes {lost}"
    if head.paths and set(base.paths) != set(head.paths):
        yield f"paths limited to {', '.join(head.paths)}"


def _key(policy: Policy, key: str) -> Location:
    return policy.key_locations.get(key) or policy.location


def _discovery(base: Policy, head: Policy) -> Iterator[Weakening]:
    for marker in sorted(set(base.discovery.markers) - set(head.discovery.markers)):
        yield Weakening(f"discovery marker {marker!r} removed", _key(head, "components"))
    for pattern in sorted(set(head.discovery.exclude) - set(base.discovery.exclude)):
        yield Weakening(f"components.exclude {pattern!r} added", _key(head, "components"))
    for pattern in sorted(set(base.discovery.include) - set(head.discovery.include)):
        # An include takes a folder back from an exclude: dropping it excludes that folder.
        yield Weakening(f"components.include {pattern!r} removed", _key(head, "components"))
    declared = {d.path: d for d in head.discovery.declare}
    for entry in base.discovery.declare:
        now = declared.get(entry.path)
        if now is None:
            yield Weakening(f"declared component {entry.path} removed", _key(head, "components"))
            continue
        old_risk, new_risk = entry.fields.get("risk"), now.fields.get("risk")
        if isinstance(old_risk, str) and old_risk != new_risk:
            # A lower tier asks fewer artifacts and fewer approvers; unset falls back to the
            # card's, which the policy no longer pins.
            lower = not isinstance(new_risk, str) or head.risk_rank(new_risk) < base.risk_rank(
                old_risk
            )
            if lower:
                shown = new_risk if isinstance(new_risk, str) else "(unset)"
                yield Weakening(
                    f"declared component {entry.path}: risk lowered from {old_risk} to {shown}",
                    now.location,
                )


def _artifacts(base: Policy, head: Policy) -> Iterator[Weakening]:
    for name, candidates in sorted(head.artifacts.items()):
        before = set(base.artifacts.get(name, ()))
        for extra in candidates:
            if name in base.artifacts and extra not in before:
                yield Weakening(
                    f"artifact {name} now also accepts {extra.pattern}", _key(head, "artifacts")
                )


def _change_control(base: Policy, head: Policy) -> Iterator[Weakening]:
    old, new = base.change_control, head.change_control
    where = _key(head, "change_control")
    current = {m.name: m for m in new.material}
    for material in old.material:
        now = current.get(material.name)
        if now is None:
            yield Weakening(f"material change {material.name!r} removed or disabled", where)
            continue
        for pattern in sorted(set(material.paths) - set(now.paths)):
            yield Weakening(
                f"material change {material.name!r} no longer covers {pattern!r}", where
            )
        if set(now.keys) != set(material.keys) and now.keys:
            yield Weakening(
                f"material change {material.name!r} now counts only keys {', '.join(now.keys)}",
                where,
            )
    for risk in sorted(set(old.min_approvers) | set(new.min_approvers)):
        if new.approvers_needed(risk) < old.approvers_needed(risk):
            yield Weakening(
                f"min_approvers for {risk} lowered from {old.approvers_needed(risk)} "
                f"to {new.approvers_needed(risk)}",
                where,
            )
    if VERIFY_LEVELS.index(new.verify) < VERIFY_LEVELS.index(old.verify):
        yield Weakening(f"approval.verify lowered from {old.verify} to {new.verify}", where)
    if old.forbid_self_approval and not new.forbid_self_approval:
        yield Weakening("forbid_self_approval turned off", where)
    if old.approvers == "owners" and new.approvers != "owners":
        yield Weakening("approvers no longer need to be owners", where)
    if old.require_version_bump and not new.require_version_bump:
        yield Weakening("require_version_bump turned off", where)


def _waivers(base: Policy, head: Policy) -> Iterator[Weakening]:
    before = {_waiver_key(w): w for w in base.waivers}
    for waiver in head.waivers:
        old = before.get(_waiver_key(waiver))
        scope = waiver.component or ", ".join(waiver.paths)
        if old is None:
            yield Weakening(
                f"waiver {waiver.id} added ({', '.join(waiver.rules)} for {scope}, "
                f"until {waiver.expires})",
                waiver.location,
            )
        elif waiver.expires > old.expires:
            yield Weakening(
                f"waiver {waiver.id} extended from {old.expires} to {waiver.expires}",
                waiver.location,
            )

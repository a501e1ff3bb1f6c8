"""``codeowners``: a component has owners, enough of them for its risk, in the roles asked for.

Owners come from CODEOWNERS (GitHub's semantics: the first of ``.github/CODEOWNERS``,
``CODEOWNERS``, ``docs/CODEOWNERS``; last match wins; a component is owned when its folder is)
and from the component's metadata ``owners`` (the policy's declare entry, the model card's front
matter or ``component.yaml``), where RACI roles can be given.

Options: ``sources`` (``codeowners``, ``card``; default both); ``ignore_catch_all`` (rules such
as ``*`` do not count); ``ignore_patterns`` (CODEOWNERS patterns that do not count, e.g. broad
area owners); ``min_owners`` (``default`` and per risk tier); ``accountable_satisfies`` (default
true: one ``accountable`` owner meets ``min_owners``); ``required_roles`` (``default`` and per risk
tier: RACI roles that must be present).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from roadworthy.checks.base import Component, Context, Problem
from roadworthy.policy.model import RACI_ROLES, Owner

KIND = "codeowners"
NEEDS_DIFF = False
OPTIONS_SCHEMA: Mapping[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "sources": {
            "type": "array",
            "minItems": 1,
            "uniqueItems": True,
            "items": {"enum": ["codeowners", "card"]},
        },
        "ignore_catch_all": {"type": "boolean"},
        "ignore_patterns": {"type": "array", "items": {"type": "string", "minLength": 1}},
        "min_owners": {"type": "object", "additionalProperties": {"type": "integer", "minimum": 1}},
        "accountable_satisfies": {"type": "boolean"},
        "required_roles": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"enum": list(RACI_ROLES)}},
        },
    },
}


def check(component: Component, ctx: Context, options: Mapping[str, Any]) -> Iterator[Problem]:
    sources = options.get("sources", ["codeowners", "card"])
    owners = _owners(component, ctx, options, sources)
    risk = component.meta.risk
    handles = {o.handle for o in owners}
    where = " and ".join("CODEOWNERS" if s == "codeowners" else "card metadata" for s in sources)
    if not handles:
        yield Problem(
            f"no owner for {component.found.display_path} in {where}",
            fix=_fix(component, sources, ctx),
        )
        return
    needed = _for_risk(options.get("min_owners", {}), risk, 1)
    accountable = any(o.role == "accountable" for o in owners)
    if len(handles) < needed and not (accountable and options.get("accountable_satisfies", True)):
        yield Problem(
            f"{len(handles)} owner(s) ({', '.join(sorted(handles))}); risk {risk} needs {needed}"
            + (" or an accountable owner" if options.get("accountable_satisfies", True) else ""),
            fix=f"add owners for {component.found.display_path}",
        )
    roles = {o.role for o in owners}
    for role in _for_risk(options.get("required_roles", {}), risk, []):
        if role not in roles:
            yield Problem(
                f"no {role} owner (risk {risk} requires one)",
                fix=f"name the {role} owner under owners: in the model card front matter",
            )


def _owners(
    component: Component, ctx: Context, options: Mapping[str, Any], sources: list[str]
) -> list[Owner]:
    owners: list[Owner] = []
    codeowners = ctx.codeowners() if "codeowners" in sources else None
    if codeowners is not None:
        match = codeowners.owners_of(
            component.path,
            is_dir=True,
            ignore_catch_all=bool(options.get("ignore_catch_all", False)),
            ignore_patterns=frozenset(options.get("ignore_patterns", ())),
        )
        if match is not None:
            owners += [Owner(h) for h in match.owners]
    if "card" in sources:
        owners += component.meta.owners
    return owners


def _for_risk(table: Mapping[str, Any], risk: str, default: Any) -> Any:
    return table.get(risk, table.get("default", default))


def _fix(component: Component, sources: list[str], ctx: Context) -> str:
    folder = component.found.display_path
    if "codeowners" in sources:
        existing = ctx.codeowners()
        where = existing.path if existing is not None else ".github/CODEOWNERS"
        return f"add '/{folder}/ @your-team' to {where}"
    return f"add owners: to the front matter of {component.card or 'the model card'}"

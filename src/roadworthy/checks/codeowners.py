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
            f"no owner for {component.found.display_path} in {where}"
            + _passed_over(component, ctx, options, sources),
            fix=_fix(component, sources, ctx, bool(options.get("ignore_catch_all", False))),
        )
        return
    needed = _for_risk(options.get("min_owners", {}), risk, 1)
    accountable = any(o.role == "accountable" for o in owners)
    if len(handles) < needed and not (accountable and options.get("accountable_satisfies", True)):
        yield Problem(
            f"{len(handles)} owner{'' if len(handles) == 1 else 's'}"
            f" ({', '.join(sorted(handles))}); risk {risk} needs {needed}"
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


def _passed_over(
    component: Component, ctx: Context, options: Mapping[str, Any], sources: list[str]
) -> str:
    """Why a CODEOWNERS rule that does match the component did not count: said, so that a
    reader who sees ``* @acme/platform`` in the file does not take the finding for a bug."""
    codeowners = ctx.codeowners() if "codeowners" in sources else None
    if codeowners is None:
        return ""
    match = codeowners.owners_of(component.path, is_dir=True)
    if match is None or not match.owners:
        return ""
    rule = match.rule
    written = f"'{rule.pattern} {' '.join(rule.owners)}' ({codeowners.path}:{rule.line})"
    if rule.catch_all and options.get("ignore_catch_all", False):
        return (
            f"; the catch-all rule {written} was ignored: a repository-wide default reviewer"
            " is not a model's owner (options.ignore_catch_all)"
        )
    if rule.pattern in options.get("ignore_patterns", ()):
        return f"; the rule {written} was ignored (options.ignore_patterns)"
    return ""


def _for_risk(table: Mapping[str, Any], risk: str, default: Any) -> Any:
    return table.get(risk, table.get("default", default))


def _fix(component: Component, sources: list[str], ctx: Context, catch_all_ignored: bool) -> str:
    existing = ctx.codeowners() if "codeowners" in sources else None
    where = existing.path if existing is not None else ".github/CODEOWNERS"
    if component.path and "codeowners" in sources:
        return f"add '/{component.path}/ @your-team' to {where}"
    if "card" in sources:
        # The repository root has no CODEOWNERS pattern but a catch-all, which does not count.
        return f"add owners: to the front matter of {component.card or 'the model card'}"
    if catch_all_ignored:
        return f"add '* @your-team' to {where} and set options.ignore_catch_all: false"
    return f"add '* @your-team' to {where}"

"""``--select`` / ``--ignore``: which of the policy's rules one run reports.

A selector is a rule's code, a code prefix (``RW2``, ``RW``) or a rule's name. For each rule the
most specific selector that matches decides, as flake8's decision engine does: a name beats any
code, a longer prefix beats a shorter one, and ``--ignore`` wins a tie. A locked rule (an
organisation's requirement, or roadworthy's own safeguards such as RW001 and RW406) runs
whatever a command line says.
"""

from __future__ import annotations

from collections.abc import Sequence

from roadworthy.errors import UsageError
from roadworthy.policy.model import Policy, Rule
from roadworthy.records import NamedTuple

_NAME = 1000  # a name is more specific than any code prefix


class Selection(NamedTuple):
    select: tuple[str, ...] = ()  # empty: every rule
    ignore: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.select and not self.ignore


def parse(values: Sequence[str] | None) -> tuple[str, ...]:
    """``--select RW1,RW201 --select stale-model-card``: one tuple of selectors."""
    out: list[str] = []
    for value in values or ():
        out += [part.strip() for part in value.split(",") if part.strip()]
    return tuple(out)


def apply(policy: Policy, selection: Selection) -> tuple[Policy, list[str]]:
    """The policy with the rules the selection leaves out disabled, and a note for each locked
    rule it could not turn off. Waivers of rules that no longer run are dropped with them (they
    would otherwise be reported as unused). A selector no rule answers to is a usage error."""
    if selection.empty:
        return policy, []
    unknown = [
        _unknown(s, policy.rules)
        for s in (*selection.select, *selection.ignore)
        if not any(_score(s, r) >= 0 for r in policy.rules)
    ]
    if unknown:
        raise UsageError("; ".join(unknown))
    rules, notes = [], []
    for rule in policy.rules:
        on = rule.enabled and _selected(rule, selection)
        if rule.enabled and not on and rule.locked:
            # roadworthy's own safeguards (RW001, RW406...) are locked for every policy and go
            # without saying; a rule an organisation locked is worth a line.
            if rule.check != "builtin":
                notes.append(f"{rule.code} {rule.name} is locked by the policy and runs anyway")
            on = True
        rules.append(rule._replace(enabled=on))
    running = {r.code for r in rules if r.enabled}
    waivers = tuple(w for w in policy.waivers if running.intersection(w.rules))
    return policy._replace(rules=tuple(rules), waivers=waivers), notes


def _selected(rule: Rule, selection: Selection) -> bool:
    everything = 0 if not selection.select else -1  # no --select: every rule, least specific
    chosen = max((_score(s, rule) for s in selection.select), default=everything)
    dropped = max((_score(s, rule) for s in selection.ignore), default=-1)
    return chosen >= 0 and chosen > dropped


def _score(selector: str, rule: Rule) -> int:
    """How specifically ``selector`` names ``rule``; -1 when it does not."""
    if selector.lower() == rule.name:
        return _NAME
    if rule.code.startswith(selector.upper()):
        return len(selector)
    return -1


def _unknown(selector: str, rules: Sequence[Rule]) -> str:
    import difflib

    known = [r.name for r in rules] + [r.code for r in rules]
    close = difflib.get_close_matches(selector, known, n=2)
    hint = f" (did you mean {' or '.join(close)}?)" if close else "; `roadworthy rule` lists them"
    return f"no rule is {selector!r}{hint}"

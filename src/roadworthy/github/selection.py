"""The Action's ``select`` and ``ignore`` inputs: which rules' findings a job reports.

As in ruff's and checkov's actions, a list of rule codes (commas, spaces or lines between them).
``select`` keeps only those rules, ``ignore`` drops rules; a code the policy does not have is a
usage error (exit 2), since a misspelt code would otherwise silently hide nothing or everything.
The report is narrowed after the run: counts, readiness, the exit code and every output follow.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from roadworthy import lazyre
from roadworthy.errors import UsageError
from roadworthy.findings import Report, readiness

_SEPARATORS = lazyre.compile(r"[\s,]+")


def words(text: str) -> tuple[str, ...]:
    """The items of a list input, in order, without repeats."""
    return tuple(dict.fromkeys(w for w in _SEPARATORS.split(text.strip()) if w))


def check_codes(name: str, codes: Iterable[str], known: Collection[str]) -> None:
    unknown = [c for c in codes if c not in known]
    if unknown:
        verb = "is not a rule" if len(unknown) == 1 else "are not rules"
        raise UsageError(f"input {name}: {', '.join(unknown)} {verb} of the policy in force")


def restrict(
    report: Report,
    select: Collection[str],
    ignore: Collection[str],
    locked: Collection[str] = (),
) -> Report:
    """The report with only the selected rules' findings (all when ``select`` is empty), less
    the ignored ones. A rule the policy locks is always kept, as on the command line: the
    workflow (which a pull request can edit) cannot hide what the organisation locked."""
    if not select and not ignore:
        return report

    def kept(code: str) -> bool:
        return code in locked or ((not select or code in select) and code not in ignore)

    def only(codes: tuple[str, ...] | None) -> tuple[str, ...] | None:
        return None if codes is None else tuple(c for c in codes if kept(c))

    findings = tuple(f for f in report.findings if kept(f.code))
    components = tuple(
        c._replace(
            readiness=readiness(f for f in findings if f.component == c.name), rules=only(c.rules)
        )
        for c in report.components
    )
    return report._replace(
        findings=findings,
        components=components,
        rules=tuple(r for r in report.rules if kept(r.code)),
        repository_rules=only(report.repository_rules),
    )

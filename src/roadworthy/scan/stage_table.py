"""The dashboard's repositories × stage table: for each repository that was checked and each
deployment stage, how many components are at the stage and how many are blocked from it, with
what blocks them (rule codes and counts); a last row sums the repositories.

Targets and rule codes come from repositories: every string is escaped.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import Any

from roadworthy.policy.model import STAGES


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def render(repositories: Sequence[Mapping[str, Any]], total: Mapping[str, Any]) -> str:
    checked = [r for r in repositories if r.get("stages") is not None]
    stages = list(STAGES) + sorted(set(total) - set(STAGES))
    head = "".join(f'<th scope="col">{_e(s)}</th>' for s in stages)
    rows = "".join(_row(_e(r["target"]), r["stages"], stages) for r in checked)
    foot = _row("all repositories", total, stages)
    return (
        '<section id="stages"><h2>Readiness by stage</h2>\n'
        '<p class="sub">Components at each stage; those blocked from it, and by which rule '
        "(each code counts the blocked components with an active error of it).</p>\n"
        '<table class="stages"><thead><tr><th scope="col">Repository</th>'
        f"{head}</tr></thead>\n<tbody>{rows}</tbody>\n<tfoot>{foot}</tfoot></table>\n"
        "</section>\n"
    )


def _row(label: str, view: Mapping[str, Any], stages: Sequence[str]) -> str:
    empty = {"components": 0, "blocked": 0, "blocked_by": {}}
    cells = "".join(_cell(view.get(stage, empty)) for stage in stages)
    return f'<tr><th scope="row">{label}</th>{cells}</tr>\n'


def _cell(row: Mapping[str, Any]) -> str:
    if not row["components"]:
        return '<td class="st st-none">—</td>'
    if not row["blocked"]:
        return f'<td class="st st-clear">{_e(row["components"])}</td>'
    why = ", ".join(f"{_e(code)} ×{_e(n)}" for code, n in row["blocked_by"].items())
    return (
        f'<td class="st st-blocked">{_e(row["components"])} · '
        f'<b>{_e(row["blocked"])} blocked</b><div class="why">{why}</div></td>'
    )

"""The dashboard's framework coverage: per framework preset, each repository assessed for it
with its clauses by status (as `roadworthy evidence` counts them), and a total row. Nothing
when no repository was assessed for a framework.

Targets come from repositories: every string is escaped.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

from roadworthy.evidence.build import STATUSES


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def render(doc: Mapping[str, Any]) -> str:
    """Per framework preset: each repository assessed for it, its clauses by status, and the
    totals (`roadworthy evidence` has the clause-by-clause detail)."""
    out = []
    for preset, total in doc["totals"]["coverage"].items():
        head = "".join(f'<th scope="col">{_e(s)}</th>' for s in STATUSES)
        rows = "".join(
            f'<tr><th scope="row">{_e(r["target"])}</th>'
            + "".join(f'<td class="num">{_e(r["coverage"][preset][s])}</td>' for s in STATUSES)
            + "</tr>\n"
            for r in doc["repositories"]
            if preset in r["coverage"]
        )
        foot = "".join(f'<td class="num"><b>{_e(total[s])}</b></td>' for s in STATUSES)
        out.append(
            f"<h3>{_e(preset)}: {_e(total['repositories'])} repositories</h3>\n"
            f'<table class="coverage" data-framework="{_e(preset)}">\n'
            f'<thead><tr><th scope="col">Repository</th>{head}</tr></thead>\n'
            f"<tbody>{rows}</tbody>\n"
            f'<tfoot><tr><th scope="row">total</th>{foot}</tr></tfoot></table>\n'
        )
    if not out:
        return ""
    return (
        '<section id="coverage">\n<h2>Framework coverage (clauses)</h2>\n'
        + "".join(out)
        + "</section>\n"
    )

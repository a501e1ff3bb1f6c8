"""``scan.html``: the dashboard, one self-contained file (inline CSS and script, no network).

Every string that comes from a repository (targets, component names, messages, paths, policy
errors) is untrusted and escaped; the page's Content-Security-Policy admits only its own
inline style and script (by hash), so even a missed escape could not load or run anything.
The table is rendered here, in HTML; the script only sorts, filters and opens drill-downs.
"""

from __future__ import annotations

import base64
import hashlib
import html
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any

from roadworthy.findings import DIMENSIONS
from roadworthy.formats import packaged
from roadworthy.scan import coverage_table, stage_table

_COLOUR_RANK = {"red": 3, "yellow": 2, "green": 1}
_STATUS_RANK = {"error": 3, "findings": 2, "ok": 1, "no-models": 0}
_COLUMNS = (
    ("target", "text", "Repository"),
    ("status", "num", "Status"),
    *((d, "num", d) for d in DIMENSIONS),
    ("components", "num", "Components"),
    ("errors", "num", "Errors"),
    ("warnings", "num", "Warnings"),
)


def e(value: object) -> str:
    return html.escape(str(value), quote=True)


@lru_cache(maxsize=2)
def _asset(name: str) -> str:
    return packaged.read_text("scan", name)


def _csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def render(doc: Mapping[str, Any]) -> str:
    css, js = _asset("dashboard.css"), _asset("dashboard.js")
    csp = f"default-src 'none'; style-src {_csp_hash(css)}; script-src {_csp_hash(js)}"
    repos = doc["repositories"]
    return "".join(
        [
            '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n',
            f'<meta http-equiv="Content-Security-Policy" content="{e(csp)}">\n',
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
            '<meta name="referrer" content="no-referrer">\n',
            f"<title>roadworthy scan: {len(repos)} repositories</title>\n",
            f"<style>{css}</style>\n</head>\n<body>\n",
            "<h1>Production readiness across the organisation</h1>\n",
            f'<p class="sub">{_subtitle(doc)}</p>\n',
            _totals(doc["totals"]),
            stage_table.render(repos, doc["totals"]["stages"]),
            coverage_table.render(doc),
            _controls(),
            _table(repos),
            f"<footer>roadworthy {e(doc['tool']['version'])} · scan.json schema "
            f"{e(doc['schema_version'])} · red: an error · yellow: warnings only · "
            "green: no findings</footer>\n",
            f"<script>{js}</script>\n</body>\n</html>\n",
        ]
    )


def _subtitle(doc: Mapping[str, Any]) -> str:
    shard = f" (shard {e(doc['shard'])})" if doc.get("shard") else ""
    return (
        "Which models are not production-ready, and why: each repository by readiness "
        f"dimension; open a row for its components and findings{shard}."
    )


def _totals(t: Mapping[str, Any]) -> str:
    r, c, f = t["repositories"], t["components"], t["findings"]
    return (
        '<section id="totals">\n'
        + _card(
            "Repositories",
            r["total"],
            [
                ("s-ok", "ok", r["ok"]),
                ("s-findings", "with findings", r["findings"]),
                ("s-no-models", "no models", r.get("no-models", 0)),
                ("s-error", "error", r["error"]),
            ],
        )
        + _card(
            "Components",
            c["total"],
            [
                ("red", "red", c["red"]),
                ("yellow", "yellow", c["yellow"]),
                ("green", "green", c["green"]),
            ],
        )
        + _card(
            "Findings",
            f["findings"],
            [
                ("red", "errors", f["errors"]),
                ("yellow", "warnings", f["warnings"]),
                ("", "waived", f["waived"]),
            ],
        )
        + "</section>\n"
    )


def _card(title: str, total: int, parts: Sequence[tuple[str, str, int]]) -> str:
    items = "".join(
        f'<li class="{cls}" data-count="{e(label)}"><span class="dot {cls}"></span>'
        f"{e(label)}: <b>{e(n)}</b></li>"
        for cls, label, n in parts
    )
    slug = title.lower()
    return (
        f'<div class="card" id="total-{slug}"><h2>{e(title)}</h2>'
        f'<div class="big">{e(total)}</div><ul>{items}</ul></div>\n'
    )


def _controls() -> str:
    options = "".join(
        f'<option value="{s}">{label}</option>'
        for s, label in (
            ("", "all statuses"),
            ("ok", "ok"),
            ("findings", "with findings"),
            ("no-models", "no models"),
            ("error", "error"),
        )
    )
    return (
        '<div id="controls"><input id="filter" type="search" '
        'placeholder="filter: repository, component, rule…" aria-label="filter">'
        f'<select id="status" aria-label="status">{options}</select>'
        '<span id="shown"></span></div>\n'
    )


def _table(repos: Sequence[Mapping[str, Any]]) -> str:
    head = "".join(
        f'<th scope="col" data-key="{key}" data-type="{kind}">{e(label)}</th>'
        for key, kind, label in _COLUMNS
    )
    body = "".join(_repository(i, r) for i, r in enumerate(repos))
    return f'<table id="repos">\n<thead><tr>{head}</tr></thead>\n{body}</table>\n'


def _repository(i: int, repo: Mapping[str, Any]) -> str:
    s = repo["summary"] or {}
    status = repo["status"]
    cells = [
        f'<td class="status s-{e(status)}" data-v="{_STATUS_RANK[status]}">'
        f'<span class="dot"></span>{e(status)}</td>',
        # No model: nothing is ready or not, so no colour (never a green row).
        *(
            _colour_cell(None if status == "no-models" else (repo["readiness"] or {}).get(d))
            for d in DIMENSIONS
        ),
        *(f'<td class="num">{e(s.get(k, 0))}</td>' for k in ("components", "errors", "warnings")),
    ]
    return (
        f'<tbody class="repo" data-i="{i}" data-status="{e(status)}" '
        f'data-search="{e(_search_text(repo))}">\n'
        f'<tr class="row" tabindex="0" aria-expanded="false"><th scope="row" data-v="'
        f'{e(repo["target"])}">{e(repo["target"])}</th>{"".join(cells)}</tr>\n'
        f'<tr class="drill" hidden><td colspan="{len(_COLUMNS)}">{_drill(repo)}</td></tr>\n'
        "</tbody>\n"
    )


def _colour_cell(colour: str | None) -> str:
    if colour is None:
        return '<td class="c c-none" data-v="0">—</td>'
    return f'<td class="c c-{e(colour)}" data-v="{_COLOUR_RANK.get(colour, 0)}">{e(colour)}</td>'


def _search_text(repo: Mapping[str, Any]) -> str:
    words = [repo["target"], repo["status"]]
    words += [c["name"] for c in repo["components"]]
    words += sorted({f"{f['code']} {f['name']}" for f in repo["findings"]})
    return " ".join(str(w) for w in words).lower()


def _drill(repo: Mapping[str, Any]) -> str:
    parts = [_meta(repo)]
    if repo["error"] is not None:
        parts.append(f'<pre class="error">{e(repo["error"])}</pre>')
    if repo["components"]:
        parts.append(_components(repo["components"]))
    if repo["findings"]:
        parts.append(_findings(repo["findings"]))
    elif repo["status"] == "no-models":
        parts.append("<p>No model component found.</p>")
    elif repo["status"] != "error":
        parts.append("<p>No findings.</p>")
    return "".join(parts)


def _meta(repo: Mapping[str, Any]) -> str:
    items = [f"commit <code>{e(repo['head'][:12])}</code>" if repo["head"] else "not a git commit"]
    if repo["policy"] is not None:
        sources = ", ".join(e(s) for s in repo["policy"]["sources"])
        items.append(f"policy: {sources}")
    if repo["fail_on"] is not None:
        items.append(f"fails on: {e(repo['fail_on'])}")
    return '<div class="meta">' + "".join(f"<span>{i}</span>" for i in items) + "</div>"


def _components(components: Sequence[Mapping[str, Any]]) -> str:
    head = "".join(f"<th>{e(h)}</th>" for h in ("component", "path", "risk", "stage", *DIMENSIONS))
    rows = "".join(
        f"<tr><td>{e(c['name'])}</td><td><code>{e(c['path'])}</code></td><td>{e(c['risk'])}</td>"
        f"<td>{e(c['stage'])}</td>"
        + "".join(_colour_cell(c["readiness"].get(d)) for d in DIMENSIONS)
        + "</tr>"
        for c in components
    )
    return (
        f"<h3>Components ({len(components)})</h3>"
        f'<table class="inner components"><thead><tr>{head}</tr></thead>'
        f"<tbody>{rows}</tbody></table>"
    )


def _findings(findings: Iterable[Mapping[str, Any]]) -> str:
    rows = [_finding(f) for f in findings]
    head = "".join(f"<th>{h}</th>" for h in ("severity", "rule", "component", "where", "message"))
    return (
        f"<h3>Findings ({len(rows)})</h3>"
        f'<table class="inner findings"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _finding(f: Mapping[str, Any]) -> str:
    waived = f["waived_by"] is not None
    classes = f"sev-{e(f['severity'])}" + (" waived" if waived else "")
    fix = f'<div class="fix">{e(f["fix"])}</div>' if f["fix"] else ""
    note = f" <i>(waived by {e(f['waived_by'])})</i>" if waived else ""
    return (
        f'<tr class="{classes}"><td class="sev">{e(f["severity"])}</td>'
        f"<td><code>{e(f['code'])}</code> {e(f['name'])}</td><td>{e(f['component'] or '')}</td>"
        f"<td><code>{e(f['path'])}:{e(f['line'])}</code></td>"
        f"<td>{e(f['message'])}{note}{fix}</td></tr>"
    )

"""Write the report files of a scan or a merge into one folder, each atomically."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from roadworthy.errors import redact
from roadworthy.workspace.write import write_atomic

FILES = ("scan.json", "scan.csv", "coverage.csv", "scan.html")


def render_json(doc: Mapping[str, Any]) -> str:
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def write(doc: Mapping[str, Any], folder: Path) -> None:
    """Every file is scrubbed of the environment's tokens in every form (a git or API error
    recorded for a repository may quote one)."""
    from roadworthy.scan import coverage_csv, csv_, html

    write_atomic(folder / "scan.json", redact(render_json(doc)))
    write_atomic(folder / "scan.csv", redact(csv_.render(doc)))
    write_atomic(folder / "coverage.csv", redact(coverage_csv.render(doc)))
    write_atomic(folder / "scan.html", redact(html.render(doc)))

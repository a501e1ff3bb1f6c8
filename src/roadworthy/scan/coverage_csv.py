"""``coverage.csv``: framework coverage, one row per repository × framework preset, for
spreadsheets and BI tools (``scan.csv`` is per component; coverage counts a repository's
attestation-only clauses too, so it has rows of its own). Sums over rows are the totals of
``scan.json``. Repositories assessed for no framework have no row.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from typing import Any

from roadworthy.evidence.build import STATUSES
from roadworthy.scan.csv_ import safe

COLUMNS = ("target", "framework", *STATUSES)


def render(doc: Mapping[str, Any]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for repo in doc["repositories"]:
        for preset, counts in repo["coverage"].items():
            writer.writerow([safe(repo["target"]), preset, *(counts[s] for s in STATUSES)])
    return out.getvalue()

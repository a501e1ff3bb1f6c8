"""`roadworthy scan` counts framework coverage per repository, as `roadworthy evidence` does,
and totals it: in scan.json, coverage.csv and the dashboard, on real local repositories."""

from __future__ import annotations

import csv
import io
import json
import shutil
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from testing.gitrepo import GitRepo

ROOT = Path(__file__).resolve().parents[2]
CASE = ROOT / "tests/cases/RW501-missing-risk-management-record/high-risk-needs-one/repo"
SCHEMA = json.loads((ROOT / "src/roadworthy/schemas/scan.schema.json").read_text())
STATUSES = ("satisfied", "failing", "waived", "attested", "not-assessed")
AS_OF = ("--as-of", "2026-12-05")
ATTESTED = """\
- clause: EU-AIA:Art.48
  statement: CE marking affixed.
  attested_by: "@compliance"
  evidence: https://intranet.example/ce
  attested: 2026-11-01
  expires: 2027-11-01
"""


@pytest.fixture
def org(tmp_path: Path) -> Path:
    """Three repositories: two extend the EU preset (one attests a clause), one extends none."""
    for name in ("credit", "attested", "plain"):
        shutil.copytree(CASE, tmp_path / name)
    (tmp_path / "attested/ATTESTATIONS.yaml").write_text(ATTESTED)
    (tmp_path / "plain/roadworthy.yaml").write_text("version: 1\n")
    for name in ("credit", "attested", "plain"):
        GitRepo.init(tmp_path / name).commit(name)
    return tmp_path


def scan(run_cli: Any, org: Path, *args: str) -> dict[str, Any]:
    result = run_cli(
        "scan", "credit", "attested", "plain", *AS_OF, "-q", "-o", "out", *args, cwd=org
    )
    assert result.exit_code == 1, result.err  # the EU preset finds a missing record
    report: dict[str, Any] = json.loads((org / "out/scan.json").read_text())
    Draft202012Validator(SCHEMA).validate(report)
    return report


def evidence_counts(run_cli: Any, org: Path, name: str, framework: str) -> dict[str, int]:
    args = ("evidence", "--framework", framework, "--format", "json", *AS_OF)
    result = run_cli(*args, cwd=org / name)
    assert result.exit_code == 0, result.err
    counts: dict[str, int] = json.loads(result.out)["coverage"]
    return counts


def test_each_repository_is_counted_for_the_presets_its_policy_extends(
    org: Path, run_cli: Any
) -> None:
    report = scan(run_cli, org)
    rows = {r["target"]: r for r in report["repositories"]}
    assert rows["plain"]["coverage"] == {}
    eu = "eu-ai-act-high-risk"
    for name in ("credit", "attested"):
        assert rows[name]["coverage"] == {eu: evidence_counts(run_cli, org, name, eu)}
    # The attestation moves one clause from not-assessed to attested.
    assert rows["attested"]["coverage"][eu]["attested"] == 1
    assert rows["credit"]["coverage"][eu]["attested"] == 0
    total = report["totals"]["coverage"][eu]
    assert total["repositories"] == 2
    for status in STATUSES:
        assert total[status] == sum(rows[n]["coverage"][eu][status] for n in ("credit", "attested"))

    table = list(csv.DictReader(io.StringIO((org / "out/coverage.csv").read_text())))
    assert [(r["target"], r["framework"]) for r in table] == [("attested", eu), ("credit", eu)]
    assert {s: int(table[0][s]) for s in STATUSES} == rows["attested"]["coverage"][eu]

    page = (org / "out/scan.html").read_text()
    cells = _coverage_cells(page)
    assert cells[eu]["total"] == [str(total[s]) for s in STATUSES]
    assert cells[eu]["credit"] == [str(rows["credit"]["coverage"][eu][s]) for s in STATUSES]
    assert "plain" not in cells[eu]


def test_framework_option_counts_every_repository(org: Path, run_cli: Any) -> None:
    report = scan(run_cli, org, "--framework", "iso-42001")
    rows = {r["target"]: r for r in report["repositories"]}
    for name in ("credit", "attested", "plain"):
        assert list(rows[name]["coverage"]) == ["iso-42001"]
        assert rows[name]["coverage"]["iso-42001"] == evidence_counts(
            run_cli, org, name, "iso-42001"
        )
    assert report["totals"]["coverage"]["iso-42001"]["repositories"] == 3


def test_merged_shards_total_the_same(org: Path, run_cli: Any) -> None:
    whole = scan(run_cli, org)
    for k in (1, 2):
        result = run_cli(
            "scan",
            "credit",
            "attested",
            "plain",
            *AS_OF,
            "-q",
            "--shard",
            f"{k}/2",
            "-o",
            f"shard{k}",
            cwd=org,
        )
        assert result.exit_code in (0, 1), result.err
    merged = run_cli("merge", "shard1/scan.json", "shard2/scan.json", "-q", "-o", "m", cwd=org)
    assert merged.exit_code == 1, merged.err
    joined = json.loads((org / "m/scan.json").read_text())
    assert joined["totals"]["coverage"] == whole["totals"]["coverage"]


class _Cells(HTMLParser):
    """The coverage tables of the dashboard: framework → row heading → its number cells."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, dict[str, list[str]]] = {}
        self._framework: str | None = None
        self._row: list[str] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "table" and found.get("class") == "coverage":
            self._framework = found["data-framework"]
            self.tables[self._framework or ""] = {}
        elif tag == "tr" and self._framework:
            self._row = []
        elif tag in ("th", "td") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("th", "td") and self._cell is not None and self._row is not None:
            self._row.append("".join(self._cell))
            self._cell = None
        elif tag == "tr" and self._row and self._framework:
            self.tables[self._framework][self._row[0]] = self._row[1:]
            self._row = None
        elif tag == "table":
            self._framework = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def _coverage_cells(page: str) -> dict[str, dict[str, list[str]]]:
    parser = _Cells()
    parser.feed(page)
    return parser.tables

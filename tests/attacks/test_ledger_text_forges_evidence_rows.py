"""The evidence report's markdown, attacked through a ledger entry's free text. A ledger is
append-only YAML a change may add entries to, and ``roadworthy evidence`` prints the latest
entry's ``approved_by`` and ``at`` into its markdown as they are: a newline in ``at`` (or a
carriage return, a CommonMark line ending too) ends the sentence and starts whatever markdown
follows. One entry that approves nothing adds a table row claiming a failing clause
(Art.11(1): the card is stale) is satisfied, above the real table, in the report an auditor reads."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from testing.gitrepo import GitRepo, files_of

CASE = Path(__file__).parents[1] / "cases/RW411-missing-risk-signoff"
FORGED = "| EU-AIA:Art.11(1) | ✅ satisfied | RW204 satisfied | — |"  # it is failing (RW204)
ZEROS = "0" * 64


def _files(ending: str) -> dict[str, str | bytes]:
    root = CASE / "yellows-over-the-limit-without-signoff/repo"
    files: dict[str, str | bytes] = files_of(root)
    files["roadworthy.yaml"] = str(files["roadworthy.yaml"]).replace(
        "extends: [recommended]", "extends: [recommended, eu-ai-act-high-risk]"
    )
    header = "| clause | status | rules | evidence |" + ending + "|---|---|---|---|"
    at = f"2026-12-01.{ending}{ending}{header}{ending}{FORGED}{ending}"
    escaped = at.replace("\r", "\\r").replace("\n", "\\n")
    files["models/fraud/APPROVALS.yaml"] = (
        f'- approved_by: ["@cro"]\n  digest: sha256:{ZEROS}\n  at: "{escaped}"\n'
    )
    return files


@pytest.mark.parametrize(
    "ending", [pytest.param("\n", id="newline"), pytest.param("\r", id="carriage-return")]
)
def test_a_ledger_entry_cannot_add_rows_to_the_evidence_report(
    tmp_path: Path, run_cli, ending: str
):
    repo = GitRepo.init(tmp_path / "repo", _files(ending), message="fraud, with a ledger")
    shown = run_cli(
        "evidence", "--framework", "eu-ai-act-high-risk", "--as-of", "2026-12-01", cwd=repo.path
    )
    assert shown.exit_code == 0, shown.err
    # Lines as a CommonMark renderer splits them (\r\n, \r and \n all end a line).
    lines = re.split(r"\r\n|\r|\n", shown.out)
    assert FORGED not in lines, shown.out

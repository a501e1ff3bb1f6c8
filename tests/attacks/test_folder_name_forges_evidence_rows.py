"""The evidence report's markdown, attacked through a scanned repository's folder names. Its
cells are escaped for ``|`` and ``\\n`` only, and the path of a finding not at all; a
carriage return is a CommonMark line ending too, and git takes it in a file name. A model
folder whose name carries ``\\r`` and a table ends the row of a failing clause and adds a
table of its own saying the clause is satisfied."""

from __future__ import annotations

import re
from pathlib import Path

from testing.gitrepo import GitRepo

CASE = Path(__file__).parents[1] / "cases/RW411-missing-risk-signoff"
FORGED = "| EU-AIA:Art.11(1) | ✅ satisfied | RW204 satisfied | — |"  # it fails (RW204)
FOLDER = "fraud\r\r| clause | status | rules | evidence |\r|---|---|---|---|\r" + FORGED + "\r"


def _files() -> dict[str, str | bytes]:
    root = CASE / "yellows-over-the-limit-without-signoff/repo"
    files: dict[str, str | bytes] = {}
    for p in root.rglob("*"):
        if p.is_file():
            path = p.relative_to(root).as_posix().replace("models/fraud/", f"models/{FOLDER}/")
            files[path] = p.read_text()
    files["roadworthy.yaml"] = str(files["roadworthy.yaml"]).replace(
        "extends: [recommended]", "extends: [recommended, eu-ai-act-high-risk]"
    )
    files["CODEOWNERS"] = "/models/ @acme/fraud\n"
    return files


def test_a_folder_name_cannot_add_rows_to_the_evidence_report(tmp_path: Path, run_cli):
    repo = GitRepo.init(tmp_path / "repo", _files(), message="a model with a crafted name")
    shown = run_cli(
        "evidence", "--framework", "eu-ai-act-high-risk", "--as-of", "2026-12-01", cwd=repo.path
    )
    assert shown.exit_code == 0, shown.err
    assert "❌ failing | RW101" in shown.out, shown.out  # Art.11(1) really fails
    lines = re.split(r"\r\n|\r|\n", shown.out)  # as a CommonMark renderer splits them
    assert FORGED not in lines, shown.out

"""Attestations, attacked through where they sit. ``ATTESTATIONS.yaml`` at the root speaks for
the repository; one in a component's folder speaks "for that component only". The evidence
report's attestation-only clauses (CE marking, registration: what no file can show) take any
unexpired attestation wherever it sits: the credit model's CE marking, attested in its own
folder, shows as the repository's, and the fraud model beside it, never marked, is covered."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from testing.gitrepo import GitRepo

CASE = Path(__file__).parents[1] / "cases/RW411-missing-risk-signoff"
CE_MARKING = """\
- clause: EU-AIA:Art.48
  statement: CE marking affixed to the credit scorer.
  attested_by: "@compliance"
  evidence: https://intranet.example/ce/credit
  attested: 2026-06-01
  expires: 2027-06-01
"""


def _files(where: str) -> dict[str, str | bytes]:
    root = CASE / "yellows-over-the-limit-without-signoff/repo"
    files: dict[str, str | bytes] = {}
    for p in root.rglob("*"):
        if p.is_file():
            path = p.relative_to(root).as_posix()
            files[path] = p.read_text()
            if path.startswith("models/fraud/"):
                files[path.replace("models/fraud/", "models/credit/")] = p.read_text()
    files["roadworthy.yaml"] = str(files["roadworthy.yaml"]).replace(
        "extends: [recommended]", "extends: [recommended, eu-ai-act-high-risk]"
    )
    files["CODEOWNERS"] = "/models/ @acme/risk\n"
    files[f"{where}ATTESTATIONS.yaml"] = CE_MARKING
    return files


@pytest.mark.parametrize(
    ("where", "covers"),
    [
        pytest.param("", True, id="at-the-root"),
        pytest.param("models/credit/", False, id="in-the-credit-folder"),
    ],
)
def test_a_component_attestation_is_not_the_repositorys(
    tmp_path: Path, run_cli, where: str, covers: bool
):
    repo = GitRepo.init(tmp_path / "repo", _files(where), message="two models")
    shown = run_cli(
        "evidence",
        *("--framework", "eu-ai-act-high-risk", "--format", "json", "--as-of", "2026-12-01"),
        cwd=repo.path,
    )
    assert shown.exit_code == 0, shown.err
    doc = json.loads(shown.out)
    assert sorted(c["name"] for c in doc["components"]) == ["credit", "fraud"], doc["components"]
    status = {r["clause"]: r["status"] for r in doc["repository"]}["EU-AIA:Art.48"]
    # Only a repository-wide attestation makes the repository's CE marking attested.
    assert (status == "attested") is covers, status

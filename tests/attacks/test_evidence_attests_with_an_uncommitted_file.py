"""The evidence report names the commit it describes, and since round 6 says when an artifact's
bytes are not the commit's. Attestations are read from the work tree too, with no such word: an
``ATTESTATIONS.yaml`` written on disk and never committed (or one whose ``expires`` was pushed
out on disk) makes a clause "attested" in a report stamped with a commit that attests nothing.
Real git repositories, the real CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from testing.gitrepo import GitRepo, files_of

CASE = Path(__file__).parents[1] / "cases/RW411-missing-risk-signoff"
CE_MARKING = """\
- clause: EU-AIA:Art.48
  statement: CE marking affixed to the fraud model.
  attested_by: "@compliance"
  evidence: https://intranet.example/ce/fraud
  attested: 2025-06-01
  expires: {expires}
"""


def _files() -> dict[str, str | bytes]:
    root = CASE / "yellows-over-the-limit-without-signoff/repo"
    files: dict[str, str | bytes] = files_of(root)
    files["roadworthy.yaml"] = str(files["roadworthy.yaml"]).replace(
        "extends: [recommended]", "extends: [recommended, eu-ai-act-high-risk]"
    )
    return files


@pytest.mark.parametrize(
    "committed",
    [
        pytest.param(None, id="never-committed"),
        pytest.param(CE_MARKING.format(expires="2026-06-01"), id="expired-in-the-commit"),
    ],
)
def test_an_attestation_the_commit_lacks_is_not_the_commits(
    tmp_path: Path, run_cli, committed: str | None
):
    files = _files()
    if committed is not None:
        files["ATTESTATIONS.yaml"] = committed
    repo = GitRepo.init(tmp_path / "repo", files, message="fraud model")
    repo.write({"ATTESTATIONS.yaml": CE_MARKING.format(expires="2027-06-01")})  # not committed
    shown = run_cli(
        "evidence",
        *("--framework", "eu-ai-act-high-risk", "--format", "json", "--as-of", "2026-12-01"),
        cwd=repo.path,
    )
    assert shown.exit_code == 0, shown.err
    doc = json.loads(shown.out)
    assert doc["commit"] == repo.head
    (row,) = [r for r in doc["repository"] if r["clause"] == "EU-AIA:Art.48"]
    said = [a.get("committed") for a in row["attestations"]]
    # The commit named holds no valid CE marking: attested only with a word that it is not
    # the commit's.
    assert row["status"] != "attested" or False in said, row

"""Attestations, attacked through a link. A change to ``ATTESTATIONS.yaml`` is a governance change
(RW407): an attestation stands in for evidence an auditor reads. ``roadworthy evidence`` reads
the file through a link, but change control matches only a changed path named
``ATTESTATIONS.yaml``. Where the file is a link into ``compliance/`` (approved once, holding an
empty list), a pull request that only edits the link's target adds an attestation: no finding,
and the clause turns ``attested`` in the evidence pack. (The policy behind a link was fixed the
same way in round 3; attestations were not.)"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from testing.gitrepo import GitRepo

ROOT = Path(__file__).resolve().parents[1]
CASE = ROOT / "cases/RW501-missing-risk-management-record/high-risk-needs-one/repo"
ATTESTED = """\
- clause: EU-AIA:Art.48
  statement: CE marking affixed to the credit scoring service's documentation.
  attested_by: "@compliance"
  evidence: https://intranet.example/ce/credit-2026
  attested: 2026-11-01
  expires: 2027-11-01
"""


def _status(run_cli, repo: GitRepo, clause: str) -> str:
    result = run_cli(
        "evidence",
        "--framework",
        "eu-ai-act-high-risk",
        "--format",
        "json",
        "--as-of",
        "2026-12-05",
        cwd=repo.path,
    )
    assert result.exit_code == 0, result.err
    found = {c["clause"]: c["status"] for c in json.loads(result.out)["repository"]}
    return found[clause]


def test_editing_the_target_of_an_attestations_link_is_a_governance_change(tmp_path: Path, run_cli):
    shutil.copytree(CASE, tmp_path / "repo")
    repo = GitRepo.init(tmp_path / "repo", {"compliance/attestations.yaml": "[]\n"})
    os.symlink("compliance/attestations.yaml", repo.path / "ATTESTATIONS.yaml")
    repo.commit("attestations live in compliance/ (none yet)")
    repo.git("branch", "base")
    assert _status(run_cli, repo, "EU-AIA:Art.48") == "not-assessed"

    repo.write({"compliance/attestations.yaml": ATTESTED})
    repo.commit("tidy compliance notes")
    assert _status(run_cli, repo, "EU-AIA:Art.48") == "attested"  # the pack now claims it
    result = run_cli("check", "--diff", "base", "--format", "json", cwd=repo.path)
    codes = [f["code"] for f in json.loads(result.out)["findings"]]
    assert "RW407" in codes, result.out

"""The evidence report, attacked through what it calls "approvals on record". Under ``verify:
author`` an entry counts only when one of its approvers committed it, and ``check`` knows that
mallory's entry naming ``@cro`` is no sign-off (RW411 stays). ``roadworthy evidence`` reads the
same ledger as text: it tells the auditor the latest approval on record is by @cro, with no
word that nobody proved it (issue 14: "approval ledger entries and their digests" as evidence).
"""

from __future__ import annotations

import json
from pathlib import Path

from testing.gitrepo import GitRepo, files_of

CASE = Path(__file__).parents[1] / "cases/RW411-missing-risk-signoff"
MALLORY = ("Mallory", "mallory@example.com")
POLICY_TAIL = """\
change_control:
  approval: {verify: author}
people:
  "@cro": [cro@example.com]
"""


def _files() -> dict[str, str | bytes]:
    root = CASE / "yellows-over-the-limit-without-signoff/repo"
    files: dict[str, str | bytes] = files_of(root)
    policy = str(files["roadworthy.yaml"]).replace(
        "extends: [recommended]", "extends: [recommended, eu-ai-act-high-risk]"
    )
    files["roadworthy.yaml"] = policy + POLICY_TAIL
    return files


def test_evidence_does_not_vouch_for_an_entry_nobody_proved(tmp_path: Path, run_cli):
    repo = GitRepo.init(tmp_path / "repo", _files(), message="fraud, two yellow dimensions")
    signed = run_cli("approve", "models/fraud", "--signoff", "--by", "@cro", cwd=repo.path)
    assert signed.exit_code == 0, signed.err
    repo.commit("risk accepted", author=MALLORY)  # mallory writes the CRO's name and commits

    check = run_cli("check", "--as-of", "2026-12-01", cwd=repo.path)
    assert "RW411" in check.out and "unverified author" in check.out, check.out  # no sign-off

    shown = run_cli(
        "evidence", "--framework", "eu-ai-act-high-risk", "--as-of", "2026-12-01", cwd=repo.path
    )
    assert shown.exit_code == 0, shown.err
    # The auditor must not read an unproven entry as the CRO's approval.
    assert "latest by @cro on" not in shown.out, shown.out

    as_json = run_cli(
        "evidence",
        *("--framework", "eu-ai-act-high-risk", "--format", "json", "--as-of", "2026-12-01"),
        cwd=repo.path,
    )
    approvals = json.loads(as_json.out)["components"][0]["approvals"]
    bare = {"ledger", "line", "approved_by", "at", "digest"}  # nothing says whether it counts
    vouched = [a for a in approvals if a["approved_by"] == ["@cro"] and set(a) == bare]
    assert vouched == [], approvals

"""The evidence report names the commit it describes and, per component, whether its current
bytes are approved. Approvals are judged on the index (as ``roadworthy approve`` reads it): an
approval entry appended and staged, never committed, makes the report say "approved" beside a
commit whose ledger has no entry (new weights nobody approved in it). Since round 6 artifacts say
when their bytes are not the commit's; the ledger says nothing. Real git repositories, the real
CLI."""

from __future__ import annotations

import json

from testing.gitrepo import GitRepo

from tests.change.conftest import MALLORY, approve

LEDGER = "models/credit/APPROVALS.yaml"


def _approval(run_cli, repo: GitRepo) -> dict:
    shown = run_cli(
        "evidence",
        *("--framework", "eu-ai-act-high-risk", "--format", "json", "--as-of", "2026-12-01"),
        cwd=repo.path,
    )
    assert shown.exit_code == 0, shown.err
    doc = json.loads(shown.out)
    assert doc["commit"] == repo.head
    (component,) = doc["components"]
    return component["approval"]


def test_an_approval_the_commit_lacks_is_not_the_commits(credit_repo: GitRepo, run_cli):
    credit_repo.write({"models/credit/model.onnx": b"weights-v2\n"})
    credit_repo.commit("new weights, unapproved", author=MALLORY)
    assert _approval(run_cli, credit_repo)["approved"] is False
    approve(run_cli, credit_repo, "models/credit", "--by", "@alice")
    credit_repo.git("add", LEDGER)  # staged, not committed
    assert LEDGER not in credit_repo.git("ls-tree", "-r", "--name-only", "HEAD")
    standing = _approval(run_cli, credit_repo)
    # The commit named has no approval of its weights: not approved, or said not committed.
    assert standing["approved"] is False or standing.get("committed") is False, standing

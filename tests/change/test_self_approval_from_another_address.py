"""Self-approval compares people, not addresses: Alice is on the owning team by her work
address, so weights she commits from her GitHub no-reply address (which names only ``@alice``)
are still the team's change, and the team's approval of them is hers. Real git repository, the
real CLI (the evidence report, which judges approvals as change control does)."""

from __future__ import annotations

import json

import pytest
from testing.gitrepo import GitRepo

from tests.change.conftest import CODEOWNERS, MALLORY, POLICY, approve

TEAM = '  "@acme/credit": [alice@example.com, bob@example.com]\n'


def _approved(run_cli, repo: GitRepo) -> bool:
    shown = run_cli(
        "evidence",
        *("--framework", "eu-ai-act-high-risk", "--format", "json", "--as-of", "2026-12-01"),
        cwd=repo.path,
    )
    assert shown.exit_code == 0, shown.err
    (component,) = json.loads(shown.out)["components"]
    return bool(component["approval"]["approved"])


@pytest.mark.parametrize(
    ("retrained_by", "approved"),
    [(("Alice", "7+alice@users.noreply.github.com"), False), (MALLORY, True)],
    ids=["alice-from-noreply", "someone-else"],
)
def test_a_team_approval_of_a_members_change_from_her_noreply_address(
    credit_repo: GitRepo, run_cli, retrained_by: tuple[str, str], approved: bool
) -> None:
    credit_repo.write(
        {
            "roadworthy.yaml": POLICY + TEAM,
            ".github/CODEOWNERS": CODEOWNERS.replace(
                "/models/credit/ @alice @bob", "/models/credit/ @alice @bob @acme/credit"
            ),
        }
    )
    credit_repo.commit("the credit team owns the model", author=MALLORY)
    credit_repo.write({"models/credit/model.onnx": b"weights-v2\n"})
    credit_repo.commit("retrain", author=retrained_by)
    approve(run_cli, credit_repo, "models/credit", "--by", "@acme/credit")
    credit_repo.commit("record the approval", author=MALLORY)
    assert _approved(run_cli, credit_repo) is approved

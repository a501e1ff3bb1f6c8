"""Sign-off, attacked through a second handle. Self-sign-off is refused "like self-approval"
(issue 13), and approvals count one *person* once, whatever handles the policy's ``people``
gives her. The sign-off compares *handles* instead, so a person who owns the component under
one handle signs it off under another, under ``verify: author``, committing it herself:

- alice owns the component as ``@alice`` and sits on the risk committee, a sign-off approver
  the policy names: she signs off as ``@acme/risk-committee``;
- the component is owned by the fraud team, and alice, on that team, is also the CRO: she
  signs off as ``@cro``.

Either way the commit proves a handle that is not in the owners list, and the owner has
accepted her own model's risk."""

from __future__ import annotations

from pathlib import Path

import pytest
from testing.gitrepo import GitRepo, files_of

CASE = Path(__file__).parents[1] / "cases/RW411-missing-risk-signoff"
ALICE = ("Alice Owner", "alice@example.com")
OWNER_ON_THE_COMMITTEE = """\
change_control:
  approval: {verify: author}
people:
  "@alice": [alice@example.com]
  "@acme/risk-committee": [alice@example.com, carol@example.com]
"""
CRO_ON_THE_TEAM = """\
change_control:
  approval: {verify: author}
people:
  "@acme/fraud": [alice@example.com, bob@example.com]
  "@cro": [alice@example.com]
"""


def _files(policy_tail: str, owner: str) -> dict[str, str | bytes]:
    root = CASE / "yellows-over-the-limit-without-signoff/repo"
    files: dict[str, str | bytes] = files_of(root)
    files["roadworthy.yaml"] = str(files["roadworthy.yaml"]) + policy_tail
    files["CODEOWNERS"] = f"/models/fraud/ {owner}\n"
    card = str(files["models/fraud/MODEL_CARD.md"])
    files["models/fraud/MODEL_CARD.md"] = card.replace(
        'owners: ["@acme/fraud", "@acme/risk"]', f'owners: ["{owner}"]'
    )
    return files


@pytest.mark.parametrize(
    ("policy_tail", "owner", "signer"),
    [
        pytest.param(OWNER_ON_THE_COMMITTEE, "@alice", "@acme/risk-committee", id="as-a-team"),
        pytest.param(CRO_ON_THE_TEAM, "@acme/fraud", "@cro", id="as-herself"),
    ],
)
def test_one_person_owns_and_signs_off(
    tmp_path: Path, run_cli, policy_tail: str, owner: str, signer: str
):
    repo = GitRepo.init(tmp_path / "repo", _files(policy_tail, owner), message="fraud")
    before = run_cli("check", "--as-of", "2026-12-01", cwd=repo.path)
    assert "RW411" in before.out and before.exit_code == 1, before.out  # over the limit

    signed = run_cli("approve", "models/fraud", "--signoff", "--by", signer, cwd=repo.path)
    assert signed.exit_code == 0, signed.err
    repo.commit("risk accepted", author=ALICE)  # alice, an owner, commits her own sign-off

    after = run_cli("check", "--as-of", "2026-12-01", cwd=repo.path)
    # One person is one signer: alice owns the component, so her sign-off is a self-sign-off.
    assert "RW411" in after.out, after.out
    assert after.exit_code == 1, after.out

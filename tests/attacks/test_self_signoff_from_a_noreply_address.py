"""Sign-off compares people. The CRO is on the fraud team that owns the component (the policy's
``people`` lists her address under ``@acme/fraud`` and under ``@cro``), so a sign-off she
commits from that address is a self-sign-off and does not count. Committed from her GitHub
no-reply address instead (what the web editor and a privacy setting use), the commit proves
``@cro`` (a no-reply address names its login), but the owner comparison goes from that address
to the handles it answers to and stops: ``@cro``'s other address, the one on the team, is never
looked at, and she accepts her own model's risk. Attack round 9; real git repository, the real
CLI."""

from __future__ import annotations

from pathlib import Path

import pytest
from testing.gitrepo import GitRepo, files_of

CASE = Path(__file__).parents[1] / "cases/RW411-missing-risk-signoff"
CRO_ON_THE_TEAM = """\
change_control:
  approval: {verify: author}
people:
  "@acme/fraud": [cro@example.com, bob@example.com]
  "@cro": [cro@example.com]
"""


def _files() -> dict[str, str | bytes]:
    root = CASE / "yellows-over-the-limit-without-signoff/repo"
    files: dict[str, str | bytes] = files_of(root)
    files["roadworthy.yaml"] = str(files["roadworthy.yaml"]) + CRO_ON_THE_TEAM
    files["CODEOWNERS"] = "/models/fraud/ @acme/fraud\n"
    card = str(files["models/fraud/MODEL_CARD.md"])
    files["models/fraud/MODEL_CARD.md"] = card.replace(
        'owners: ["@acme/fraud", "@acme/risk"]', 'owners: ["@acme/fraud"]'
    )
    return files


@pytest.mark.parametrize(
    "email",
    ["cro@example.com", "41234+cro@users.noreply.github.com"],
    ids=["team-address", "noreply-address"],
)
def test_the_cro_on_the_owning_team_signs_off(tmp_path: Path, run_cli, email: str) -> None:
    repo = GitRepo.init(tmp_path / "repo", _files(), message="fraud, two yellow dimensions")
    before = run_cli("check", "--as-of", "2026-12-01", cwd=repo.path)
    assert "RW411" in before.out and "RW301" not in before.out, before.out
    signed = run_cli("approve", "models/fraud", "--signoff", "--by", "@cro", cwd=repo.path)
    assert signed.exit_code == 0, signed.err
    repo.commit("risk accepted", author=("The CRO", email))
    after = run_cli("check", "--as-of", "2026-12-01", cwd=repo.path)
    # She is on the owning team: a self-sign-off, whichever address she commits from.
    assert "RW411" in after.out, after.out
    assert after.exit_code == 1, after.out

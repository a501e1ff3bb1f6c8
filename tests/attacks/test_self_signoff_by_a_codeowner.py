"""Sign-off, attacked through where owners are written. Self-sign-off is refused "like
self-approval" (issue 13), but the sign-off compares its approvers with the owners the card's
front matter lists only. A component owned through CODEOWNERS alone (which RW301 accepts as its
owners) is signed off by its own owner, who is also a sign-off approver: she accepts the risk
of her own model."""

from __future__ import annotations

from pathlib import Path

from testing.gitrepo import GitRepo, files_of

CASE = Path(__file__).parents[1] / "cases/RW411-missing-risk-signoff"


def test_the_codeowner_signs_off_her_own_component(tmp_path: Path, run_cli):
    root = CASE / "yellows-over-the-limit-without-signoff/repo"
    files: dict[str, str | bytes] = files_of(root)
    card = str(files["models/fraud/MODEL_CARD.md"])
    files["models/fraud/MODEL_CARD.md"] = card.replace(
        'owners: ["@acme/fraud", "@acme/risk"]\n', ""
    )
    files["CODEOWNERS"] = "/models/fraud/ @cro\n"  # @cro is a sign-off approver (the policy)
    repo = GitRepo.init(tmp_path / "repo", files, message="fraud, owned by @cro")
    before = run_cli("check", "--as-of", "2026-12-01", cwd=repo.path)
    assert "RW411" in before.out and "RW301" not in before.out, before.out  # owned, over limit

    run_cli("approve", "models/fraud", "--signoff", "--by", "@cro", cwd=repo.path)
    repo.commit("risk accepted")
    after = run_cli("check", "--as-of", "2026-12-01", cwd=repo.path)
    # @cro owns the component: a self-sign-off, which does not count.
    assert "RW411" in after.out, after.out
    assert after.exit_code == 1, after.out

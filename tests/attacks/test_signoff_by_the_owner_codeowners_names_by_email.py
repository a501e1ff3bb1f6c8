"""Sign-off compares people: the sign-off's approvers against the component's owners, through
the policy's ``people``. CODEOWNERS may name an owner by e-mail address (GitHub accepts it, and
RW301 counts it as an owner), but the comparison only walks from a handle to its addresses and
back to handles: ``@cro`` stands for ``cro@acme.example``, which answers to ``@cro`` alone, and
the owner written as ``cro@acme.example`` is never matched. The owner signs off the risk of
her own model under her handle. Attack round 9; real git repository, the real CLI."""

from __future__ import annotations

from pathlib import Path

from testing.gitrepo import GitRepo, files_of

CASE = Path(__file__).parents[1] / "cases/RW411-missing-risk-signoff"


def test_the_owner_named_by_email_signs_off_her_own_component(tmp_path: Path, run_cli):
    root = CASE / "yellows-over-the-limit-without-signoff/repo"
    files: dict[str, str | bytes] = files_of(root)
    card = str(files["models/fraud/MODEL_CARD.md"])
    files["models/fraud/MODEL_CARD.md"] = card.replace(
        'owners: ["@acme/fraud", "@acme/risk"]\n', ""
    )
    files["roadworthy.yaml"] = str(files["roadworthy.yaml"]) + (
        'people:\n  "@cro": [cro@acme.example]\n'
    )
    files["CODEOWNERS"] = "/models/fraud/ cro@acme.example\n"  # the owner, by address
    repo = GitRepo.init(tmp_path / "repo", files, message="fraud, owned by the cro")
    before = run_cli("check", "--as-of", "2026-12-01", cwd=repo.path)
    assert "RW411" in before.out and "RW301" not in before.out, before.out  # owned, over limit

    run_cli("approve", "models/fraud", "--signoff", "--by", "@cro", cwd=repo.path)
    repo.commit("risk accepted")
    after = run_cli("check", "--as-of", "2026-12-01", cwd=repo.path)
    # @cro is cro@acme.example, the owner: a self-sign-off, which does not count.
    assert "RW411" in after.out, after.out
    assert after.exit_code == 1, after.out

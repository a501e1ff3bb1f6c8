"""Sign-off, attacked through the trust level. The policy asks for ``verify: author``: an entry
counts only when the commit adding it was authored by one of its approvers (issue 9), so an
owner cannot write ``approved_by: [@cro]`` and commit it herself. A sign-off is a ledger entry
too, but it is judged on its ``approved_by`` text alone: the owner runs ``approve --signoff
--by @cro`` and commits it under her own name, and her component's accepted risk is signed off
by the chief risk officer who never saw it (a self-sign-off by proxy)."""

from __future__ import annotations

from pathlib import Path

from testing.gitrepo import GitRepo, files_of

CASE = Path(__file__).parents[1] / "cases/RW411-missing-risk-signoff"
ALICE = ("Alice Owner", "alice@example.com")
POLICY_TAIL = """\
change_control:
  approval: {verify: author}
people:
  "@cro": [cro@example.com]
  "@alice": [alice@example.com]
"""


def _files() -> dict[str, str | bytes]:
    root = CASE / "yellows-over-the-limit-without-signoff/repo"
    files: dict[str, str | bytes] = files_of(root)
    files["roadworthy.yaml"] = str(files["roadworthy.yaml"]) + POLICY_TAIL
    files["CODEOWNERS"] = "/models/fraud/ @alice\n"
    card = str(files["models/fraud/MODEL_CARD.md"])
    files["models/fraud/MODEL_CARD.md"] = card.replace(
        'owners: ["@acme/fraud", "@acme/risk"]', 'owners: ["@alice"]'
    )
    return files


def test_owner_commits_a_signoff_in_the_cros_name(tmp_path: Path, run_cli):
    repo = GitRepo.init(tmp_path / "repo", _files(), message="fraud, two yellow dimensions")
    repo.git("branch", "base")
    before = run_cli("check", "--as-of", "2026-12-01", cwd=repo.path)
    assert "RW411" in before.out and before.exit_code == 1, before.out  # the honest starting point

    signed = run_cli("approve", "models/fraud", "--signoff", "--by", "@cro", cwd=repo.path)
    assert signed.exit_code == 0, signed.err
    repo.commit("risk accepted", author=ALICE)  # alice, not the CRO, adds the entry

    result = run_cli("check", "--diff", "base", "--as-of", "2026-12-01", cwd=repo.path)
    # Under verify: author the entry is not the CRO's doing: no valid sign-off.
    assert "RW411" in result.out, result.out
    assert result.exit_code == 1, result.out

"""Sign-off, attacked through a second handle. Self-sign-off is refused "like self-approval"
(issue 13), and approvals count one *person* once, whatever handles the policy's ``people``
gives her. The sign-off compares *handles* instead: alice owns the component as ``@alice`` and
sits on the risk committee, a sign-off approver the policy names. Under ``verify: author`` she
runs ``approve --signoff --by @acme/risk-committee`` and commits it herself; the commit proves
the committee handle, which is not in the owners list, and the owner has accepted her own
model's risk."""

from __future__ import annotations

from pathlib import Path

from testing.gitrepo import GitRepo

CASE = Path(__file__).parents[1] / "cases/RW411-missing-risk-signoff"
ALICE = ("Alice Owner", "alice@example.com")
POLICY_TAIL = """\
change_control:
  approval: {verify: author}
people:
  "@alice": [alice@example.com]
  "@acme/risk-committee": [alice@example.com, carol@example.com]
"""


def _files() -> dict[str, str | bytes]:
    root = CASE / "yellows-over-the-limit-without-signoff/repo"
    files: dict[str, str | bytes] = {
        p.relative_to(root).as_posix(): p.read_text() for p in root.rglob("*") if p.is_file()
    }
    files["roadworthy.yaml"] = str(files["roadworthy.yaml"]) + POLICY_TAIL
    files["CODEOWNERS"] = "/models/fraud/ @alice\n"
    card = str(files["models/fraud/MODEL_CARD.md"])
    files["models/fraud/MODEL_CARD.md"] = card.replace(
        'owners: ["@acme/fraud", "@acme/risk"]', 'owners: ["@alice"]'
    )
    return files


def test_the_owner_signs_off_as_her_committee(tmp_path: Path, run_cli):
    repo = GitRepo.init(tmp_path / "repo", _files(), message="fraud, owned by alice")
    before = run_cli("check", "--as-of", "2026-12-01", cwd=repo.path)
    assert "RW411" in before.out and before.exit_code == 1, before.out  # over the limit

    signed = run_cli(
        "approve", "models/fraud", "--signoff", "--by", "@acme/risk-committee", cwd=repo.path
    )
    assert signed.exit_code == 0, signed.err
    repo.commit("risk accepted", author=ALICE)  # alice, the owner, commits her own sign-off

    after = run_cli("check", "--as-of", "2026-12-01", cwd=repo.path)
    # One person is one signer: alice owns the component, so her sign-off is a self-sign-off.
    assert "RW411" in after.out, after.out
    assert after.exit_code == 1, after.out

"""Under ``verify: author`` a sign-off entry counts only when one of its approvers committed it:
the checker walks the ledger's history for the oldest commit that holds the entry. In a shallow
clone (CI's default ``fetch-depth: 1`` for a check on push) that walk stops at the boundary
commit, which shows the whole ledger as added: whoever made HEAD "committed" every entry.
Mallory writes the CRO's name into the ledger and commits it; once the CRO commits anything on
top, a full check of a shallow clone proves the forged sign-off and RW411 goes away. Attack
round 9; real git repositories (``git clone --depth 1``), the real CLI."""

from __future__ import annotations

from pathlib import Path

from testing.gitrepo import GitRepo, files_of

CASE = Path(__file__).parents[1] / "cases/RW411-missing-risk-signoff"
MALLORY = ("Mallory", "mallory@example.com")
CRO = ("The CRO", "cro@example.com")
POLICY_TAIL = """\
change_control:
  approval: {verify: author}
people:
  "@cro": [cro@example.com]
"""


def _files() -> dict[str, str | bytes]:
    root = CASE / "yellows-over-the-limit-without-signoff/repo"
    files: dict[str, str | bytes] = files_of(root)
    files["roadworthy.yaml"] = str(files["roadworthy.yaml"]) + POLICY_TAIL
    return files


def test_a_shallow_clone_proves_a_forged_signoff(tmp_path: Path, run_cli) -> None:
    repo = GitRepo.init(tmp_path / "repo", _files(), message="fraud, two yellow dimensions")
    signed = run_cli("approve", "models/fraud", "--signoff", "--by", "@cro", cwd=repo.path)
    assert signed.exit_code == 0, signed.err
    repo.commit("risk accepted", author=MALLORY)  # mallory writes the CRO's name and commits
    repo.write({"NOTES.md": "quarterly review\n"})
    repo.commit("notes", author=CRO)  # the CRO commits something else on top
    full = run_cli("check", "--as-of", "2026-12-01", cwd=repo.path)
    assert "RW411" in full.out, full.out  # the full history: no sign-off

    shallow = tmp_path / "shallow"
    repo.git("clone", "-q", "--depth", "1", repo.path.as_uri(), str(shallow))
    checked = run_cli("check", "--as-of", "2026-12-01", cwd=shallow)
    # Still no sign-off, or at least the check says it could not see who added the entry.
    assert "RW411" in checked.out or "shallow" in checked.out + checked.err, checked.out

"""Sign-offs compare people, and prove them against allowed signers the change did not bring:
the honest side of tests/attacks/test_self_signoff_through_a_team_handle.py and
test_signoff_signed_with_a_key_the_change_adds.py, on real git repositories through the CLI."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from testing.gitrepo import GitRepo, files_of

CASE = Path(__file__).parents[1] / "cases/RW411-missing-risk-signoff"
SIGNERS = ".github/allowed_signers"
COMMITTEE = """\
change_control:
  approval: {verify: author}
people:
  "@alice": [alice@example.com]
  "@acme/risk-committee": [alice@example.com, carol@example.com]
"""


def _files(policy_tail: str, owner: str = "@acme/fraud") -> dict[str, str | bytes]:
    root = CASE / "yellows-over-the-limit-without-signoff/repo"
    files: dict[str, str | bytes] = files_of(root)
    files["roadworthy.yaml"] = str(files["roadworthy.yaml"]) + policy_tail
    files["CODEOWNERS"] = f"/models/fraud/ {owner}\n"
    card = str(files["models/fraud/MODEL_CARD.md"])
    files["models/fraud/MODEL_CARD.md"] = card.replace(
        'owners: ["@acme/fraud", "@acme/risk"]', f'owners: ["{owner}"]'
    )
    return files


def _rw411(run_cli, repo: GitRepo, *args: str) -> list[str]:
    out = run_cli("check", "--as-of", "2026-12-01", *args, cwd=repo.path).out
    return [line for line in out.splitlines() if " RW411 " in line]


@pytest.mark.parametrize(
    ("author", "signed_off"),
    [
        pytest.param(("Carol Risk", "carol@example.com"), True, id="carol-not-an-owner"),
        pytest.param(("Alice Owner", "alice@example.com"), False, id="alice-the-owner"),
    ],
)
def test_a_team_signoff_counts_for_the_member_who_commits_it(
    tmp_path: Path, run_cli, author: tuple[str, str], signed_off: bool
) -> None:
    """alice owns the component; the risk committee is alice and carol. Committed by carol,
    the committee's sign-off is carol's and counts; committed by alice, it is hers."""
    repo = GitRepo.init(tmp_path / "repo", _files(COMMITTEE, "@alice"), message="fraud")
    signed = run_cli(
        "approve", "models/fraud", "--signoff", "--by", "@acme/risk-committee", cwd=repo.path
    )
    assert signed.exit_code == 0, signed.err
    repo.commit("risk accepted", author=author)
    rw411 = _rw411(run_cli, repo)
    if signed_off:
        assert rw411 == [], rw411
    else:
        assert rw411 and "self-sign-off" in rw411[0] and "@alice" in rw411[0], rw411


def test_an_unproven_team_signoff_with_an_owner_in_it_is_refused(tmp_path: Path, run_cli) -> None:
    """At ``verify: entry`` nobody is proven: the committee's handle stands for alice as much
    as for carol, and alice owns the component."""
    tail = COMMITTEE.replace("{verify: author}", "{verify: entry}")
    repo = GitRepo.init(tmp_path / "repo", _files(tail, "@alice"), message="fraud")
    run_cli("approve", "models/fraud", "--signoff", "--by", "@acme/risk-committee", cwd=repo.path)
    repo.commit("risk accepted", author=("Carol Risk", "carol@example.com"))
    rw411 = _rw411(run_cli, repo)
    assert rw411 and "self-sign-off: @acme/risk-committee" in rw411[0], rw411


def _key(folder: Path, name: str, principal: str) -> tuple[str, str]:
    key = folder / name
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", str(key)], check=True
    )
    public = (folder / f"{name}.pub").read_text().split()
    return str(key), f'{principal} namespaces="git" {public[0]} {public[1]}\n'


SIGNED = f"""\
change_control:
  approval: {{verify: signature, allowed_signers: {SIGNERS}}}
people:
  "@cro": [cro@example.com]
"""
CRO = ("Chief Risk Officer", "cro@example.com")


@pytest.mark.skipif(shutil.which("ssh-keygen") is None, reason="no ssh-keygen")
def test_signatures_verify_against_signers_the_change_did_not_bring(
    tmp_path: Path, run_cli
) -> None:
    keys = tmp_path / "keys"
    keys.mkdir()
    cro_key, cro_line = _key(keys, "cro", "cro@example.com")
    mallory_key, mallory_line = _key(keys, "mallory", "cro@example.com")
    files = _files(SIGNED) | {SIGNERS: cro_line}
    repo = GitRepo.init(tmp_path / "repo", files, message="fraud, over the limit")
    repo.git("branch", "base")
    repo.git("config", "gpg.format", "ssh")

    # The CRO signs with the key the base trusts: the sign-off counts, in either mode.
    run_cli("approve", "models/fraud", "--signoff", "--by", "@cro", cwd=repo.path)
    repo.git("config", "user.signingkey", cro_key)
    repo.commit("risk accepted", author=CRO, extra_args=("-S",))
    assert _rw411(run_cli, repo, "--diff", "base") == []
    assert _rw411(run_cli, repo) == []

    # A key written into the work tree, not committed, proves nothing in a full check.
    repo.git("reset", "-q", "--hard", "base")
    repo.write({SIGNERS: cro_line + mallory_line})
    run_cli("approve", "models/fraud", "--signoff", "--by", "@cro", cwd=repo.path)
    repo.git("config", "user.signingkey", mallory_key)
    repo.git("add", "models")
    repo.git("commit", "-q", "-S", "--author", "Chief Risk Officer <cro@example.com>", "-m", "s")
    rw411 = _rw411(run_cli, repo)
    assert rw411 and "unverified signature" in rw411[0], rw411


CRO_IS_ALICE = """\
change_control:
  approval: {verify: author}
people:
  "@alice": [alice@example.com]
  "@cro": [alice@example.com]
"""


def test_a_change_cannot_drop_its_signer_from_the_owners(tmp_path: Path, run_cli) -> None:
    """alice owns the component at the base; the change hands it to the fraud team and carries
    her sign-off as the CRO. The base's owners count too: it is still her own risk."""
    repo = GitRepo.init(tmp_path / "repo", _files(CRO_IS_ALICE, "@alice"), message="fraud")
    repo.git("branch", "base")
    card = (repo.path / "models/fraud/MODEL_CARD.md").read_text()
    repo.write(
        {
            "CODEOWNERS": "/models/fraud/ @acme/fraud\n",
            "models/fraud/MODEL_CARD.md": card.replace('["@alice"]', '["@acme/fraud"]'),
        }
    )
    repo.commit("hand over", author=("Alice Owner", "alice@example.com"))
    run_cli("approve", "models/fraud", "--signoff", "--by", "@cro", cwd=repo.path)
    repo.commit("risk accepted", author=("Alice Owner", "alice@example.com"))
    assert _rw411(run_cli, repo) == []  # the head alone: @acme/fraud owns it, alice is not in it
    rw411 = _rw411(run_cli, repo, "--diff", "base")
    assert rw411 and "self-sign-off: alice@example.com" in rw411[0], rw411

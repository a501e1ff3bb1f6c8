"""Sign-off, attacked through the trust root. Under ``verify: signature`` a commit must verify
"against ``allowed_signers`` as the base revision has it", so that "a change cannot add the key
it signs with" (docs/policy.md; approvals do so). Sign-offs read the allowed-signers file from
the tree being judged: mallory's change adds her own key under the CRO's address, commits a
sign-off in the CRO's name signed with it, and the sign-off is proven. The change to the
allowed signers is a governance change (RW407) to be approved on its own; the sign-off must
not ride on it."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from testing.gitrepo import GitRepo, files_of

CASE = Path(__file__).parents[1] / "cases/RW411-missing-risk-signoff"
SIGNERS = ".github/allowed_signers"
CRO = ("Chief Risk Officer", "cro@example.com")
POLICY_TAIL = f"""\
change_control:
  approval: {{verify: signature, allowed_signers: {SIGNERS}}}
people:
  "@cro": [cro@example.com]
"""

pytestmark = pytest.mark.skipif(shutil.which("ssh-keygen") is None, reason="no ssh-keygen")


def _key(folder: Path, name: str, principal: str) -> tuple[str, str]:
    key = folder / name
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", str(key)], check=True
    )
    public = (folder / f"{name}.pub").read_text().split()
    return str(key), f'{principal} namespaces="git" {public[0]} {public[1]}\n'


def _files(signers: str) -> dict[str, str | bytes]:
    root = CASE / "yellows-over-the-limit-without-signoff/repo"
    files: dict[str, str | bytes] = files_of(root)
    files["roadworthy.yaml"] = str(files["roadworthy.yaml"]) + POLICY_TAIL
    files[SIGNERS] = signers
    return files


@pytest.mark.parametrize(
    "add_key", [pytest.param(False, id="key-not-allowed"), pytest.param(True, id="key-added")]
)
def test_a_signoff_verifies_against_the_base_signers(tmp_path: Path, run_cli, add_key: bool):
    keys = tmp_path / "keys"
    keys.mkdir()
    _, cro_line = _key(keys, "cro", "cro@example.com")
    mallory_key, mallory_as_cro = _key(keys, "mallory", "cro@example.com")
    repo = GitRepo.init(tmp_path / "repo", _files(cro_line), message="fraud, over the limit")
    repo.git("branch", "base")

    if add_key:
        repo.write({SIGNERS: cro_line + mallory_as_cro})  # "the CRO's new laptop"
    signed = run_cli("approve", "models/fraud", "--signoff", "--by", "@cro", cwd=repo.path)
    assert signed.exit_code == 0, signed.err
    repo.git("config", "gpg.format", "ssh")
    repo.git("config", "user.signingkey", mallory_key)
    repo.commit("risk accepted", author=CRO, extra_args=("-S",))  # mallory's key, CRO's name

    result = run_cli("check", "--diff", "base", "--as-of", "2026-12-01", cwd=repo.path)
    # The base trusts only the CRO's own key: mallory's signature proves nobody.
    rw411 = [line for line in result.out.splitlines() if " RW411 " in line]
    assert rw411 and "unverified signature" in rw411[0], result.out

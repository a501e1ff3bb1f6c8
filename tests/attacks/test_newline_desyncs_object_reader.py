"""One ``git cat-file --batch`` process answers every read, one request per line. A name with a
newline in it is several requests: git answers each, roadworthy reads one answer and leaves the
rest in the pipe, and from then on every read gets an answer meant for an earlier one. The names
after the newline are the attacker's to choose, so the next reads get the objects the attacker
picked.

The model card's relative links are looked up by name, ``%0A`` decoded. A link
``/docs/a%0A<id>%0A<id>…`` queues answers for the reads that follow: the base revision's
``.github`` tree (answered with a tree the change adds under ``docs/``) and the allowed-signers
file behind it. Mallory signs the approval with her own key, listed in her file as
alice@example.com, and ``verify: signature`` — the level that resists forged approvals — passes
her new weights.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from testing.gitrepo import GitRepo

from tests.change.conftest import ALICE, CODEOWNERS, MALLORY, approve, base_files, card, codes
from tests.change.test_governance import SIGNED_POLICY


def _key(folder: Path, name: str, email: str) -> tuple[str, str]:
    key = folder / name
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", email, "-f", str(key)], check=True
    )
    kind, public = (folder / f"{name}.pub").read_text().split()[:2]
    return str(key), f"{kind} {public}"


@pytest.mark.skipif(shutil.which("ssh-keygen") is None, reason="ssh-keygen not installed")
def test_a_newline_in_a_link_cannot_answer_the_reads_that_follow(
    make_repo, judge, run_cli, tmp_path
):
    _, alice_public = _key(tmp_path, "alice", "alice@example.com")
    mallory_key, mallory_public = _key(tmp_path, "mallory", "mallory@example.com")
    files = base_files()
    files["roadworthy.yaml"] = SIGNED_POLICY
    files[".github/allowed_signers"] = f'alice@example.com namespaces="git" {alice_public}\n'
    files["docs/a"] = "notes\n"
    repo: GitRepo = make_repo(files)
    repo.git("branch", "base")

    # What the reads after the link will be answered with: a copy of .github with her key
    # as alice's.
    forged = f'alice@example.com namespaces="git" {mallory_public}\n'
    repo.write({"docs/evil/CODEOWNERS": CODEOWNERS, "docs/evil/allowed_signers": forged})
    repo.commit("docs", author=MALLORY)
    tree = repo.git("rev-parse", "HEAD:docs/evil").strip()
    owners = repo.git("rev-parse", "HEAD:docs/evil/CODEOWNERS").strip()
    signers = repo.git("rev-parse", "HEAD:docs/evil/allowed_signers").strip()
    # head CODEOWNERS (exists, .github, blob), base CODEOWNERS (the same three), base
    # allowed_signers (exists, .github, blob)
    answers = [owners, tree, owners, owners, tree, owners, signers, tree, signers]
    link = "/docs/a" + "".join(f"%0A{a}" for a in answers)
    repo.write(
        {
            "models/credit/model.onnx": b"weights-EVIL\n",
            "models/credit/MODEL_CARD.md": card("1.1.0", extra=f"\nSee [notes]({link}).\n"),
        }
    )
    repo.commit("retrain", author=MALLORY)
    approve(run_cli, repo, "credit", "--by", "@alice")
    repo.git("config", "gpg.format", "ssh")
    repo.git("config", "user.signingkey", mallory_key)
    repo.commit("approval", author=ALICE, extra_args=("-S",))  # signed with mallory's key

    code, found = judge(repo)
    # Without the link: "unverified signature ... has no signature the allowed signers accept".
    assert "RW401" in codes(found), found
    assert code == 1

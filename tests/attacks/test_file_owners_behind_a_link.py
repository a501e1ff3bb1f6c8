"""File-level CODEOWNERS rules (``*.npy @carol``) are asked of the changed material *paths* the
finding names. New bytes behind a weights link are named by the link (``models/credit/weights``,
a link to ``../../store/w``), not by the file that changed (``store/w/shard.npy``, which GitHub
gives to carol): alice approves the credit model alone."""

from __future__ import annotations

import os

from testing.gitrepo import GitRepo

from tests.change.conftest import ALICE, CODEOWNERS, MALLORY, POLICY, approve, card, codes

AUTHOR_POLICY = (
    POLICY.replace('"@mallory"', '"@carol": [carol@example.com]\n  "@mallory"')
    + "change_control:\n  approval: {verify: author}\n"
)


def test_the_owner_of_the_file_behind_a_link_must_approve(credit_repo: GitRepo, judge, run_cli):
    repo = credit_repo
    repo.write(
        {
            ".github/CODEOWNERS": CODEOWNERS + "*.npy @carol\n",
            "roadworthy.yaml": AUTHOR_POLICY,
            "store/w/shard.npy": b"shard-v1\n",
        }
    )
    os.symlink("../../store/w", repo.path / "models/credit/weights")
    repo.commit("shards in the store; ML security owns every shard")
    repo.git("branch", "-f", "base")

    repo.write({"store/w/shard.npy": b"shard-EVIL\n", "models/credit/MODEL_CARD.md": card("1.1.0")})
    repo.commit("retrain", author=MALLORY)
    approve(run_cli, repo, "models/credit", "--by", "@alice")
    repo.commit("alice approves", author=ALICE)
    code, found = judge(repo)
    assert "RW401" in codes(found), found  # carol owns store/w/shard.npy
    assert code == 1

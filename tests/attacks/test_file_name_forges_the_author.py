"""Authors are parsed from ``git log -z --format=%x01%ae --name-only``, where a token starting
with ``\\x01`` is taken for an author line. A file name is bytes: a commit that adds a file named
``\\x01bob@example.com`` (behind a decoy named ``\\x01\\x01``, which sorts first and takes the
newline git prints before the first name) switches the author of every later file of the same
commit to bob. alice retrains the credit model, credits bob with it, and approves it herself."""

from __future__ import annotations

import pytest
from testing.gitrepo import GitRepo

from tests.change.conftest import ALICE, approve, card

FORGERY = {"\x01\x01": "", "\x01bob@example.com": ""}


@pytest.mark.parametrize("extra", [{}, FORGERY], ids=["plain", "forged"])
def test_a_file_name_cannot_change_who_authored_the_weights(
    credit_repo: GitRepo, judge, run_cli, extra
):
    repo = credit_repo
    repo.write(
        {
            **extra,
            "models/credit/model.onnx": b"weights-v2\n",
            "models/credit/MODEL_CARD.md": card("1.1.0"),
        }
    )
    repo.commit("retrain", author=ALICE)
    approve(run_cli, repo, "models/credit", "--by", "@alice")
    repo.commit("alice approves", author=ALICE)
    code, found = judge(repo)
    assert any("self-approval" in message for _, _, message in found), found
    assert code == 1

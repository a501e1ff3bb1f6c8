"""The evidence report judges a component's approval at HEAD and refuses an approver who last
changed a material file (``forbid_self_approval``), asking ``git log -1 -- <file>`` who that
was. In a shallow clone (CI's default ``fetch-depth: 1``) the boundary commit shows every file
as added, so the last author of every file is whoever made HEAD: an owner who retrained the
weights, approved them herself and had someone else commit the ledger is approved there, and
the report neither refuses nor says the history is cut short. Attack round 9; real git
repositories (a ``git clone --depth 1``), the real CLI."""

from __future__ import annotations

import json
from pathlib import Path

from testing.gitrepo import GitRepo

from tests.change.conftest import ALICE, BOB, approve


def _approval(run_cli, where: Path) -> dict:
    shown = run_cli(
        "evidence",
        *("--framework", "eu-ai-act-high-risk", "--format", "json", "--as-of", "2026-12-01"),
        cwd=where,
    )
    assert shown.exit_code == 0, shown.err
    (component,) = json.loads(shown.out)["components"]
    return component["approval"]


def test_a_shallow_clone_hides_who_retrained_the_weights(
    credit_repo: GitRepo, run_cli, tmp_path: Path
) -> None:
    credit_repo.write({"models/credit/model.onnx": b"weights-v2\n"})
    credit_repo.commit("retrain", author=ALICE)
    approve(run_cli, credit_repo, "models/credit", "--by", "@alice")  # her own weights
    credit_repo.commit("record the approval", author=BOB)
    assert _approval(run_cli, credit_repo.path)["approved"] is False  # the full history

    shallow = tmp_path / "shallow"
    GitRepo(credit_repo.path).git(
        "clone", "-q", "--depth", "1", credit_repo.path.as_uri(), str(shallow)
    )
    assert GitRepo(shallow).git("rev-parse", "HEAD").strip() == credit_repo.head
    standing = _approval(run_cli, shallow)
    # Not approved, or at least the report says it could not see who changed the files.
    assert standing["approved"] is False or "shallow" in json.dumps(standing), standing

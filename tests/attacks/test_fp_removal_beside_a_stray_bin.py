"""False positive of the companion fix: a ``*.bin`` marks a component only beside a
``config.json``, but the base root of a removed marker is looked up with the bare marker
patterns. A tokenizer vocabulary ``models/vocab.bin`` (no config.json: no component) makes
``models`` the "component" the removal of ``models/credit`` belongs to; the owners' removal
approval, recorded by ``roadworthy approve models/credit``, never matches; and a component with a
marker in a subfolder inherits the phantom's (unrecorded) owners, so no change of it passes."""

from __future__ import annotations

from testing.gitrepo import GitRepo

from tests.change.conftest import ALICE, BOB, approve, card, codes


def test_a_removal_approved_by_another_owner_passes_beside_a_stray_bin(
    credit_repo: GitRepo, judge, run_cli
):
    repo = credit_repo
    repo.write({"models/vocab.bin": b"tokenizer vocabulary\n"})
    repo.commit("shared vocabulary")
    repo.git("branch", "-f", "base")

    repo.git("rm", "-q", "-r", "models/credit")
    repo.commit("retire the credit model", author=ALICE)
    approve(run_cli, repo, "models/credit", "--by", "@bob")
    repo.commit("bob approves the removal", author=BOB)
    code, found = judge(repo)
    assert "RW401" not in codes(found), found
    assert code == 0


def test_new_weights_approved_by_an_owner_pass_beside_a_stray_bin(
    credit_repo: GitRepo, judge, run_cli
):
    """With a marker in a subfolder (an exported copy), every change of the component is asked
    for the approval of the phantom ``models`` component, whose owners nobody recorded."""
    repo = credit_repo
    repo.write(
        {"models/vocab.bin": b"tokenizer vocabulary\n", "models/credit/int8/model.onnx": b"q\n"}
    )
    repo.commit("shared vocabulary, quantised export")
    repo.git("branch", "-f", "base")

    repo.write(
        {"models/credit/model.onnx": b"weights-v2\n", "models/credit/MODEL_CARD.md": card("1.1.0")}
    )
    repo.commit("retrain", author=ALICE)
    approve(run_cli, repo, "models/credit", "--by", "@bob")
    repo.commit("bob approves", author=BOB)
    code, found = judge(repo)
    assert "RW401" not in codes(found), found
    assert code == 0

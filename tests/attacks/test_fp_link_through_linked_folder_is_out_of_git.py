"""False positive of the outside-link check: a weights link through a linked folder
(``model.onnx -> ../../store/current/w.npy`` with ``store/current -> v1``, a release layout)
resolves on every checkout, and git records every byte of it. roadworthy looks the target up
as one git path, finds none, and calls the link "out of what git records": any change to the
component, a model card edit included, is blocked with advice to commit the weights instead."""

from __future__ import annotations

import os

from testing.gitrepo import GitRepo

from tests.change.conftest import card, codes


def test_a_card_edit_beside_a_link_through_a_linked_folder_passes(credit_repo: GitRepo, judge):
    repo = credit_repo
    repo.write({"models/credit/model.onnx": None, "store/v1/w.npy": b"weights-v1\n"})
    os.symlink("../../store/current/w.npy", repo.path / "models/credit/model.onnx")
    os.symlink("v1", repo.path / "store/current")
    repo.commit("serve the current release")
    repo.git("branch", "-f", "base")

    repo.write({"models/credit/MODEL_CARD.md": card(extra="\n## Contact\nml-team@example.com\n")})
    repo.commit("card: contact")
    code, found = judge(repo)
    assert "RW401" not in codes(found), found
    assert code == 0

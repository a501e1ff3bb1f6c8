"""False positive of the symlinked-weights fix: every link in a component whose target the
change touches is reported as new *weights*, whatever it links to. A monorepo whose components
link the shared licence (``models/credit/LICENSE -> ../../LICENSE``) cannot fix a typo in the
root LICENSE without an owner's approval of "weights", a version bump and a new model card."""

from __future__ import annotations

import os

from testing.gitrepo import GitRepo

from tests.change.conftest import codes


def test_editing_a_shared_file_a_component_links_is_no_weights_change(credit_repo: GitRepo, judge):
    repo = credit_repo
    repo.write({"LICENSE": "Apache License 2.0 (typo)\n"})
    os.symlink("../../LICENSE", repo.path / "models/credit/LICENSE")
    repo.commit("components ship the licence")
    repo.git("branch", "-f", "base")

    repo.write({"LICENSE": "Apache License 2.0\n"})
    repo.commit("fix the licence typo")
    code, found = judge(repo)
    assert not {"RW401", "RW404", "RW405"} & set(codes(found)), found
    assert code == 0

"""``git cat-file --batch`` answers a missing ``<name>`` with ``<name> missing``; the reader
splits that line on whitespace and takes three words for (id, type, size). A name with one space
or tab in it gives three words, and ``int("missing")`` crashes: adding a component in a folder
called ``my model`` is exit 3 in every diff mode (the base has no such folder to list)."""

from __future__ import annotations

import pytest
from testing.gitrepo import GitRepo

from tests.change.conftest import MALLORY, codes


@pytest.mark.parametrize("folder", ["models/my model", "models/tab\there"], ids=["space", "tab"])
@pytest.mark.parametrize("mode", ["--diff", "--staged"])
def test_a_component_folder_with_whitespace_is_judged_not_a_crash(
    credit_repo: GitRepo, judge, run_cli, folder, mode
):
    repo = credit_repo
    repo.write({f"{folder}/model.onnx": b"weights\n"})
    repo.add_all()
    if mode == "--diff":
        repo.commit("a new model", author=MALLORY)
    result = run_cli("check", *([mode, "base"] if mode == "--diff" else [mode]), cwd=repo.path)
    assert result.exit_code != 3, result.err
    code, found = judge(repo, *([mode, "base"] if mode == "--diff" else [mode]))
    assert "RW401" in codes(found), found  # component added, nobody approved it
    assert code == 1

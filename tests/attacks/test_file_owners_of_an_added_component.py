"""The fix for file-level CODEOWNERS rules (``*.onnx @carol``: ML security reviews every model
file) asks the rule of each *changed material path*. A component the change adds, or removes,
is one material change with no path: no file rule is asked. mallory adds ``models/fraud`` with
its weights; alice, who owns ``/models/``, approves alone, though GitHub would require carol's
review of ``models/fraud/model.onnx`` and roadworthy does for the same bytes in an existing
component."""

from __future__ import annotations

from testing.gitrepo import GitRepo

from tests.change.conftest import (
    ALICE,
    CODEOWNERS,
    MALLORY,
    POLICY,
    approve,
    base_files,
    card,
    codes,
)

AUTHOR_POLICY = (
    POLICY.replace('"@mallory"', '"@carol": [carol@example.com]\n  "@mallory"')
    + "change_control:\n  approval: {verify: author}\n"
)


def test_the_weights_file_owner_must_approve_a_component_added_with_weights(
    make_repo, judge, run_cli
):
    files = base_files()
    files["roadworthy.yaml"] = AUTHOR_POLICY
    files[".github/CODEOWNERS"] = CODEOWNERS + "/models/ @alice @bob\n*.onnx @carol\n"
    repo: GitRepo = make_repo(files)
    repo.git("branch", "base")

    fraud = {
        k.replace("models/credit/", "models/fraud/"): v
        for k, v in files.items()
        if k.startswith("models/credit/")
    }
    fraud["models/fraud/model.onnx"] = b"fraud-weights\n"
    fraud["models/fraud/MODEL_CARD.md"] = card()
    repo.write(fraud)
    repo.commit("add the fraud model", author=MALLORY)
    approve(run_cli, repo, "models/fraud", "--by", "@alice")
    repo.commit("alice approves", author=ALICE)
    code, found = judge(repo)
    assert "RW401" in codes(found), found  # carol, who owns *.onnx, never approved
    assert code == 1

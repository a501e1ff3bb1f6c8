"""Re-pointed serving links judge the components at both ends, but only for a link "outside
every component"; a link inside one is judged there, as that component's change. When the
serving links live in a serving component (``serving/`` with its ``model.yaml``, owned by the
platform team: mallory and eve), re-pointing ``serving/credit`` from the credit model to
mallory's experiment needs only the platform team's approval: eve approves, and the credit
model's owners are never asked though what serves as credit changed."""

from __future__ import annotations

import os

from testing.gitrepo import GitRepo

from tests.change.conftest import MALLORY, POLICY, approve, base_files, card, codes

EVE = ("Eve Platform", "eve@example.com")


def test_a_serving_link_in_a_serving_component_still_needs_the_served_owners(
    make_repo, judge, run_cli
):
    files: dict[str, str | bytes | None] = {}
    for path, content in base_files().items():
        if path.startswith("models/credit/"):
            rest = path.removeprefix("models/credit/")
            files[f"store/credit-v1/{rest}"] = content
            files[f"store/experiment/{rest}"] = content
            files[f"serving/{rest}"] = content
        else:
            files[path] = content
    files["roadworthy.yaml"] = POLICY + '  "@eve": [eve@example.com]\n'
    files["store/experiment/model.onnx"] = b"experiment-weights\n"
    files["store/experiment/MODEL_CARD.md"] = card(stage="shadow", risk="minimal")
    del files["serving/model.onnx"]
    files["serving/model.yaml"] = "served: [credit]\n"
    files["serving/MODEL_CARD.md"] = card().replace('["@alice", "@bob"]', '["@mallory", "@eve"]')
    files[".github/CODEOWNERS"] = (
        "/roadworthy.yaml @alice @bob\n/.github/ @alice @bob\n"
        "/store/credit-v1/ @alice @bob\n/store/experiment/ @mallory\n/serving/ @mallory @eve\n"
    )
    repo: GitRepo = make_repo(files)
    os.symlink("../store/credit-v1", repo.path / "serving/credit")
    repo.commit("serve credit-v1")
    repo.git("branch", "base")

    (repo.path / "serving/credit").unlink()
    os.symlink("../store/experiment", repo.path / "serving/credit")
    repo.write(
        {
            "serving/MODEL_CARD.md": card("1.1.0").replace(
                '["@alice", "@bob"]', '["@mallory", "@eve"]'
            )
        }
    )
    repo.commit("serve the experiment as credit", author=MALLORY)
    approve(run_cli, repo, "serving", "--by", "@eve")
    repo.commit("eve approves", author=EVE)
    code, found = judge(repo)
    assert "RW401" in codes(found), found  # alice and bob own what served as credit
    assert code == 1

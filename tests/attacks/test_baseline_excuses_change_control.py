"""A repository adopts roadworthy with a baseline (`baseline:` in its policy). A pull request
changes the weights without approval and, in the same change, records its own RW401 and RW407
findings in the baseline file it edits: the baseline must not excuse change control."""

from __future__ import annotations

import json

from testing.gitrepo import GitRepo

from tests.change.conftest import MALLORY, POLICY, card, codes


def test_a_pull_request_cannot_baseline_its_own_unapproved_change(credit_repo: GitRepo, run_cli):
    repo = credit_repo
    empty = '{"version": 1, "findings": []}\n'
    repo.write({"roadworthy.yaml": POLICY + "baseline: baseline.json\n", "baseline.json": empty})
    repo.commit("adopt with an empty baseline")
    repo.git("branch", "-f", "base")

    repo.write(
        {
            "models/credit/model.onnx": b"weights-EVIL\n",
            "models/credit/MODEL_CARD.md": card("1.1.0"),
        }
    )
    repo.commit("retrain", author=MALLORY)
    first = run_cli("check", "--diff", "base", "--format", "json", cwd=repo.path)
    found = json.loads(first.out)["findings"]
    assert "RW401" in codes([(f["code"], f["path"], f["message"]) for f in found])
    rows = [
        {"code": f["code"], "component": f["component"], "path": f["path"], "message": f["message"]}
        for f in found
    ]
    repo.write({"baseline.json": json.dumps({"version": 1, "findings": rows}, indent=1) + "\n"})
    repo.commit("record today's findings", author=MALLORY)
    # The baseline's own change is a governance change too (RW407), and nothing in it excuses
    # change control.
    result = run_cli("check", "--diff", "base", "--format", "json", cwd=repo.path)
    after = json.loads(result.out)["findings"]
    active = {f["code"] for f in after if f["waived_by"] is None}
    assert {"RW401", "RW407"} <= active, after
    assert result.exit_code == 1

"""A waiver scoped by ``paths`` excuses findings *at* those paths. RW401 is one finding per
component, placed at the first material path of the change, and it covers every material change
of the component. The base policy lets the credit team's scratch checkpoints under
``models/credit/experiments/`` change without approval; a change that touches one scratch
checkpoint *and* the served weights gets one RW401 at the scratch path, and the waiver excuses
the served weights with it."""

from __future__ import annotations

from testing.gitrepo import GitRepo

from tests.change.conftest import MALLORY, POLICY, card, codes

WAIVED = """\
waivers:
  - id: credit-experiments
    rules: [RW401]
    paths: ["models/credit/experiments/**"]
    owner: "@alice"
    reason: scratch checkpoints of the credit team change without review
    expires: 2027-03-31
"""


def test_a_path_waiver_does_not_excuse_the_weights_beside_it(credit_repo: GitRepo, judge):
    repo = credit_repo
    repo.write(
        {"roadworthy.yaml": POLICY + WAIVED, "models/credit/experiments/scratch.pt": b"s1\n"}
    )
    repo.commit("scratch checkpoints need no approval")
    repo.git("branch", "-f", "base")

    repo.write({"models/credit/model.onnx": b"weights-EVIL\n"})
    repo.commit("new weights", author=MALLORY)
    assert "RW401" in codes(judge(repo)[1])  # alone, the weights are caught

    repo.write(
        {
            "models/credit/experiments/scratch.pt": b"s2\n",
            "models/credit/MODEL_CARD.md": card("1.1.0"),
        }
    )
    repo.commit("touch a scratch checkpoint too, bump the card", author=MALLORY)
    code, found = judge(repo)
    assert "RW401" in codes(found), found
    assert code == 1

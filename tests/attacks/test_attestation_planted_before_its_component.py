"""A governance approval binds the attestations of the root and of each component folder the
head has; any changed ``ATTESTATIONS.yaml`` is a governance change. An attestation added in a
folder that is not (yet) a component is governed but not bound: the digest of the governance
files is the one the policy's owners approved last, so that old approval matches and RW407 is
satisfied. Once the folder becomes a component (its owners add their model, an honest change
that touches no governance file), the planted attestation speaks for it in the evidence report,
and no policy owner ever approved it. Attack round 9; real git repositories, the real CLI."""

from __future__ import annotations

import json

from testing.gitrepo import GitRepo

from tests.change.conftest import ALICE, BOB, MALLORY, approve, base_files, card

RISK_MANAGED = """\
- clause: EU-AIA:Art.9(2)
  statement: The fraud model's risks are identified, assessed and mitigated.
  attested_by: "@compliance"
  evidence: https://intranet.example/risk/fraud
  attested: 2026-06-01
  expires: 2027-06-01
"""


def test_an_attestation_planted_before_its_component_is_never_approved(
    make_repo, judge, run_cli
) -> None:
    files = base_files()
    files["roadworthy.yaml"] = str(files["roadworthy.yaml"]).replace(
        "extends: [recommended]", "extends: [recommended, eu-ai-act-high-risk]"
    )
    files[".github/CODEOWNERS"] = str(files[".github/CODEOWNERS"]) + "/models/fraud/ @alice @bob\n"
    repo: GitRepo = make_repo(files)
    approve(run_cli, repo, "--governance", "--by", "@alice", "--by", "@bob")
    repo.commit("governance approved", author=ALICE)
    repo.git("branch", "-f", "base")

    repo.write({"models/fraud/ATTESTATIONS.yaml": RISK_MANAGED})
    repo.commit("paperwork", author=MALLORY)
    first = judge(repo)
    repo.git("branch", "-f", "base")

    fraud = {
        "models/fraud/model.onnx": b"fraud-v1\n",
        "models/fraud/MODEL_CARD.md": card(),
        **{
            f"models/fraud/{n}": files[f"models/credit/{n}"]
            for n in ("data_contract.yaml", "RUNBOOK.md", "ROLLBACK.md")
        },
    }
    repo.write(fraud)
    repo.commit("fraud model", author=BOB)
    approve(run_cli, repo, "models/fraud", "--by", "@alice")
    repo.commit("approved", author=ALICE)
    second = judge(repo)
    shown = run_cli(
        "evidence",
        *("--framework", "eu-ai-act-high-risk", "--format", "json", "--as-of", "2026-12-01"),
        cwd=repo.path,
    )
    assert shown.exit_code == 0, shown.err
    fraud = next(c for c in json.loads(shown.out)["components"] if c["name"] == "fraud")
    status = {r["clause"]: r["status"] for r in fraud["clauses"]}["EU-AIA:Art.9(2)"]
    assert status == "attested", status  # what the planted attestation buys
    # Some step asks the policy's owners about the attestation.
    assert first[0] == 1 or second[0] == 1, (first, second)

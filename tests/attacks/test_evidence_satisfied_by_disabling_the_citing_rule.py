"""The EU preset cites Art.11(1) on RW204 (a model card reviewed within the year). A
repository whose card is 548 days stale gets Art.11(1) failing; its policy adds
``RW204: {enabled: false}`` (or scopes RW204 away from its risk) and the same report says
Art.11(1) is satisfied: the disabled rule is not even listed among the clause's rules, so
nothing in the report says the framework's own evidence for the clause was switched off. (A rule
scoped away shows as "not-applied" in the rules column, as the report's legend says: held.) Real git repositories, the real CLI."""

from __future__ import annotations

import json
from pathlib import Path

from testing.gitrepo import GitRepo, files_of

CASE = Path(__file__).parents[1] / "cases/RW411-missing-risk-signoff"


def _files(extra: str) -> dict[str, str | bytes]:
    root = CASE / "yellows-over-the-limit-without-signoff/repo"
    files: dict[str, str | bytes] = files_of(root)
    files["roadworthy.yaml"] = (
        str(files["roadworthy.yaml"]).replace(
            "extends: [recommended]", "extends: [recommended, eu-ai-act-high-risk]"
        )
        + extra
    )
    return files


def _art11(tmp_path: Path, run_cli, extra: str) -> dict:
    repo = GitRepo.init(tmp_path / "repo", _files(extra), message="fraud model")
    shown = run_cli(
        "evidence",
        *("--framework", "eu-ai-act-high-risk", "--format", "json", "--as-of", "2026-12-01"),
        cwd=repo.path,
    )
    assert shown.exit_code == 0, shown.err
    (component,) = json.loads(shown.out)["components"]
    (clause,) = [c for c in component["clauses"] if c["clause"] == "EU-AIA:Art.11(1)"]
    return clause


def test_the_stale_card_fails_the_clause(tmp_path: Path, run_cli):
    assert _art11(tmp_path, run_cli, "")["status"] == "failing"


def test_disabling_the_citing_rule_does_not_silently_satisfy_the_clause(tmp_path: Path, run_cli):
    clause = _art11(tmp_path, run_cli, "rules:\n  RW204: {enabled: false}\n")
    rw204 = [r["status"] for r in clause["rules"] if r["code"] == "RW204"]
    # Satisfied is a claim about the rules the framework cites: one switched off by the
    # repository's own policy must show in the rules column, or the clause is not satisfied.
    assert clause["status"] != "satisfied" or rw204, (clause["status"], clause["rules"])

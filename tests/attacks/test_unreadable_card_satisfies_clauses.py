"""The evidence report, attacked through a file its rules cannot read. "Satisfied" means
"rules citing the clause ran on the component and none found anything", and "looked and found
nothing" must never be confused with "did not look" (issue 14). A rule whose file cannot be
read stops with no finding (RW001 names the file) and is still counted as applied: two bytes
that are not UTF-8 in the model card, and every clause the card's rules cite turns satisfied,
the one its stale review date failed (Art.11(1)) included."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from testing.gitrepo import GitRepo, files_of

CASE = Path(__file__).parents[1] / "cases/RW411-missing-risk-signoff"
CARD = "models/fraud/MODEL_CARD.md"


def _files(broken: bool) -> dict[str, str | bytes]:
    root = CASE / "yellows-over-the-limit-without-signoff/repo"
    files: dict[str, str | bytes] = files_of(root, text=False)
    files["roadworthy.yaml"] = (
        str(files["roadworthy.yaml"], "utf-8")
        .replace("extends: [recommended]", "extends: [recommended, eu-ai-act-high-risk]")
        .encode()
    )
    if broken:
        files[CARD] = bytes(files[CARD]) + b"\n## Notes\n\xff\xfe\n"
    return files


def _statuses(run_cli, repo: GitRepo) -> dict[str, str]:
    shown = run_cli(
        "evidence",
        *("--framework", "eu-ai-act-high-risk", "--format", "json", "--as-of", "2026-12-01"),
        cwd=repo.path,
    )
    assert shown.exit_code == 0, shown.err
    (component,) = json.loads(shown.out)["components"]
    return {c["clause"]: c["status"] for c in component["clauses"]}


@pytest.mark.parametrize(
    "broken", [pytest.param(False, id="readable-card"), pytest.param(True, id="unreadable-card")]
)
def test_a_card_nobody_could_read_satisfies_nothing(tmp_path: Path, run_cli, broken: bool):
    repo = GitRepo.init(tmp_path / "repo", _files(broken), message="fraud, stale card")
    check = run_cli("check", "--as-of", "2026-12-01", cwd=repo.path)
    assert ("RW001" in check.out) is broken, check.out

    statuses = _statuses(run_cli, repo)
    # The card's review date is stale either way: Art.11(1) cannot be satisfied.
    assert statuses["EU-AIA:Art.11(1)"] != "satisfied", statuses
    # Annex IV(3) is the card's sections (RW201): satisfied only when RW201 read the card.
    # (Annex IV(1) is RW101, the card's presence, which an unreadable card still satisfies.)
    if broken:
        assert statuses["EU-AIA:Annex IV(3)"] == "failing", statuses
        assert statuses["EU-AIA:Annex IV(1)"] == "satisfied", statuses

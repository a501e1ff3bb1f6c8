"""The evidence says which ledger entries count for a component's approval, and why the others
do not, judged by change control's rules, on a real git repository with approvals written by
the real `roadworthy approve`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from testing.gitrepo import GitRepo

from tests.change.test_governance import _key

ROOT = Path(__file__).resolve().parents[2]
CASE = ROOT / "tests/cases/RW501-missing-risk-management-record/high-risk-needs-one/repo"
SCHEMA = json.loads((ROOT / "src/roadworthy/schemas/evidence.schema.json").read_text())
# The committer of every test commit (testing.gitrepo.AUTHOR) is @ada, an owner.
PEOPLE = 'people:\n  "@ada": [ada@example.com]\n'


@pytest.fixture
def repo(tmp_path: Path) -> GitRepo:
    target = tmp_path / "repo"
    shutil.copytree(CASE, target)
    card = target / "models/credit/MODEL_CARD.md"
    card.write_text(card.read_text().replace('"@acme/risk"', '"@acme/risk", "@ada"'))
    with (target / "roadworthy.yaml").open("a") as f:
        f.write(PEOPLE)
    repo = GitRepo.init(target)
    repo.commit("credit model")
    return repo


def approve(run_cli: Any, repo: GitRepo, *handles: str) -> None:
    by = [a for h in handles for a in ("--by", h)]
    result = run_cli("approve", "models/credit", *by, cwd=repo.path)
    assert result.exit_code == 0, result.err
    repo.commit(f"approved by {', '.join(handles)}")


def approval(run_cli: Any, repo: GitRepo) -> dict[str, Any]:
    args = ("evidence", "--framework", "eu-ai-act-high-risk", "--as-of", "2026-12-05")
    result = run_cli(*args, "--format", "json", cwd=repo.path)
    assert result.exit_code == 0, result.err
    data = json.loads(result.out)
    Draft202012Validator(SCHEMA, format_checker=FormatChecker()).validate(data)
    (component,) = data["components"]
    return {"verdict": component["approval"], "entries": component["approvals"]}


def test_an_approval_of_the_bytes_there_now_by_two_owners_counts(
    repo: GitRepo, run_cli: Any
) -> None:
    approve(run_cli, repo, "@acme/credit-ml", "@acme/risk")
    found = approval(run_cli, repo)
    assert found["verdict"]["approved"] is True
    assert found["verdict"]["trust"] == "entry"
    (entry,) = found["entries"]
    assert entry["counts"] is True
    assert entry["reasons"] == []
    assert entry["digest"] == found["verdict"]["digest"]


def test_each_entry_that_does_not_count_says_why(repo: GitRepo, run_cli: Any) -> None:
    approve(run_cli, repo, "@acme/credit-ml", "@acme/risk")
    repo.write({"models/credit/model.onnx": b"retrained weights"})
    repo.commit("retrained")  # by ada: she wrote the bytes now there
    approve(run_cli, repo, "@acme/credit-ml", "@mallory")
    approve(run_cli, repo, "@acme/credit-ml", "@ada")
    approve(run_cli, repo, "@acme/credit-ml")
    found = approval(run_cli, repo)
    stale, stranger, selfish, alone = found["entries"]
    assert stale["counts"] is False
    assert stale["reasons"][0].startswith("stale: entry 1 (@acme/credit-ml, @acme/risk")
    assert stranger["reasons"] == [
        "approver not an owner: @mallory (owners: @acme/credit-ml, @acme/risk, @ada)",
        "too few approvers: 1 of 2 needed",
    ]
    assert selfish["reasons"] == [
        "self-approval: @ada authored this change",
        "too few approvers: 1 of 2 needed",
    ]
    assert alone["reasons"] == ["too few approvers: 1 of 2 needed"]
    assert found["verdict"]["approved"] is False
    assert found["verdict"]["trust"] is None
    # What change control says of the same ledger: judged by the one function.
    assert found["verdict"]["reasons"] == ["too few approvers: 1 of 2 needed"]


def test_the_markdown_shows_what_counted(repo: GitRepo, run_cli: Any) -> None:
    approve(run_cli, repo, "@acme/credit-ml", "@mallory")
    approve(run_cli, repo, "@acme/credit-ml", "@acme/risk")
    args = ("evidence", "--framework", "eu-ai-act-high-risk", "--as-of", "2026-12-05")
    text = run_cli(*args, cwd=repo.path).out
    assert "Approved now (trust: entry) in `models/credit/APPROVALS.yaml`." in text
    assert "| no: approver not an owner: @mallory" in text
    assert text.count("| ✅ counts |") == 1


@pytest.mark.skipif(shutil.which("ssh-keygen") is None, reason="needs ssh-keygen")
@pytest.mark.parametrize("staged", [False, True], ids=["committed-key", "staged-key"])
def test_signatures_verify_against_the_committed_signers(
    tmp_path: Path, run_cli: Any, staged: bool
) -> None:
    """The evidence judges approvals from the index, but the allowed signers are a trust root:
    a key staged and not committed must not turn a signed entry into one that counts."""
    keys = tmp_path / "keys"
    keys.mkdir()
    risk_key, risk_line = _key(keys, "risk", "risk@example.com")
    other_key, other_line = _key(keys, "other", "risk@example.com")
    target = tmp_path / "repo"
    shutil.copytree(CASE, target)
    with (target / "roadworthy.yaml").open("a") as f:
        f.write(
            "change_control:\n  approval: {verify: signature, allowed_signers: allowed_signers,"
            " min_approvers: {default: 1, high: 1}}\n"
            'people:\n  "@acme/risk": [risk@example.com]\n'
        )
    (target / "allowed_signers").write_text(risk_line)
    repo = GitRepo.init(target)
    repo.commit("credit model, the risk team's key trusted")
    approved = run_cli("approve", "models/credit", "--by", "@acme/risk", cwd=repo.path)
    assert approved.exit_code == 0, approved.err
    repo.git("config", "gpg.format", "ssh")
    repo.git("config", "user.signingkey", risk_key if not staged else other_key)
    if staged:  # another key for the same person, staged beside the approval, not committed
        (target / "allowed_signers").write_text(risk_line + other_line)
        repo.git("add", "allowed_signers")
    repo.git("add", "models")
    paths = ("--", "models")
    repo.git("commit", "-q", "-S", "--author", "Risk <risk@example.com>", "-m", "ok", *paths)
    found = approval(run_cli, repo)
    assert found["verdict"]["approved"] is not staged, found

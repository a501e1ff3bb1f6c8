"""`roadworthy evidence`: per component and clause, on real git repositories built from the
EU preset's golden case, validated against the shipped schema."""

from __future__ import annotations

import json
import shutil
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from testing.gitrepo import GitRepo

ROOT = Path(__file__).resolve().parents[2]
CASE = ROOT / "tests/cases/RW501-missing-risk-management-record/high-risk-needs-one/repo"
SCHEMA = json.loads((ROOT / "src/roadworthy/schemas/evidence.schema.json").read_text())

ATTESTED = """\
- clause: EU-AIA:Art.48
  statement: CE marking affixed to the credit scoring service's documentation.
  attested_by: "@compliance"
  evidence: https://intranet.example/ce/credit-2026
  attested: 2026-11-01
  expires: 2027-11-01
- clause: EU-AIA:Art.49
  statement: Registered in the EU database.
  attested_by: "@compliance"
  evidence: https://intranet.example/eu-db/credit
  attested: 2025-01-01
  expires: 2026-01-01
"""


@pytest.fixture
def repo(tmp_path: Path) -> GitRepo:
    target = tmp_path / "repo"
    shutil.copytree(CASE, target)
    repo = GitRepo.init(target)
    repo.commit("credit model")
    return repo


def evidence(run_cli: Any, repo: GitRepo, *args: str) -> dict[str, Any]:
    result = run_cli(
        "evidence", "--framework", "eu-ai-act-high-risk", "--format", "json", *args, cwd=repo.path
    )
    assert result.exit_code == 0, result.err
    data: dict[str, Any] = json.loads(result.out)
    Draft202012Validator(SCHEMA, format_checker=FormatChecker()).validate(data)
    return data


def clauses(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    (component,) = data["components"]
    return {c["clause"]: c for c in component["clauses"]}


def test_statuses_follow_the_findings_and_the_rules_that_ran(repo: GitRepo, run_cli: Any) -> None:
    data = evidence(run_cli, repo, "--as-of", "2026-12-05")
    found = clauses(data)
    assert found["EU-AIA:Art.9(2)"]["status"] == "failing"  # no RISK_MANAGEMENT.md
    assert found["EU-AIA:Art.9(2)"]["findings"][0]["code"] == "RW501"
    assert found["EU-AIA:Art.72(1)"]["status"] == "satisfied"
    # Change control runs on changes: a full run does not claim it.
    assert found["EU-AIA:Art.17(1)(a)"]["status"] == "not-assessed"
    assert {r["status"] for r in found["EU-AIA:Art.17(1)(a)"]["rules"]} == {"not-applied"}
    (component,) = data["components"]
    card = next(a for a in component["artifacts"] if a["name"] == "model_card")
    blob = repo.git("rev-parse", f"HEAD:{card['path']}").strip()
    assert card["blob"] == blob and card["committed"] is True
    assert data["commit"] == repo.head
    assert data["coverage"]["failing"] == 2
    assert sum(data["coverage"].values()) == len(found) + len(data["repository"])


def test_attestations_count_until_they_expire(repo: GitRepo, run_cli: Any) -> None:
    repo.write({"ATTESTATIONS.yaml": ATTESTED})
    repo.commit("attestations")
    data = evidence(run_cli, repo, "--as-of", "2026-12-05")
    only = {c["clause"]: c for c in data["repository"]}
    assert only["EU-AIA:Art.48"]["status"] == "attested"
    assert only["EU-AIA:Art.48"]["attestations"][0]["attested_by"] == "@compliance"
    assert only["EU-AIA:Art.49"]["status"] == "not-assessed"  # expired on 2026-01-01
    assert only["EU-AIA:Art.49"]["expired_attestations"][0]["expires"] == "2026-01-01"
    earlier = evidence(run_cli, repo, "--as-of", "2025-06-01")
    assert {c["clause"]: c["status"] for c in earlier["repository"]}["EU-AIA:Art.49"] == "attested"


def test_a_wrong_attestation_is_a_located_problem(repo: GitRepo, run_cli: Any) -> None:
    repo.write({"ATTESTATIONS.yaml": ATTESTED.replace("EU-AIA:Art.48", "EU-AIA:Article 48")})
    repo.commit("a typo")
    data = evidence(run_cli, repo, "--as-of", "2026-12-05")
    assert data["problems"] == [
        "ATTESTATIONS.yaml:1: [0]: 'Article 48' is not a EU AI Act clause (like EU-AIA:Art.14(4))"
    ]


def test_an_attestation_of_the_wrong_shape_is_located_and_worded_like_other_schema_errors(
    repo: GitRepo, run_cli: Any
) -> None:
    repo.write({"ATTESTATIONS.yaml": ATTESTED.replace('"@compliance"', "[compliance]", 1)})
    repo.commit("a list where a handle goes")
    data = evidence(run_cli, repo, "--as-of", "2026-12-05")
    assert data["problems"] == [
        "ATTESTATIONS.yaml:3: [0].attested_by: the array is not of type 'string'"
    ]


def test_output_is_reproducible_and_markdown_reads(repo: GitRepo, run_cli: Any) -> None:
    args = ("evidence", "--framework", "eu-ai-act-high-risk", "--as-of", "2026-12-05")
    first = run_cli(*args, cwd=repo.path).out
    assert first == run_cli(*args, cwd=repo.path).out
    assert "| EU-AIA:Art.9(2) | ❌ failing | RW501 failing |" in first
    assert "## Attestation-only clauses" in first


def test_an_unknown_date_is_a_usage_error(repo: GitRepo, run_cli: Any) -> None:
    result = run_cli(
        "evidence", "--framework", "eu-ai-act-high-risk", "--as-of", "soon", cwd=repo.path
    )
    assert result.exit_code == 2
    assert "--as-of 'soon': not a date" in result.err


def test_changing_attestations_is_a_governance_change(repo: GitRepo, run_cli: Any) -> None:
    repo.git("branch", "base")
    repo.write({"ATTESTATIONS.yaml": ATTESTED})
    repo.commit("attest")
    result = run_cli("check", "--diff", "base", "--format", "json", cwd=repo.path)
    codes = [f["code"] for f in json.loads(result.out)["findings"]]
    assert "RW407" in codes


@pytest.mark.parametrize("where", ["", "models/credit/"], ids=["root", "component"])
def test_an_attestation_change_can_be_approved(repo: GitRepo, run_cli: Any, where: str) -> None:
    """What `approve --governance` binds is what the check compares: the attestations of the
    root and of each component folder, changed or not."""
    repo.write({"CODEOWNERS": "* @gov\n", "ATTESTATIONS.yaml": "[]\n"})
    repo.commit("owners, no attestations yet")
    repo.git("branch", "base")
    repo.write({f"{where}ATTESTATIONS.yaml": ATTESTED})
    repo.commit("attest", author=("Mallory", "mallory@example.com"))

    def rw407() -> list[str]:
        result = run_cli("check", "--diff", "base", "--format", "json", cwd=repo.path)
        return [f["message"] for f in json.loads(result.out)["findings"] if f["code"] == "RW407"]

    assert rw407(), "the attestation change is a governance change"
    approved = run_cli("approve", "--governance", "--by", "@gov", cwd=repo.path)
    assert approved.exit_code == 0, approved.err
    repo.commit("governance approved", author=("Gov", "gov@example.com"))
    assert rw407() == []


def test_artifacts_are_the_files_the_checks_find(repo: GitRepo, run_cli: Any) -> None:
    """A README without card front matter is no model card to the checks, nor to the evidence
    (the preset accepts a README only when it carries card metadata)."""
    card = repo.path / "models/credit/MODEL_CARD.md"
    card.rename(repo.path / "models/credit/README.md")
    text = (repo.path / "models/credit/README.md").read_text()
    (repo.path / "models/credit/README.md").write_text(text.split("---", 2)[2])
    repo.commit("the card became a plain README")
    data = evidence(run_cli, repo, "--as-of", "2026-12-05")
    (component,) = data["components"]
    assert "model_card" not in {a["name"] for a in component["artifacts"]}, component
    assert clauses(data)["EU-AIA:Art.11(1)"]["status"] == "failing"  # RW101: no card


def test_attestations_through_a_link_out_of_the_repository_are_not_read(
    repo: GitRepo, run_cli: Any, tmp_path: Path
) -> None:
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text(ATTESTED)
    (repo.path / "ATTESTATIONS.yaml").symlink_to(outside)
    repo.commit("attestations kept elsewhere")
    data = evidence(run_cli, repo, "--as-of", "2026-12-05")
    only = {c["clause"]: c["status"] for c in data["repository"]}
    assert only["EU-AIA:Art.48"] == "not-assessed", data["problems"]


class _Tags(HTMLParser):
    """Every tag and attribute of a document, as a browser's tokenizer sees them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes += attrs

    def handle_data(self, data: str) -> None:
        self.text.append(data)


HOSTILE = ATTESTED.replace(
    "CE marking affixed to the credit scoring service's documentation.",
    '"<script>alert(1)</script><img src=x onerror=alert(2)> & done"',
)


def test_html_is_one_inert_file_with_every_string_escaped(repo: GitRepo, run_cli: Any) -> None:
    repo.write({"ATTESTATIONS.yaml": HOSTILE})
    repo.commit("a hostile statement")
    args = ("evidence", "--framework", "eu-ai-act-high-risk", "--as-of", "2026-12-05")
    page = run_cli(*args, "--format", "html", cwd=repo.path).out
    assert page == run_cli(*args, "--format", "html", cwd=repo.path).out  # deterministic
    parsed = _Tags()
    parsed.feed(page)
    assert "script" not in parsed.tags and "img" not in parsed.tags
    assert not {name for name, _ in parsed.attributes} & {"src", "href", "onerror"}
    assert set(parsed.tags) <= {
        *("html", "head", "meta", "title", "style", "body", "h1", "h2", "p", "code", "br"),
        *("table", "tr", "th", "td", "span", "ul", "li"),
    }
    text = "".join(parsed.text)
    # The statement is there, as text.
    assert "<script>alert(1)</script><img src=x onerror=alert(2)> & done" in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_html_says_what_the_markdown_says(repo: GitRepo, run_cli: Any) -> None:
    repo.write({"ATTESTATIONS.yaml": ATTESTED})
    repo.commit("attestations")
    data = evidence(run_cli, repo, "--as-of", "2026-12-05")
    args = ("evidence", "--framework", "eu-ai-act-high-risk", "--as-of", "2026-12-05")
    parsed = _Tags()
    parsed.feed(run_cli(*args, "--format", "html", cwd=repo.path).out)
    text = "".join(parsed.text)
    for status, count in data["coverage"].items():
        assert f"{status.replace('-', ' ')}{count}" in text.replace("\n", "")
    rows = [c for component in data["components"] for c in component["clauses"]]
    for clause in rows + data["repository"]:
        assert clause["clause"] in text
    assert "@compliance, until 2027-11-01" in text
    assert "models/credit/MODEL_CARD.md" in text

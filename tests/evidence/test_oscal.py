"""`roadworthy evidence --format oscal`: an OSCAL 1.1.3 assessment-results document, validated
against NIST's official JSON schema (tests/data/oscal, checked by its SHA-256), on real git
repositories built from the EU preset's golden case."""

from __future__ import annotations

import copy
import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
from testing.gitrepo import GitRepo

ROOT = Path(__file__).resolve().parents[2]
CASE = ROOT / "tests/cases/RW501-missing-risk-management-record/high-risk-needs-one/repo"
SCHEMA_FILE = ROOT / "tests/data/oscal/oscal_assessment-results_schema.json"
RELEASE_SHA256 = "d9e34757f0c12aff61f52b821f0b8f83ba0ba75b3a149a202b08ba82f82bc4c3"
ARGS = ("evidence", "--framework", "eu-ai-act-high-risk", "--as-of", "2026-12-05")
ATTESTED = """\
- clause: EU-AIA:Art.48
  statement: "CE marking affixed.\\n  Second line, <b>bold</b> \\"quoted\\"  "
  attested_by: "@compliance"
  evidence: intranet page 42 (no URL)
  attested: 2026-11-01
  expires: 2027-11-01
"""


@pytest.fixture(scope="module")
def validator() -> Any:
    data = SCHEMA_FILE.read_bytes()
    assert hashlib.sha256(data).hexdigest() == RELEASE_SHA256  # the release asset, unchanged
    schema = json.loads(data)
    assert schema["$id"] == "http://csrc.nist.gov/ns/oscal/1.1.3/oscal-ar-schema.json"
    return jsonschema_rs.Draft7Validator(schema, validate_formats=True)


@pytest.fixture
def repo(tmp_path: Path) -> GitRepo:
    target = tmp_path / "repo"
    shutil.copytree(CASE, target)
    repo = GitRepo.init(target)
    repo.write({"ATTESTATIONS.yaml": ATTESTED})
    repo.commit("credit model, attested CE marking")
    return repo


def oscal(run_cli: Any, repo: GitRepo) -> dict[str, Any]:
    result = run_cli(*ARGS, "--format", "oscal", cwd=repo.path)
    assert result.exit_code == 0, result.err
    data: dict[str, Any] = json.loads(result.out)
    return data


def errors(validator: Any, doc: dict[str, Any]) -> list[str]:
    return [f"{list(e.instance_path)}: {e.message}" for e in validator.iter_errors(doc)]


def test_the_export_is_valid_assessment_results(
    repo: GitRepo, run_cli: Any, validator: Any
) -> None:
    doc = oscal(run_cli, repo)
    assert errors(validator, doc) == []
    assert doc["assessment-results"]["metadata"]["oscal-version"] == "1.1.3"


def test_the_schema_does_reject_what_oscal_forbids(
    repo: GitRepo, run_cli: Any, validator: Any
) -> None:
    """The validation bites: each of these breaks one rule of the official schema."""
    doc = oscal(run_cli, repo)
    breakages = {
        "a version-1 uuid": lambda d: d.update(uuid="6ba7b810-9dad-11d1-80b4-00c04fd430c8"),
        "no import-ap": lambda d: d.pop("import-ap"),
        "a date without time": lambda d: d["results"][0].update(start="2026-12-05"),
        "a colon in a token": lambda d: d["results"][0]["findings"][0]["target"].update(
            {"target-id": "EU-AIA:Art.9"}
        ),
        "an unknown state": lambda d: d["results"][0]["findings"][0]["target"]["status"].update(
            state="waived"
        ),
    }
    for name, breaks in breakages.items():
        broken = copy.deepcopy(doc)
        breaks(broken["assessment-results"])
        assert errors(validator, broken), name


def test_findings_say_what_was_assessed_and_nothing_about_what_was_not(
    repo: GitRepo, run_cli: Any
) -> None:
    doc = oscal(run_cli, repo)
    evidence = json.loads(run_cli(*ARGS, "--format", "json", cwd=repo.path).out)
    (result,) = doc["assessment-results"]["results"]
    by_title = {f["title"]: f for f in result["findings"]}
    assessed = [
        (c["clause"], component["name"], c["status"])
        for component in evidence["components"]
        for c in component["clauses"]
        if c["status"] != "not-assessed"
    ] + [
        (c["clause"], "the repository", c["status"])
        for c in evidence["repository"]
        if c["status"] != "not-assessed"
    ]
    assert sorted(by_title) == sorted(f"{clause}: {name}" for clause, name, _ in assessed)
    states = {
        "satisfied": ("satisfied", "pass"),
        "attested": ("satisfied", "other"),
        "failing": ("not-satisfied", "fail"),
    }
    for clause, name, status in assessed:
        finding = by_title[f"{clause}: {name}"]
        assert {"name": "status", "ns": "https://roadworthy.dev/ns/oscal", "value": status} in (
            finding["props"]
        )
        expected = states[status]
        got = finding["target"]["status"]
        assert (got["state"], got["reason"]) == expected, clause
    failing = by_title["EU-AIA:Art.9(2): credit"]
    assert "RW501" in failing["description"]
    # Every clause is among the reviewed controls, and the counts are evidence's.
    selected = result["reviewed-controls"]["control-selections"][0]["include-controls"]
    assert len(selected) == len(evidence["components"][0]["clauses"]) + len(evidence["repository"])
    props = {p["name"]: p["value"] for p in result["props"]}
    for status, count in evidence["coverage"].items():
        assert props[f"clauses-{status}"] == str(count)
    observations = {o["uuid"] for o in result["observations"]}
    for finding in result["findings"]:
        assert {r["observation-uuid"] for r in finding["related-observations"]} <= observations


def test_the_attestation_is_shown_as_written(repo: GitRepo, run_cli: Any) -> None:
    doc = oscal(run_cli, repo)
    (result,) = doc["assessment-results"]["results"]
    text = json.dumps(result["observations"])
    assert json.dumps('CE marking affixed.\n  Second line, <b>bold</b> "quoted"  ')[1:-1] in text
    assert "intranet page 42 (no URL)" in text


def test_the_export_is_reproducible(repo: GitRepo, run_cli: Any) -> None:
    first = run_cli(*ARGS, "--format", "oscal", cwd=repo.path).out
    assert first == run_cli(*ARGS, "--format", "oscal", cwd=repo.path).out

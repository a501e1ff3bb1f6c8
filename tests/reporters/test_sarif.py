from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from jsonschema import Draft7Validator
from testing.gitrepo import GitRepo

from roadworthy.findings import Report, RuleInfo, Severity
from roadworthy.reporters import sarif

from .conftest import RULES, finding, report

Check = Callable[..., str]


def _validate(corpus: Path, data: dict[str, Any]) -> None:
    schema = json.loads((corpus / "schemas" / "schemastore__sarif-2.1.0.json").read_text())
    Draft7Validator(schema).validate(data)


def _run(data: dict[str, Any]) -> dict[str, Any]:
    (run,) = data["runs"]
    return dict(run)


def test_valid_against_the_sarif_schema(corpus: Path, sample_repo: GitRepo, check: Check) -> None:
    data = json.loads(check(sample_repo, "sarif"))
    _validate(corpus, data)
    assert data["version"] == "2.1.0"
    assert data["$schema"] == sarif.SARIF_SCHEMA


@pytest.mark.parametrize(
    "built",
    [
        pytest.param(report(), id="empty"),
        pytest.param(
            report(finding(waived_by="w1"), components=(("fraud", "models/fraud"),)), id="waived"
        ),
        pytest.param(
            report(finding(component=None, path="roadworthy.yaml")), id="repository-level"
        ),
        pytest.param(report(finding("ünïcødé ✓ %s\n\t<&>", path="a b/ü.md")), id="unicode"),
    ],
)
def test_hand_built_reports_are_valid(corpus: Path, built: Report) -> None:
    _validate(corpus, json.loads(sarif.render(built)))


def test_driver_describes_every_rule_of_the_report(
    sample_repo: GitRepo, sample_json: dict[str, Any], check: Check
) -> None:
    driver = _run(json.loads(check(sample_repo, "sarif")))["tool"]["driver"]
    assert driver["name"] == "roadworthy"
    assert driver["version"] == sample_json["tool"]["version"]
    assert driver["informationUri"] == "https://roadworthy.dev"
    rules = driver["rules"]
    assert [r["id"] for r in rules][:3] == ["RW001", "RW002", "RW003"]
    by_id = {r["id"]: r for r in rules}
    rollback = by_id["RW103"]
    assert rollback["name"] == "missing-rollback-plan"
    assert rollback["helpUri"] == "https://roadworthy.dev/rules/RW103"
    assert rollback["defaultConfiguration"] == {"level": "error"}
    assert rollback["properties"]["dimension"] == "operations"
    assert by_id["RW204"]["defaultConfiguration"] == {"level": "warning"}
    for rule in rules:
        assert rule["shortDescription"]["text"]
        assert 0 < len(rule["fullDescription"]["text"]) <= 1024
        assert rule["help"]["text"] and rule["help"]["markdown"]


def test_results_point_at_files_that_exist(sample_repo: GitRepo, check: Check) -> None:
    run = _run(json.loads(check(sample_repo, "sarif")))
    rules = run["tool"]["driver"]["rules"]
    assert run["results"]
    assert run["originalUriBaseIds"]["%SRCROOT%"]
    assert run["automationDetails"] == {"id": "roadworthy/"}
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        (location,) = result["locations"]
        physical = location["physicalLocation"]
        assert physical["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        path = unquote(physical["artifactLocation"]["uri"])
        assert (sample_repo.path / path).is_file(), path
        assert physical["region"]["startLine"] >= 1


def test_results_carry_level_message_and_fix(sample_repo: GitRepo, check: Check) -> None:
    results = _run(json.loads(check(sample_repo, "sarif")))["results"]
    by_rule = {r["ruleId"]: r for r in results}
    link = by_rule["RW206"]
    assert link["level"] == "warning"
    assert link["message"]["text"] == (
        "link to 'dashboards/fraud.md' does not resolve\n"
        "Fix: point the link at a tracked file, or add models/fraud/dashboards/fraud.md"
    )
    assert link["locations"][0]["physicalLocation"]["region"]["startLine"] == 4
    owners = by_rule["RW302"]
    assert owners["level"] == "error"
    assert owners["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == (
        ".github/CODEOWNERS"
    )


def test_unicode_and_spaces_in_paths_are_percent_encoded(
    sample_repo: GitRepo, check: Check
) -> None:
    results = _run(json.loads(check(sample_repo, "sarif")))["results"]
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
    assert "models/spa%C3%9F%20%C3%BC/model.safetensors" in uris


def test_waived_findings_are_suppressed_with_the_waiver(
    sample_repo: GitRepo, sample_json: dict[str, Any], check: Check
) -> None:
    results = _run(json.loads(check(sample_repo, "sarif")))["results"]
    # SARIF §3.27.23: on every result or on none; an empty list means "not suppressed".
    assert all("suppressions" in r for r in results)
    suppressed = [r for r in results if r["suppressions"]]
    assert len(results) == len(sample_json["findings"])
    assert [(r["ruleId"], r["properties"]["component"]) for r in suppressed] == [("RW104", "churn")]
    assert suppressed[0]["suppressions"] == [
        {
            "kind": "external",
            "status": "accepted",
            "justification": (
                "the runbook moves to the wiki, INC-123 (waiver churn-runbook in the "
                "roadworthy policy, owner @ml-platform, expires 2027-01-31)"
            ),
        }
    ]


def _fingerprints(text: str) -> dict[tuple[str, str], str]:
    results = _run(json.loads(text))["results"]
    return {
        (r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]): r[
            "partialFingerprints"
        ]["primaryLocationLineHash"]
        for r in results
    }


def test_fingerprints_are_unique_and_stable_across_runs(sample_repo: GitRepo, check: Check) -> None:
    first = check(sample_repo, "sarif")
    assert check(sample_repo, "sarif") == first
    results = _run(json.loads(first))["results"]
    values = [r["partialFingerprints"]["primaryLocationLineHash"] for r in results]
    assert len(set(values)) == len(values)


def test_fingerprints_survive_line_shifts_and_passing_days(
    sample_repo: GitRepo, check: Check, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = check(sample_repo, "sarif")
    runbook = sample_repo.path / "models/fraud/RUNBOOK.md"
    runbook.write_text("<!-- reviewed -->\n\n" + runbook.read_text(), encoding="utf-8")
    sample_repo.commit("shift the runbook's lines")
    monkeypatch.setenv("ROADWORTHY_TODAY", "2026-12-24")  # the stale card is older now
    after = check(sample_repo, "sarif")
    assert _fingerprints(after) == _fingerprints(before)
    link = [r for r in _run(json.loads(after))["results"] if r["ruleId"] == "RW206"]
    assert link[0]["locations"][0]["physicalLocation"]["region"]["startLine"] == 6
    stale = [r for r in _run(json.loads(after))["results"] if r["ruleId"] == "RW204"]
    assert "571 days old" in stale[0]["message"]["text"]


def test_equal_findings_are_numbered() -> None:
    twice = report(
        finding("not valid: schema[0].name: None", path="c.yaml", line=3),
        finding("not valid: schema[1].name: None", path="c.yaml", line=9),
    )
    values = [
        r["partialFingerprints"]["primaryLocationLineHash"]
        for r in _run(sarif.document(twice))["results"]
    ]
    assert values[0].split(":")[0] == values[1].split(":")[0]
    assert [v.split(":")[1] for v in values] == ["1", "2"]


def test_fingerprint_depends_on_rule_component_path_and_words() -> None:
    base = finding()
    assert sarif.fingerprint(base) == sarif.fingerprint(finding(line=40))
    assert sarif.fingerprint(base) != sarif.fingerprint(finding(component="churn"))
    assert sarif.fingerprint(base) != sarif.fingerprint(finding(path="models/x/model.onnx"))
    assert sarif.fingerprint(base) != sarif.fingerprint(finding(code="RW104"))
    assert sarif.fingerprint(base) != sarif.fingerprint(finding("no RUNBOOK.md in models/fraud"))


def test_help_uri_scheme_and_policy_override() -> None:
    rules = {r["id"]: r for r in sarif.document(report())["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["RW103"]["helpUri"] == "https://roadworthy.dev/rules/RW103"
    assert rules["ACME201"]["helpUri"] == "https://wiki.example.com/fairness"
    custom = RuleInfo("ACME301", "no-url", Severity.WARNING, "data", "", None)
    descriptor = sarif.descriptor(custom)
    assert "helpUri" not in descriptor
    assert descriptor["shortDescription"] == {"text": "No url"}
    own_url = RuleInfo("RW103", "missing-rollback-plan", Severity.ERROR, "operations", "", "u")
    assert sarif.descriptor(own_url)["helpUri"] == "u"


def test_help_is_the_rule_documentation_page(monkeypatch: pytest.MonkeyPatch) -> None:
    page = (
        "# RW103 missing-rollback-plan\n\n## What it checks\n\nA component that acts without\n"
        "a human has a rollback plan.\n\nMore here.\n\n## Why it matters\n\nIncidents.\n"
    )
    from roadworthy import ruledocs

    monkeypatch.setattr(ruledocs, "page", lambda code: page if code == "RW103" else None)
    descriptor = sarif.descriptor(RULES[0])
    assert descriptor["help"] == {"text": page, "markdown": page}
    assert descriptor["fullDescription"]["text"] == (
        "A component that acts without a human has a rollback plan."
    )


def test_help_without_a_page_is_built_from_the_policy() -> None:
    rule = RuleInfo(
        "ACME201",
        "missing-fairness-review",
        Severity.ERROR,
        "governance",
        "A fairness review exists.",
        None,
        rationale="Regulators ask.",
        remediation="Write FAIRNESS.md.",
    )
    descriptor = sarif.descriptor(rule)
    assert descriptor["help"]["markdown"] == (
        "# ACME201 missing-fairness-review\n\nDefault severity: error · Dimension: governance\n\n"
        "## What it checks\n\nA fairness review exists.\n\n"
        "## Why it matters\n\nRegulators ask.\n\n## How to fix\n\nWrite FAIRNESS.md.\n"
    )
    assert descriptor["fullDescription"]["text"] == "A fairness review exists. Regulators ask."


def test_a_finding_of_an_unlisted_rule_still_gets_a_descriptor() -> None:
    orphan = finding(code="ZZ100", name="from-elsewhere")
    run = _run(sarif.document(report(orphan)))
    rules = run["tool"]["driver"]["rules"]
    (result,) = run["results"]
    assert rules[result["ruleIndex"]]["id"] == "ZZ100"


def test_policy_digest_is_a_run_property(
    sample_json: dict[str, Any], sample_repo: GitRepo, check: Check
) -> None:
    run = _run(json.loads(check(sample_repo, "sarif")))
    assert run["properties"]["policy"] == sample_json["policy"]


def test_the_actions_sarif_leaves_waived_findings_out() -> None:
    waived = finding(code="RW104", name="missing-runbook")._replace(waived_by="w1")
    active = finding()
    everything = _run(json.loads(sarif.render(report(waived, active))))["results"]
    for_github = _run(json.loads(sarif.render_for_github(report(waived, active))))["results"]
    assert sorted(r["ruleId"] for r in everything) == ["RW103", "RW104"]
    assert [r["ruleId"] for r in for_github] == ["RW103"]
    assert for_github[0]["suppressions"] == []

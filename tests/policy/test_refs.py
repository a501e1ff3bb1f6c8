"""Framework references on rules (`refs`): validated at load, appended across layers, shown in
`roadworthy rule`, JSON findings and SARIF (taxonomies and relationships, checked against the
official 2.1.0 schema), and the shipped `eu-ai-act-high-risk` preset on a real repository."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft7Validator

from roadworthy.formats import refs

CARD = """\
---
version: 1.0.0
last_reviewed: 2026-10-01
stage: supervised
risk: high
owners: ["@alice", "@bob"]
---
# Credit

## Intended use
Ranks applications.
"""


def _repo(make_repo: Any, policy: str) -> Any:
    return make_repo(
        {
            "roadworthy.yaml": policy,
            "models/credit/model.onnx": b"weights\n",
            "models/credit/MODEL_CARD.md": CARD,
        }
    )


@pytest.mark.parametrize(
    ("ref", "wrong"),
    [
        ("EU-AIA:Art.14(4)", None),
        ("EU-AIA:Art.17(1)(a)", None),
        ("EU-AIA:Annex IV(2)(d)", None),
        ("ISO42001:A.6.2.4", None),
        ("ISO42001:8.4", None),
        ("NIST-AI-RMF:MEASURE 2.3", None),
        ("EU-AIA:Article 14", "is not a EU AI Act clause (like EU-AIA:Art.14(4))"),
        ("GDPR:Art.5", "is not FRAMEWORK:CLAUSE with a known framework"),
        ("NIST-AI-RMF:measure 2.3", "is not a NIST AI RMF clause"),
        ("EU-AIA", "is not FRAMEWORK:CLAUSE"),
    ],
)
def test_reference_grammar(ref: str, wrong: str | None) -> None:
    found = refs.problem(ref)
    assert (found is None) if wrong is None else (found is not None and wrong in found), found


def test_a_wrong_reference_is_a_located_policy_error(make_repo: Any, run_cli: Any) -> None:
    policy = 'version: 1\nextends: [recommended]\nrules:\n  RW101:\n    refs: ["EU-AIA:Art.11", "EU-AIA:Article 11"]\n'
    repo = _repo(make_repo, policy)
    result = run_cli("check", cwd=repo.path)
    assert result.exit_code == 2
    assert "roadworthy.yaml:5:" in result.err, result.err
    assert "'Article 11' is not a EU AI Act clause" in result.err


def test_refs_append_across_layers_and_reach_json_and_rule(make_repo: Any, run_cli: Any) -> None:
    policy = (
        "version: 1\nextends: [eu-ai-act-high-risk]\n"
        'rules:\n  RW101: {refs: ["ISO42001:A.6.2.7", "EU-AIA:Art.11(1)"]}\n'
    )
    repo = _repo(make_repo, policy)
    result = run_cli("check", "--format", "json", cwd=repo.path)
    assert result.exit_code == 1, result.err
    found = json.loads(result.out)["findings"]
    by_code = {f["code"]: f.get("refs") for f in found}
    # The preset's two, then the repository's new one (its repeat of Art.11(1) kept once).
    assert by_code["RW102"] == ["EU-AIA:Art.10(2)", "EU-AIA:Annex IV(2)(d)"]
    assert {"RW501", "RW502", "RW503"} <= set(by_code)
    page = run_cli("rule", "RW101", cwd=repo.path).out
    assert "## Framework references" in page
    assert page.index("EU AI Act Art.11(1)") < page.index("EU AI Act Annex IV(1)")
    assert page.index("EU AI Act Annex IV(1)") < page.index("ISO/IEC 42001 A.6.2.7")


def test_sarif_maps_rules_to_framework_taxonomies(
    make_repo: Any, run_cli: Any, corpus: Path
) -> None:
    repo = _repo(make_repo, "version: 1\nextends: [eu-ai-act-high-risk]\n")
    result = run_cli("check", "--format", "sarif", cwd=repo.path)
    data = json.loads(result.out)
    schema = json.loads((corpus / "schemas" / "schemastore__sarif-2.1.0.json").read_text())
    Draft7Validator(schema).validate(data)
    (run,) = data["runs"]
    (taxonomy,) = run["taxonomies"]
    assert taxonomy["name"] == "EU AI Act"
    taxa = {t["id"] for t in taxonomy["taxa"]}
    assert {"Art.17(1)(a)", "Art.72(1)", "Annex IV(9)"} <= taxa
    assert run["tool"]["driver"]["supportedTaxonomies"] == [{"name": "EU AI Act", "index": 0}]
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    targets = [rel["target"]["id"] for rel in rules["RW502"]["relationships"]]
    assert targets == ["Art.72(1)", "Art.72(3)", "Annex IV(9)"]
    assert all(
        rel["target"]["id"] in taxa and rel["target"]["toolComponent"]["index"] == 0
        for rule in rules.values()
        for rel in rule.get("relationships", [])
    )


def test_without_refs_reports_stay_as_they_were(make_repo: Any, run_cli: Any) -> None:
    repo = _repo(make_repo, "version: 1\nextends: [recommended]\n")
    data = json.loads(run_cli("check", "--format", "sarif", cwd=repo.path).out)
    assert "taxonomies" not in data["runs"][0]
    found = json.loads(run_cli("check", "--format", "json", cwd=repo.path).out)["findings"]
    assert all("refs" not in f for f in found)


@pytest.mark.parametrize("preset", ["eu-ai-act-high-risk", "iso-42001", "nist-ai-rmf"])
def test_every_framework_preset_loads_and_cites_only_its_framework(
    make_repo: Any, run_cli: Any, preset: str
) -> None:
    prefix = {
        "eu-ai-act-high-risk": "EU-AIA:",
        "iso-42001": "ISO42001:",
        "nist-ai-rmf": "NIST-AI-RMF:",
    }
    repo = _repo(make_repo, f"version: 1\nextends: [{preset}]\n")
    result = run_cli("validate-policy", "roadworthy.yaml", cwd=repo.path)
    assert result.exit_code == 0, result.err
    data = json.loads(run_cli("check", "--format", "sarif", cwd=repo.path).out)
    cited = [
        rel["target"]["toolComponent"]["name"]
        for rule in data["runs"][0]["tool"]["driver"]["rules"]
        for rel in rule.get("relationships", [])
    ]
    names = {"EU-AIA:": "EU AI Act", "ISO42001:": "ISO/IEC 42001", "NIST-AI-RMF:": "NIST AI RMF"}
    assert cited and set(cited) == {names[prefix[preset]]}


def test_framework_docs_name_every_cited_clause() -> None:
    """Each preset's doc page lists every clause the preset cites."""
    root = Path(__file__).resolve().parents[2]
    for preset in ("eu-ai-act-high-risk", "iso-42001", "nist-ai-rmf"):
        text = (root / "policies" / f"{preset}.yaml").read_text()
        page = (root / "docs" / "frameworks" / f"{preset}.md").read_text().replace(". ", ".")
        for ref in sorted(set(re.findall(r'"([A-Z0-9-]+:[^"]+)"', text))):
            clause = ref.partition(":")[2]
            shown = clause.replace("Art.", "Art. ")
            assert clause in page or shown in page, (preset, ref)

"""``roadworthy bom`` on the demo repository: a valid CycloneDX 1.6 ML-BOM whose every fact can be
traced back to a file of the repository."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from testing.gitrepo import GitRepo

from tests.bom.conftest import by_name, props, schema_errors

Bom = Callable[..., dict[str, Any]]
MODELS = ["churn-predictor", "credit-scoring", "fraud-detector", "sentiment-shadow"]


def _digest_of(path: Path) -> tuple[str, str]:
    """What the file's digest must be, worked out here from the file itself: a Git LFS pointer
    names the SHA-256 of its weights on its ``oid`` line; any other file is hashed."""
    data = path.read_bytes()
    if data.startswith(b"version https://git-lfs.github.com/spec/v1\n"):
        fields = dict(line.split(" ", 1) for line in data.decode().splitlines())
        return "git-lfs-pointer", fields["oid"].removeprefix("sha256:")
    return "file-bytes", hashlib.sha256(data).hexdigest()


def test_every_component_is_a_machine_learning_model(demo: GitRepo, bom: Bom) -> None:
    document = bom(demo.path)
    assert document["specVersion"] == "1.6"
    models = [c for c in document["components"] if c["type"] == "machine-learning-model"]
    assert sorted(m["name"] for m in models) == MODELS
    assert document["metadata"]["component"]["name"] == "demo"
    # services/api is excluded by the demo's policy, as `check` excludes it.
    assert "api-gateway" not in by_name(document)


def test_weights_digests_are_the_files_own(demo: GitRepo, bom: Bom) -> None:
    files = [c for c in by_name(bom(demo.path)).values() if c["type"] == "file"]
    assert sorted(f["name"] for f in files) == [
        "experiments/sentiment-shadow/model.safetensors",
        "models/credit-scoring/model.onnx",
        "models/fraud-detector/model.pt",
    ]
    for weights in files:
        source, digest = _digest_of(demo.path / weights["name"])
        assert weights["hashes"] == [{"alg": "SHA-256", "content": digest}]
        assert props(weights)["roadworthy:digest-source"] == [source]
    pointer = by_name(bom(demo.path))["models/credit-scoring/model.onnx"]
    assert props(pointer)["roadworthy:size"] == ["4194304"]  # the pointer's size line


def test_data_contracts_are_data_components_the_model_depends_on(demo: GitRepo, bom: Bom) -> None:
    document = bom(demo.path)
    components = by_name(document)
    contract = components["credit_applications"]
    path = "models/credit-scoring/credit_applications.odcs.yaml"
    assert contract["type"] == "data"
    assert contract["version"] == "1.4.0"
    sha256 = hashlib.sha256((demo.path / path).read_bytes()).hexdigest()
    assert contract["hashes"] == [{"alg": "SHA-256", "content": sha256}]
    assert props(contract) == {"roadworthy:path": [path], "roadworthy:standard": ["ODCS v3.0.2"]}
    assert props(components["Subscription events"])["roadworthy:standard"] == ["DCS 1.1.0"]
    depends = {d["ref"]: d.get("dependsOn", []) for d in document["dependencies"]}
    assert depends["model:models/credit-scoring"] == [f"data:{path}"]
    assert sorted(depends["repository"]) == [f"model:{c}" for c in _paths(document)]


def _paths(document: dict[str, Any]) -> list[str]:
    return sorted(
        props(c)["roadworthy:path"][0]
        for c in document["components"]
        if c["type"] == "machine-learning-model"
    )


def test_model_card_of_the_high_risk_model(demo: GitRepo, bom: Bom) -> None:
    credit = by_name(bom(demo.path))["credit-scoring"]
    card = credit["modelCard"]
    considerations = card["considerations"]
    assert considerations["useCases"][0].startswith("Ranks applications for manual underwriting")
    assert considerations["technicalLimitations"][0].startswith("Trained on applications from")
    assert card["quantitativeAnalysis"]["performanceMetrics"] == [
        {"type": "AUC", "value": "0.87", "slice": "holdout 2025-Q4"},
        {"type": "KS", "value": "0.52", "slice": "holdout 2025-Q4"},
    ]
    datasets = card["modelParameters"]["datasets"]
    assert datasets[0] == {"ref": "data:models/credit-scoring/credit_applications.odcs.yaml"}
    assert datasets[1]["description"].startswith("1.8 M anonymised applications")
    oversight = props(card)["roadworthy:human-oversight"][0]
    assert oversight.startswith("Underwriters see the top five contributing features")


def test_risk_stage_and_owners_are_properties(demo: GitRepo, bom: Bom) -> None:
    components = by_name(bom(demo.path))
    credit = props(components["credit-scoring"])
    assert credit["roadworthy:risk"] == ["high"]  # declared in roadworthy.yaml
    assert credit["roadworthy:stage"] == ["supervised"]
    assert credit["roadworthy:owner:accountable"] == ["@alice"]
    assert credit["roadworthy:owner:responsible"] == ["@acme/credit-risk"]
    assert components["credit-scoring"]["version"] == "2.1.0"
    # An owner only CODEOWNERS names is listed as such; the catch-all `*` owns no model.
    shadow = props(components["sentiment-shadow"])
    assert shadow["roadworthy:owner:codeowner"] == ["@acme/nlp"]
    assert "@acme/platform" not in json.dumps(components["fraud-detector"])


def test_a_placeholder_section_is_not_quoted(demo: GitRepo, bom: Bom) -> None:
    churn = by_name(bom(demo.path))["churn-predictor"]["modelCard"]
    assert "quantitativeAnalysis" not in churn  # "TODO: add the holdout results ..."
    assert "roadworthy:evaluation" not in props(churn)


def test_same_repository_same_bytes_and_a_content_serial_number(
    demo: GitRepo, run_cli: Callable[..., Any]
) -> None:
    first = run_cli("bom", cwd=demo.path).out
    assert run_cli("bom", cwd=demo.path).out == first
    document = json.loads(first)
    assert "timestamp" not in document["metadata"]
    card = demo.path / "models/churn-predictor/MODEL_CARD.md"
    card.write_text(card.read_text().replace("Twelve months", "Eleven months"))
    changed = json.loads(run_cli("bom", cwd=demo.path).out)
    assert changed["serialNumber"] != document["serialNumber"]
    assert changed["serialNumber"].startswith("urn:uuid:")


def test_as_of_stamps_the_date(demo: GitRepo, bom: Bom) -> None:
    document = bom(demo.path, "--as-of", "2026-12-01")
    assert document["metadata"]["timestamp"] == "2026-12-01T00:00:00+00:00"


def test_output_file_and_paths(demo: GitRepo, run_cli: Callable[..., Any]) -> None:
    result = run_cli("bom", "models/credit-scoring", "-o", "bom.json", cwd=demo.path)
    assert result.exit_code == 0, result.err
    assert result.out == ""
    assert "bill of materials of 1 component" in result.err
    text = (demo.path / "bom.json").read_text()
    assert schema_errors(text) == []
    names = [c["name"] for c in json.loads(text)["components"]]
    assert names == ["credit_applications", "credit-scoring"]


def test_bad_input_is_a_usage_error(demo: GitRepo, run_cli: Callable[..., Any]) -> None:
    result = run_cli("bom", "--as-of", "1 December", cwd=demo.path)
    assert (result.exit_code, result.out) == (2, "")
    assert "--as-of '1 December' is not a date (YYYY-MM-DD)" in result.err
    result = run_cli("bom", "--format", "spdx2", cwd=demo.path)
    assert result.exit_code == 2
    assert "invalid choice: 'spdx2'" in result.err
    result = run_cli("bom", "--policy", "missing.yaml", cwd=demo.path)
    assert result.exit_code == 2
    assert "missing.yaml: policy file not found" in result.err

"""``roadworthy bom --format spdx`` on real git repositories: an SPDX 3.0.1 document that the
SPDX project's own bindings read back unchanged, whose every fact comes from a repository file."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from testing.gitrepo import GitRepo

from roadworthy.formats import markdown
from tests.bom.conftest import cdx_props, graph, spdx_errors, spdx_schema_errors
from tests.bom.test_demo import MODELS, _digest_of

Spdx = Callable[..., dict[str, dict[str, Any]]]
CARDS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "model-cards"
CARD_FILES = sorted(p.name for p in CARDS.glob("*.md")) if CARDS.is_dir() else []
BASE = "urn:roadworthy:spdx:demo"


@pytest.fixture()
def spdx(run_cli: Callable[..., Any]) -> Spdx:
    def run(repo: Path, *args: str) -> dict[str, dict[str, Any]]:
        result = run_cli("bom", "--format", "spdx", *args, cwd=repo)
        assert result.exit_code == 0, result.err
        assert spdx_errors(result.out) == []
        assert spdx_schema_errors(result.out) == []
        return graph(result.out)

    return run


def _of_type(elements: dict[str, dict[str, Any]], kind: str) -> dict[str, dict[str, Any]]:
    return {e["name"]: e for e in elements.values() if e["type"] == kind}


def test_one_ai_package_per_component(demo: GitRepo, spdx: Spdx) -> None:
    elements = spdx(demo.path)
    models = _of_type(elements, "ai_AIPackage")
    assert sorted(models) == MODELS
    document = elements[f"{BASE}/document"]
    assert document["type"] == "SpdxDocument"
    assert sorted(document["rootElement"]) == sorted(m["spdxId"] for m in models.values())
    assert set(document["element"]) == set(elements) - {document["spdxId"], "_:CreationInfo0"}
    credit = models["credit-scoring"]
    assert credit["spdxId"] == f"{BASE}/model/models/credit-scoring"
    assert credit["software_packageVersion"] == "2.1.0"
    assert credit["software_primaryPurpose"] == "model"


def test_created_by_roadworthy_on_the_commit_date(demo: GitRepo, spdx: Spdx) -> None:
    when = dt.datetime(2026, 11, 1, 12, 30, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    demo.commit("dated", date=when, extra_args=("--allow-empty",))
    info = spdx(demo.path)["_:CreationInfo0"]
    assert (info["specVersion"], info["created"]) == ("3.0.1", "2026-11-01T10:30:00Z")
    agent = spdx(demo.path)[info["createdBy"][0]]
    assert (agent["type"], agent["name"][:11]) == ("SoftwareAgent", "roadworthy ")
    assert spdx(demo.path)[info["createdUsing"][0]]["type"] == "Tool"
    as_of = spdx(demo.path, "--as-of", "2026-12-01")["_:CreationInfo0"]
    assert as_of["created"] == "2026-12-01T00:00:00Z"


def test_weights_hashes_verify_the_package(demo: GitRepo, spdx: Spdx) -> None:
    models = _of_type(spdx(demo.path), "ai_AIPackage")
    weights = {
        "credit-scoring": "models/credit-scoring/model.onnx",
        "fraud-detector": "models/fraud-detector/model.pt",
        "sentiment-shadow": "experiments/sentiment-shadow/model.safetensors",
    }
    for name, path in weights.items():
        source, digest = _digest_of(demo.path / path)
        [verified] = models[name]["verifiedUsing"]
        assert (verified["algorithm"], verified["hashValue"]) == ("sha256", digest)
        assert verified["comment"].startswith(f"{path} ({source}")
    assert "verifiedUsing" not in models["churn-predictor"]


def test_data_contracts_are_dataset_packages_the_model_depends_on(
    demo: GitRepo, spdx: Spdx
) -> None:
    elements = spdx(demo.path)
    path = "models/credit-scoring/credit_applications.odcs.yaml"
    contract = elements[f"{BASE}/data/{path}"]
    assert contract["type"] == "dataset_DatasetPackage"
    assert (contract["name"], contract["software_packageVersion"]) == (
        "credit_applications",
        "1.4.0",
    )
    assert contract["standardName"] == ["ODCS v3.0.2"]
    sha256 = hashlib.sha256((demo.path / path).read_bytes()).hexdigest()
    assert [h["hashValue"] for h in contract["verifiedUsing"]] == [sha256]
    relationships = [e for e in elements.values() if e["type"] == "Relationship"]
    credit = [r for r in relationships if r["from"] == f"{BASE}/model/models/credit-scoring"]
    assert [(r["relationshipType"], r["to"]) for r in credit] == [
        ("dependsOn", [contract["spdxId"]])
    ]
    assert len(relationships) == 2  # credit-scoring's and churn-predictor's contracts


def test_model_card_in_the_ai_profile(demo: GitRepo, spdx: Spdx) -> None:
    credit = _of_type(spdx(demo.path), "ai_AIPackage")["credit-scoring"]
    assert credit["ai_informationAboutApplication"].startswith("Ranks applications for manual")
    assert credit["ai_limitation"].startswith("Trained on applications from")
    assert credit["ai_informationAboutTraining"].startswith("1.8 M anonymised applications")
    metrics = [(m["key"], m["value"]) for m in credit["ai_metric"]]
    assert metrics == [("AUC [holdout 2025-Q4]", "0.87"), ("KS [holdout 2025-Q4]", "0.52")]
    props = cdx_props(credit)
    assert props["roadworthy:human-oversight"][0].startswith("Underwriters see the top five")
    assert (props["roadworthy:risk"], props["roadworthy:stage"]) == (["high"], ["supervised"])
    assert props["roadworthy:owner:accountable"] == ["@alice"]
    # Nothing in the card says how autonomous the model is, or who supplied it.
    assert not {"ai_autonomyType", "ai_domain", "suppliedBy", "originatedBy"} & set(credit)


def test_same_repository_same_bytes(
    demo: GitRepo, run_cli: Callable[..., Any], tmp_path: Path
) -> None:
    first = run_cli("bom", "--format", "spdx", cwd=demo.path)
    assert (first.exit_code, spdx_errors(first.out)) == (0, [])
    assert run_cli("bom", "--format", "spdx", cwd=demo.path).out == first.out
    # Another clone of the same commit, under the same name, gives the same document.
    clone = tmp_path / "elsewhere" / "demo"
    demo.git("clone", "-q", str(demo.path), str(clone))
    assert run_cli("bom", "--format", "spdx", cwd=clone).out == first.out


def test_output_file_is_never_written_through_a_link(
    demo: GitRepo, run_cli: Callable[..., Any], tmp_path: Path
) -> None:
    outside = tmp_path / "outside.json"
    outside.write_text("keep")
    os.symlink(outside, demo.path / "bom.json")
    result = run_cli("bom", "--format", "spdx", "-o", "bom.json", cwd=demo.path)
    assert result.exit_code == 2
    assert (
        result.err == "roadworthy: bom.json is a symlink; roadworthy does not write through links\n"
    )
    assert outside.read_text() == "keep"
    os.unlink(demo.path / "bom.json")
    result = run_cli("bom", "--format", "spdx", "-o", "bom.json", cwd=demo.path)
    assert (result.exit_code, result.out) == (0, "")
    text = (demo.path / "bom.json").read_text()
    assert (spdx_errors(text), spdx_schema_errors(text)) == ([], [])


def test_a_folder_that_is_no_git_repository_is_dated_by_the_epoch(
    tmp_path: Path, spdx: Spdx
) -> None:
    (tmp_path / "plain" / "m").mkdir(parents=True)
    (tmp_path / "plain" / "m" / "model.onnx").write_bytes(b"\x08\x01onnx")
    elements = spdx(tmp_path / "plain")
    assert elements["_:CreationInfo0"]["created"] == "1970-01-01T00:00:00Z"
    [model] = _of_type(elements, "ai_AIPackage").values()
    assert model["verifiedUsing"][0]["hashValue"] == hashlib.sha256(b"\x08\x01onnx").hexdigest()


def test_a_file_name_that_is_not_utf8(
    make_repo: Callable[..., GitRepo], run_cli: Callable[..., Any]
) -> None:
    repo = make_repo()
    folder = os.fsencode(repo.path) + b"/m \xff"
    os.mkdir(folder)
    with open(folder + b"/model.onnx", "wb") as weights:
        weights.write(b"\x08\x01onnx")
    repo.git("add", "-A")
    repo.commit("weights under a Latin-1 name")
    result = run_cli("bom", "--format", "spdx", "-o", "bom.json", cwd=repo.path)
    assert result.exit_code == 0, result.err
    text = (repo.path / "bom.json").read_text(encoding="utf-8")
    assert (spdx_errors(text), spdx_schema_errors(text)) == ([], [])
    # The id names the folder's own bytes; the name stays a JSON escape, as JSON allows.
    assert f'"spdxId": "urn:roadworthy:spdx:{repo.path.name}/model/m%20%FF"' in text
    assert '"name": "m \\udcff"' in text


@pytest.mark.parametrize("name", CARD_FILES)
def test_every_real_model_card_gives_a_valid_document(
    corpus: Path, make_repo: Callable[..., GitRepo], spdx: Spdx, name: str
) -> None:
    text = (corpus / "model-cards" / name).read_bytes()
    repo = make_repo(
        {"classifier/MODEL_CARD.md": text, "classifier/model.safetensors": b"\x00weights"}
    )
    model = _of_type(spdx(repo.path), "ai_AIPackage")["classifier"]
    doc = markdown.parse(text.decode("utf-8", "replace"))
    intended = markdown.find_section(doc, ["Intended use", "Intended uses", "Uses", "Model use"])
    if intended is not None and intended.filled:
        assert model["ai_informationAboutApplication"]
    else:
        assert "ai_informationAboutApplication" not in model


@pytest.mark.parametrize(
    "breakage",
    [
        pytest.param(lambda e: e.update(created="2026-11-01"), id="a date without time"),
        pytest.param(lambda e: e.update(specVersion="3.0"), id="not a semantic version"),
        pytest.param(lambda e: e.update(createdBy=[]), id="created by nobody"),
        pytest.param(lambda e: e.update(comment=1), id="a number for a string"),
        pytest.param(lambda e: e.update(bogus="x"), id="a property 3.0.1 does not define"),
    ],
)
def test_both_validations_reject_what_spdx_forbids(
    demo: GitRepo, run_cli: Callable[..., Any], breakage: Callable[[dict[str, Any]], None]
) -> None:
    """The checks bite: each change to the creation info breaks one rule of SPDX 3.0.1."""
    text = run_cli("bom", "--format", "spdx", cwd=demo.path).out
    document = json.loads(text)
    [info] = [e for e in document["@graph"] if e["type"] == "CreationInfo"]
    breakage(info)
    broken = json.dumps(document)
    assert spdx_schema_errors(broken) != []
    assert spdx_errors(broken) != []

"""Markers that are read, not only named: DVC files that track or make weights are models, a
``model.yaml`` that is a Kubernetes manifest is not. Real DVC files come from the corpus."""

from __future__ import annotations

import json

import pytest

W = "placeholder weights\n"
# What `dvc add models/model.pkl` writes (DVC 3 layout; the hash is made up).
MODEL_DVC = "outs:\n- md5: 0b5b3c2b1d1fe61a1a87a1a4e0c3c1a2\n  size: 1048576\n  hash: md5\n  path: model.pkl\n"
MODELS_DIR_DVC = "outs:\n- md5: 9f1c0a2b3c4d5e6f708192a3b4c5d6e7.dir\n  size: 2097152\n  nfiles: 3\n  path: checkpoints\n"
ARTIFACTS = "artifacts:\n  churn:\n    path: churn.pkl\n    type: model\n"
MISINDENTED = (
    "stages:\n  train:\n    cmd: python train.py\n    outs:\n    - out/net.h5:\n"
    "        persist: true\n     - out/log.txt\n"
)
KSERVE = (
    "apiVersion: serving.kserve.io/v1beta1\n"
    "kind: InferenceService\n"
    "metadata:\n  name: sklearn-iris\n"
    "spec:\n  predictor:\n    model:\n      modelFormat:\n        name: sklearn\n"
    "      storageUri: gs://example-bucket/models/sklearn/iris\n"
)
METADATA = "name: churn\nversion: 1.2.0\nrisk: high\n"


def components(run_cli, repo) -> list[str]:
    result = run_cli("check", "--format", "json", cwd=repo.path)
    assert result.exit_code in (0, 1), result.err
    return [c["path"] for c in json.loads(result.out)["components"]]


def corpus_file(corpus, name: str) -> str:
    return (corpus / "dvc" / name).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        pytest.param({"churn/model.pkl.dvc": MODEL_DVC}, ["churn"], id="dvc-file-tracks-weights"),
        pytest.param(
            {"churn/checkpoints.dvc": MODELS_DIR_DVC},
            ["churn"],
            id="dvc-file-tracks-a-weights-folder",
        ),
        # DVC reads it no more, but its name still says what it tracked.
        pytest.param({"churn/model.pkl.dvc": "outs: [\n"}, ["churn"], id="dvc-file-unreadable"),
        pytest.param({"churn/dvc.yaml": ARTIFACTS}, ["churn"], id="dvc-yaml-model-artifact"),
        pytest.param({"churn/data.csv.dvc": "outs:\n- path: data.csv\n"}, [], id="dvc-file-data"),
        # Named otherwise than what it tracks: its outs say.
        pytest.param(
            {"churn/trained.dvc": "outs:\n- path: net.onnx\n"}, ["churn"], id="dvc-file-renamed"
        ),
        pytest.param({"churn/dvc.yaml": "stages: [\n"}, [], id="dvc-yaml-unreadable"),
        # A stray indent DVC would refuse too; its outputs are still listed as items.
        pytest.param({"churn/dvc.yaml": MISINDENTED}, ["churn"], id="dvc-yaml-misindented"),
        pytest.param(
            {"churn/dvc.yaml": MISINDENTED.replace("net.h5", "report.txt")},
            [],
            id="dvc-yaml-misindented-without-weights",
        ),
        pytest.param({"serving/model.yaml": KSERVE}, [], id="kubernetes-manifest"),
        pytest.param({"churn/model.yaml": METADATA}, ["churn"], id="model-yaml-metadata"),
        pytest.param(
            {"chart/templates/model.yaml": "apiVersion: v1\nkind: {{ .Values.kind }}\n"},
            [],
            id="helm-template",
        ),
    ],
)
def test_read_markers(make_repo, run_cli, files, expected):
    assert components(run_cli, make_repo(files)) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        pytest.param("vscode-dvc__demo__dvc.yaml", ["pipeline"], id="stage-makes-model-pt"),
        pytest.param("vscode-dvc__demo__demo2__dvc.yaml", ["pipeline"], id="stage-makes-model-pkl"),
        pytest.param("vscode-dvc__demo__special__dvc.yaml", ["pipeline"], id="checkpoint-stage"),
        pytest.param("dvcyaml-schema__dvc.yaml", [], id="stage-makes-a-schema"),
        pytest.param(
            "dvcyaml-schema__examples__valid__artifacts.dvc.yaml", [], id="file-artifacts"
        ),
        pytest.param("dvcyaml-schema__examples__valid__foreach.dvc.yaml", [], id="no-outputs"),
    ],
)
def test_real_dvc_pipelines(corpus, make_repo, run_cli, name, expected):
    repo = make_repo({"pipeline/dvc.yaml": corpus_file(corpus, name)})
    assert components(run_cli, repo) == expected


@pytest.mark.parametrize(
    "name",
    [
        pytest.param("vscode-dvc__demo__data__MNIST__raw.dvc", id="data-folder"),
        pytest.param("vscode-dvc__demo__users.csv.dvc", id="csv"),
        pytest.param("vscode-dvc__demo__demo2__data__data.xml.dvc", id="import"),
    ],
)
def test_real_dvc_files_tracking_data_are_not_models(corpus, make_repo, run_cli, name):
    repo = make_repo({"data/tracked.dvc": corpus_file(corpus, name), "m/model.onnx": W})
    assert components(run_cli, repo) == ["m"]


def test_a_policy_listing_model_yaml_still_skips_manifests(make_repo, run_cli):
    policy = "version: 1\nextends: [recommended]\ncomponents:\n  markers: ['**/model.yaml']\n"
    repo = make_repo(
        {"roadworthy.yaml": policy, "serving/model.yaml": KSERVE, "churn/model.yaml": METADATA}
    )
    assert components(run_cli, repo) == ["churn"]


def test_another_pattern_keeps_a_file_as_written(make_repo, run_cli):
    # A policy that names every YAML file means it, manifests included.
    policy = "version: 1\ncomponents:\n  markers: ['**/model.yaml', 'serving/*.yaml']\n"
    repo = make_repo({"roadworthy.yaml": policy, "serving/model.yaml": KSERVE})
    assert components(run_cli, repo) == ["serving"]


def test_a_dvc_component_is_anchored_on_its_dvc_file(make_repo, run_cli):
    repo = make_repo({"churn/model.pkl.dvc": MODEL_DVC})
    result = run_cli("check", "--format", "json", cwd=repo.path)
    codes = {f["code"]: f["path"] for f in json.loads(result.out)["findings"]}
    assert codes["RW101"] == "churn/model.pkl.dvc"

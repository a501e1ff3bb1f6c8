"""The weights formats real ML stacks ship are material, and the distinctive ones mark components."""

from __future__ import annotations

import json

import pytest

from tests.change.conftest import MALLORY, base_files

WEIGHTS = [
    "model.onnx.data",
    "pytorch_model.bin",
    "pytorch_model-00001-of-00002.bin",
    "adapter_model.bin",
    "last.ckpt",
    "tf/model.ckpt.index",
    "tf/model.ckpt.data-00000-of-00001",
    "model.tflite",
    "saved/saved_model.pb",
    "saved/variables/variables.data-00000-of-00001",
    "saved/variables/variables.index",
    "flax_model.msgpack",
    "arrays.npz",
    "embedding.npy",
    "booster.ubj",
    "handler.mar",
    "model.engine",
    "model.plan",
    "classifier.mlmodel",
    "classifier.mlpackage/Data/com.apple.CoreML/weights/weight.bin",
]


@pytest.mark.parametrize("name", WEIGHTS)
def test_changed_weights_of_every_format_need_an_approval(make_repo, judge, name):
    path = f"models/credit/{name}"
    repo = make_repo({**base_files(), path: b"\x00weights-v1"})
    repo.git("branch", "base")
    repo.write({path: b"\x00weights-v2"})
    repo.commit("swap weights", author=MALLORY)
    _, found = judge(repo)
    assert ("RW401", path) in {(code, where) for code, where, _ in found}


MARKERS = [
    "pytorch_model.bin",
    "last.ckpt",
    "model.tflite",
    "saved_model.pb",
    "flax_model.msgpack",
    "arrays.npz",
    "booster.ubj",
    "handler.mar",
    "model.engine",
    "model.plan",
    "classifier.mlmodel",
]


@pytest.mark.parametrize("name", MARKERS)
def test_distinctive_weights_files_mark_a_component(make_repo, run_cli, name):
    repo = make_repo({f"models/ranker/{name}": b"\x00weights", "src/app.py": "print()\n"})
    result = run_cli("check", "--format", "json", cwd=repo.path)
    report = json.loads(result.out)
    assert [c["path"] for c in report["components"]] == ["models/ranker"]


def test_a_bin_beside_a_config_json_marks_a_component(make_repo, run_cli):
    repo = make_repo(
        {
            "models/ranker/model.bin": b"\x00w",
            "models/ranker/config.json": '{"model_type": "bert"}',
            "assets/lookup.bin": b"\x00table",
            "src/app.py": "print()\n",
        }
    )
    report = json.loads(run_cli("check", "--format", "json", cwd=repo.path).out)
    assert [c["path"] for c in report["components"]] == ["models/ranker"]


@pytest.mark.parametrize("name", ["weights.bin", "vocab.npy", "data.onnx_data"])
def test_generic_names_do_not_mark_a_component_alone(make_repo, run_cli, name):
    repo = make_repo({f"assets/{name}": b"\x00bytes", "src/app.py": "print()\n"})
    result = run_cli("check", "--format", "json", cwd=repo.path)
    assert json.loads(result.out)["components"] == []

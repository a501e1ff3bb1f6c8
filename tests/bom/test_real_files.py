"""The BOM of components made of real third-party files: model cards, Git LFS pointers and a DVC
file from the shared corpus, in real git repositories."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from testing.gitrepo import GitRepo

from roadworthy.formats import markdown
from tests.bom.conftest import by_name, props, schema_errors

Bom = Callable[..., dict[str, Any]]
CARDS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "model-cards"
CARD_FILES = sorted(p.name for p in CARDS.glob("*.md")) if CARDS.is_dir() else []


@pytest.mark.parametrize("name", CARD_FILES)
def test_every_real_model_card_gives_a_valid_bom(
    corpus: Path, make_repo: Callable[..., GitRepo], bom: Bom, name: str
) -> None:
    text = (corpus / "model-cards" / name).read_bytes()
    repo = make_repo(
        {"classifier/MODEL_CARD.md": text, "classifier/model.safetensors": b"\x00weights"}
    )
    model = by_name(bom(repo.path))["classifier"]
    card = model.get("modelCard")
    doc = markdown.parse(text.decode("utf-8", "replace"))
    intended = markdown.find_section(doc, ["Intended use", "Intended uses", "Uses", "Model use"])
    if intended is not None and intended.filled:
        assert card is not None and card["considerations"]["useCases"][0]
    elif card is not None:
        assert "useCases" not in card.get("considerations", {})


def test_a_hugging_face_card_is_quoted_section_by_section(
    corpus: Path, make_repo: Callable[..., GitRepo], bom: Bom
) -> None:
    text = (corpus / "model-cards" / "facebookresearch-dinov2__MODEL_CARD.md").read_text()
    repo = make_repo({"dinov2/MODEL_CARD.md": text, "dinov2/model.pth": b"\x80\x02weights"})
    card = by_name(bom(repo.path))["dinov2"]["modelCard"]
    uses = card["considerations"]["useCases"][0]
    assert "### Direct Use" in uses  # a subsection belongs to its section
    assert uses.startswith("The models are vision backbones providing multi-purpose features")
    training = card["modelParameters"]["datasets"][0]
    assert training["description"].startswith("- **Training data:** LVD-142M (see paper)")
    assert "technicalLimitations" in card["considerations"]


@pytest.mark.parametrize(
    "pointer",
    [
        "onnx-models__2023-layout__vision__classification__mnist__model__mnist-8.onnx.lfs-pointer",
        "opencv_zoo__models__face_detection_yunet__face_detection_yunet_2023mar.onnx.lfs-pointer",
    ],
)
def test_a_real_lfs_pointer_gives_its_oid(
    corpus: Path, make_repo: Callable[..., GitRepo], bom: Bom, pointer: str
) -> None:
    data = (corpus / "lfs" / pointer).read_bytes()
    repo = make_repo({"vision/model.onnx": data})
    weights = by_name(bom(repo.path))["vision/model.onnx"]
    oid = next(line for line in data.decode().splitlines() if line.startswith("oid "))
    size = next(line for line in data.decode().splitlines() if line.startswith("size "))
    assert weights["hashes"] == [{"alg": "SHA-256", "content": oid.split(":")[1]}]
    assert props(weights) == {
        "roadworthy:digest-source": ["git-lfs-pointer"],
        "roadworthy:size": [size.split(" ")[1]],
    }


def test_weights_bytes_are_hashed(make_repo: Callable[..., GitRepo], bom: Bom) -> None:
    # Over one hashing block, and just over an LFS pointer's size: never read as a pointer.
    big = bytes(range(256)) * 5000
    small = b"version https://git-lfs.github.com/spec/v1\noid sha256:" + b"0" * 64 + b"\n"
    repo = make_repo({"m/model.safetensors": big, "m/head.pt": small})
    components = by_name(bom(repo.path))
    for path, data in (("m/model.safetensors", big), ("m/head.pt", small)):
        digest = hashlib.sha256(data).hexdigest()
        assert components[path]["hashes"] == [{"alg": "SHA-256", "content": digest}]
        assert props(components[path])["roadworthy:size"] == [str(len(data))]


def test_a_dvc_file_gives_the_md5_it_records(
    corpus: Path, make_repo: Callable[..., GitRepo], bom: Bom
) -> None:
    # A real .dvc file's shape (outs: md5, size, path), pointed at weights rather than data.
    real = corpus / "dvc" / "vscode-dvc__demo__data__MNIST__raw__t10k-lables-idx1-ubyte.gz.dvc"
    text = real.read_text().replace("t10k-lables-idx1-ubyte.gz", "model.pt")
    folder = (corpus / "dvc" / "vscode-dvc__demo__data__MNIST__raw.dvc").read_text()
    repo = make_repo(
        {"ranker/model.pt.dvc": text, "ranker/checkpoints.dvc": folder.replace("raw", "weights")}
    )
    components = by_name(bom(repo.path))
    model = components["ranker/model.pt"]
    assert model["hashes"] == [{"alg": "MD5", "content": "ec29112dd5afa0611ce80d1b7f02629c"}]
    assert props(model) == {
        "roadworthy:digest-source": ["dvc-file"],
        "roadworthy:recorded-in": ["ranker/model.pt.dvc"],
        "roadworthy:size": ["4542"],
    }
    # A folder's md5 names DVC's listing of it, not bytes: no digest is claimed.
    assert "hashes" not in components["ranker/weights"]


def test_the_schema_check_bites(demo: GitRepo, run_cli: Callable[..., Any]) -> None:
    document = json.loads(run_cli("bom", cwd=demo.path).out)
    model = next(c for c in document["components"] if "modelCard" in c)
    model["modelCard"]["considerations"]["owners"] = ["@alice"]
    assert schema_errors(json.dumps(document))


def test_hugging_face_model_index_metrics(
    corpus: Path, make_repo: Callable[..., GitRepo], bom: Bom
) -> None:
    name = "hf-hub__fixtures__cards__sample_simple_model_index.md"
    text = (corpus / "model-cards" / name).read_text()
    repo = make_repo({"beans/README.md": text, "beans/model.safetensors": b"\x00w"})
    card = by_name(bom(repo.path))["beans"]["modelCard"]
    assert card["quantitativeAnalysis"]["performanceMetrics"] == [
        {"type": "accuracy", "value": "0.9", "slice": "Beans"},
        {"type": "f1", "value": "0.66", "slice": "Beans (test)"},
    ]


def test_an_unrendered_template_gives_no_metrics(
    corpus: Path, make_repo: Callable[..., GitRepo], bom: Bom
) -> None:
    text = (corpus / "model-cards" / "hf-hub__2022__modelcard.md").read_text()
    assert "{metric_value}" in text and "model-index" in text  # single-brace placeholders
    repo = make_repo({"tpl/README.md": text, "tpl/model.safetensors": b"\x00w"})
    card = by_name(bom(repo.path))["tpl"]["modelCard"]
    assert "quantitativeAnalysis" not in card


def test_a_dvc_pipeline_gives_the_md5_its_lock_records(
    corpus: Path, tmp_path: Path, bom: Bom
) -> None:
    # iterative/example-get-started: `train` makes model.pkl, an artifact of type model.
    from tests.test_real_repos import rebuild

    repo = rebuild("iterative__example-get-started.json.gz", tmp_path / "get-started")
    lock = yaml.safe_load((repo / "dvc.lock").read_text())
    out = next(o for o in lock["stages"]["train"]["outs"] if o["path"] == "model.pkl")
    weights = by_name(bom(repo))["model.pkl"]
    assert weights["hashes"] == [{"alg": "MD5", "content": out["md5"]}]
    assert props(weights)["roadworthy:recorded-in"] == ["dvc.lock"]
    assert props(weights)["roadworthy:size"] == [str(out["size"])]


def test_weights_in_git_and_in_a_dvc_record_are_both_listed(
    corpus: Path, make_repo: Callable[..., GitRepo], run_cli: Callable[..., Any]
) -> None:
    real = corpus / "dvc" / "vscode-dvc__demo__data__MNIST__raw__t10k-lables-idx1-ubyte.gz.dvc"
    text = real.read_text().replace("t10k-lables-idx1-ubyte.gz", "model.pt")
    repo = make_repo({"ranker/model.pt.dvc": text, "ranker/model.pt": b"\x80\x02weights"})
    result = run_cli("bom", cwd=repo.path)
    assert schema_errors(result.out) == []
    # Each entry has a bom-ref of its own: the library would draw a random one for a duplicate.
    assert run_cli("bom", cwd=repo.path).out == result.out
    (model,) = json.loads(result.out)["components"]
    sources = sorted(props(w)["roadworthy:digest-source"][0] for w in model["components"])
    assert sources == ["dvc-file", "file-bytes"]

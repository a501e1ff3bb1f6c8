"""What DVC files declare: outputs of ``.dvc`` files and ``dvc.yaml`` stages, model artifacts.
Real files from the corpus (iterative/vscode-dvc demos, the dvcyaml-schema test suite)."""

from __future__ import annotations

import pytest

from roadworthy.formats.dvc import DvcOutputs, read
from roadworthy.formats.yamlio import YamlError


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        # A stage output with options: {model.pt: {checkpoint: true}}
        pytest.param("vscode-dvc__demo__dvc.yaml", DvcOutputs(("model.pt",), ()), id="demo"),
        pytest.param(
            "vscode-dvc__demo__demo2__dvc.yaml",
            DvcOutputs(("data/prepared", "data/features", "model.pkl"), ()),
            id="four-stages",
        ),
        pytest.param(
            "vscode-dvc__demo__special__dvc.yaml", DvcOutputs(("model.pt",), ()), id="special"
        ),
        pytest.param("vscode-dvc__demo__data__MNIST__raw.dvc", DvcOutputs(("raw",), ()), id="dir"),
        pytest.param("vscode-dvc__demo__users.csv.dvc", DvcOutputs(("users.csv",), ()), id="file"),
        pytest.param(
            "vscode-dvc__demo__demo2__data__data.xml.dvc",
            DvcOutputs(("data.xml",), ()),
            id="import",
        ),
        pytest.param("dvcyaml-schema__dvc.yaml", DvcOutputs(("schema.json",), ()), id="schema"),
        pytest.param(
            "dvcyaml-schema__examples__valid__outs.dvc.yaml",
            DvcOutputs(("foo1", "bar1", "bar2", "bar3", "bar4", "bar5", "bar6"), ()),
            id="outs-forms",
        ),
        # Artifacts of type file or of no type are not models.
        pytest.param(
            "dvcyaml-schema__examples__valid__artifacts.dvc.yaml",
            DvcOutputs((), ()),
            id="artifacts",
        ),
        pytest.param(
            "dvcyaml-schema__examples__valid__foreach.dvc.yaml", DvcOutputs((), ()), id="foreach"
        ),
        pytest.param(
            "dvcyaml-schema__examples__valid__matrix.dvc.yaml", DvcOutputs((), ()), id="matrix"
        ),
    ],
)
def test_outputs_of_real_files(corpus, name, expected):
    assert read((corpus / "dvc" / name).read_text(encoding="utf-8")) == expected


def test_every_corpus_file_reads_without_error(corpus):
    for path in sorted((corpus / "dvc").iterdir()):
        assert isinstance(read(path.read_text(encoding="utf-8")), DvcOutputs), path.name


def test_model_artifacts():
    text = (
        "artifacts:\n"
        "  churn:\n    path: models/churn.pkl\n    type: model\n"
        "  raw:\n    path: data/raw.csv\n    type: dataset\n"
        "  odd:\n    type: model\n"  # no path: nothing to name
    )
    assert read(text) == DvcOutputs((), ("models/churn.pkl",))


def test_foreach_stage_outputs_are_under_do():
    text = (
        "stages:\n  train:\n    foreach: [a, b]\n    do:\n      outs:\n      - model-${item}.pt\n"
    )
    assert read(text).outs == ("model-${item}.pt",)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("", id="empty"),
        pytest.param("- a\n- b\n", id="list"),
        pytest.param("stages: [1, 2]\nouts: {a: b}\nartifacts: [x]\n", id="wrong-shapes"),
        pytest.param("stages:\n  s:\n    outs: [1, {a: 1, b: 2}, null]\n", id="odd-entries"),
    ],
)
def test_other_shapes_declare_nothing(text):
    assert read(text).models == ()
    assert all(isinstance(out, str) for out in read(text).outs)


def test_not_yaml_is_an_error():
    with pytest.raises(YamlError):
        read("stages: [unclosed\n")


def test_a_lock_names_each_stage_outputs(corpus):
    """A lock's paths are relative to each stage's wdir, so they are kept by stage."""
    from roadworthy.formats.dvc import locked_stage_outs
    from roadworthy.formats.yamlio import load

    text = (corpus / "dvc" / "vscode-dvc__demo__demo2__dvc.lock").read_text(encoding="utf-8")
    outs = locked_stage_outs(load(text).data)
    assert {stage: sorted(paths) for stage, paths in outs.items()} == {
        "prepare": ["data/prepared"],
        "featurize": ["data/features"],
        "train": ["model.pkl"],
        "evaluate": ["prc.json", "roc.json", "scores.json"],
    }
    assert outs["train"]["model.pkl"]["md5"]

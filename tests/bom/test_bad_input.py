"""Files a BOM cannot use leave their part out; the BOM is still written and still valid."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from testing.gitrepo import GitRepo

from tests.bom.conftest import by_name, props, schema_errors

Bom = Callable[..., dict[str, Any]]


def test_unreadable_files_are_left_out(make_repo: Callable[..., GitRepo], bom: Bom) -> None:
    repo = make_repo(
        {
            "a/model.onnx": b"\x08\x01onnx",
            "a/MODEL_CARD.md": b"---\nrisk: [high\n---\n## Intended use\n\n\xff\xfe not UTF-8\n",
            "a/data_contract.yaml": "apiVersion: v3.0.2\nname: [unclosed\n",
            "b/model.onnx": b"\x08\x01onnx",
            "b/MODEL_CARD.md": "---\nrisk: extreme\nstage: later\nowners: 42\n---\n## Uses\n\nOK.\n",
            "b/model.pt.dvc": "outs: [unclosed\n",
        }
    )
    components = by_name(bom(repo.path))
    a = components["a"]
    assert "modelCard" not in a  # not UTF-8: `check` reports it as RW001
    assert not [c for c in components.values() if c["type"] == "data"]
    b = props(components["b"])
    # Metadata that is not understood reads as the defaults, as `check` reads it (RW004).
    assert (b["roadworthy:risk"], b["roadworthy:stage"]) == (["limited"], ["autonomous"])
    assert "roadworthy:owner" not in b
    assert components["b"]["modelCard"]["considerations"]["useCases"] == ["OK."]


def test_weights_that_are_not_there(
    make_repo: Callable[..., GitRepo], bom: Bom, tmp_path: Path
) -> None:
    outside = tmp_path / "outside.onnx"
    outside.write_bytes(b"secret weights")
    repo = make_repo({"c/model.onnx": b"\x08\x01onnx", "c/head.onnx": b"x"})
    (repo.path / "c/model.onnx").unlink()  # tracked, missing from the work tree
    (repo.path / "c/head.onnx").unlink()
    os.symlink(outside, repo.path / "c/head.onnx")  # a link out of the repository
    components = by_name(bom(repo.path))
    for path in ("c/model.onnx", "c/head.onnx"):
        assert "hashes" not in components[path]


def test_a_folder_that_is_no_git_repository(tmp_path: Path, bom: Bom) -> None:
    (tmp_path / "plain" / "m").mkdir(parents=True)
    (tmp_path / "plain" / "m" / "model.onnx").write_bytes(b"\x08\x01onnx")
    components = by_name(bom(tmp_path / "plain"))
    assert components["m/model.onnx"]["hashes"][0]["alg"] == "SHA-256"


def test_a_file_name_that_is_not_utf8(
    make_repo: Callable[..., GitRepo], run_cli: Callable[..., Any]
) -> None:
    repo = make_repo()
    folder = os.fsencode(repo.path) + b"/m\xff"
    os.mkdir(folder)
    with open(folder + b"/model.onnx", "wb") as weights:
        weights.write(b"\x08\x01onnx")
    repo.git("add", "-A")
    repo.commit("weights under a Latin-1 name")
    for args in ((), ("-o", "bom.json")):
        result = run_cli("bom", *args, cwd=repo.path)
        assert result.exit_code == 0, result.err
    text = (repo.path / "bom.json").read_text(encoding="utf-8")
    assert '"name": "m\\udcff/model.onnx"' in text  # escaped, as JSON allows
    assert schema_errors(text) == []

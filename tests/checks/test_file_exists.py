"""``file-exists``: one of the listed files is among the component's tracked files."""

from __future__ import annotations

import json

import pytest

CODE = "ACME101"

W = "placeholder weights\n"


@pytest.mark.parametrize(
    ("files", "expected"),
    (
        pytest.param({"m/model.onnx": W, "m/ROLLBACK.md": "# Rollback\n"}, [], id="present"),
        pytest.param(
            {"m/model.onnx": W, "m/docs/rollback.md": "# Rollback\n"}, [], id="second-candidate"
        ),
        pytest.param({"m/model.onnx": W}, [(CODE, "m/model.onnx", 1)], id="missing"),
        pytest.param(
            {"m/model.onnx": W, "m/docs/ROLLBACK.md": "# Rollback\n"},
            [(CODE, "m/model.onnx", 1)],
            id="wrong-folder",
        ),
        pytest.param(
            {"m/model.onnx": W, "m/rollback.md": "# Rollback\n"},
            [(CODE, "m/model.onnx", 1)],
            id="case-sensitive",
        ),
        pytest.param(
            {"m/model.onnx": W, "ROLLBACK.md": "# Rollback of everything\n"},
            [(CODE, "m/model.onnx", 1)],
            id="repository-root-file-is-not-the-components",
        ),
        pytest.param(
            {"m/model.onnx": W, "m/ROLLBACK.md/steps.txt": "1. revert\n"},
            [(CODE, "m/model.onnx", 1)],
            id="a-folder-of-that-name-is-not-the-file",
        ),
    ),
)
def test_paths(lint, files, expected):
    options = {"paths": ["ROLLBACK.md", "docs/rollback.md"]}
    assert lint(files, "file-exists", options) == expected


@pytest.mark.parametrize(
    ("files", "expected"),
    (
        pytest.param({"m/model.onnx": W, "m/orders.odcs.yaml": "x: 1\n"}, [], id="glob-matches"),
        pytest.param(
            {"m/model.onnx": W, "m/contracts/orders.odcs.yaml": "x: 1\n"},
            [(CODE, "m/model.onnx", 1)],
            id="star-stays-in-one-folder",
        ),
        pytest.param(
            {"m/model.onnx": W, "m/orders.odcs.yml": "x: 1\n"},
            [(CODE, "m/model.onnx", 1)],
            id="other-extension",
        ),
    ),
)
def test_glob_paths(lint, files, expected):
    assert lint(files, "file-exists", {"paths": ["*.odcs.yaml"]}) == expected


def test_files_of_a_nested_component_do_not_count_for_the_outer_one(lint):
    # Each file belongs to the deepest component holding it: a declared inner component owns
    # its ROLLBACK.md, so the outer component still lacks one.
    files = {
        "outer/model.onnx": W,
        "outer/inner/ROLLBACK.md": "# Rollback\n",
        "roadworthy.yaml": json.dumps(
            {
                "version": 1,
                "components": {"declare": [{"path": "outer"}, {"path": "outer/inner"}]},
                "rules": {
                    CODE: {
                        "name": "under-test",
                        "check": "file-exists",
                        "dimension": "operations",
                        "options": {"paths": ["ROLLBACK.md"]},
                    }
                },
            }
        ),
    }
    assert lint(files) == [(CODE, "outer/model.onnx", 1)]


@pytest.mark.parametrize(
    ("card", "expected"),
    (
        pytest.param(None, [(CODE, "m/model.onnx", 1)], id="no-readme"),
        pytest.param("# Fraud model\n\nText.\n", [(CODE, "m/model.onnx", 1)], id="no-front-matter"),
        pytest.param("---\nversion: '1.0'\n---\n# Fraud model\n", [], id="front-matter"),
        pytest.param("---\n---\n# Fraud model\n", [], id="empty-front-matter"),
    ),
)
def test_front_matter_candidate(lint, card, expected):
    files = {
        "m/model.onnx": W,
        "roadworthy.yaml": json.dumps(
            {
                "version": 1,
                "artifacts": {"card": [{"path": "README.md", "front_matter": True}]},
                "rules": {
                    CODE: {
                        "name": "under-test",
                        "check": "file-exists",
                        "dimension": "governance",
                        "options": {"artifact": "card"},
                    }
                },
            }
        ),
    }
    if card is not None:
        files["m/README.md"] = card
    assert lint(files) == expected


def test_declared_component_without_files_points_at_its_declaration(lint):
    policy = (
        "version: 1\n"
        "components:\n"
        "  declare:\n"
        "    - {path: models/planned, name: planned}\n"
        "rules:\n"
        "  ACME101:\n"
        "    name: under-test\n"
        "    check: file-exists\n"
        "    dimension: operations\n"
        "    options: {paths: [ROLLBACK.md]}\n"
    )
    assert lint({"roadworthy.yaml": policy}) == [(CODE, "roadworthy.yaml", 4)]


def test_every_component_is_checked(lint):
    files = {
        "a/model.onnx": W,
        "b/model.onnx": W,
        "b/ROLLBACK.md": "# Rollback\n",
        "c/weights.safetensors": W,
    }
    assert lint(files, "file-exists", {"paths": ["ROLLBACK.md"]}) == [
        (CODE, "a/model.onnx", 1),
        (CODE, "c/weights.safetensors", 1),
    ]

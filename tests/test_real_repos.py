"""The real-repos corpus: layout snapshots of public repositories, rebuilt as git repositories
with the corpus's own ``rebuild.py`` and checked with zero configuration, as a new user would.

``LABELS.json`` holds the component roots the owner of each repository expects; where it says
``null`` (a model zoo) a test of its own states the judgement instead.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REAL_REPOS = ROOT.parent / "shared" / "corpus" / "real-repos"


def _snapshots() -> list[pytest.param]:
    if not (REAL_REPOS / "LABELS.json").is_file():
        return [pytest.param(None, id="real-repos-absent")]  # skipped by the corpus fixture
    labels = json.loads((REAL_REPOS / "LABELS.json").read_text(encoding="utf-8"))
    return [
        pytest.param(name, id=name.removesuffix(".json.gz"))
        for name, expected in sorted(labels.items())
        if not name.startswith("_") and expected is not None
    ]


def rebuild(snapshot: str, where: Path) -> Path:
    """The snapshot as the git repository a clone would be, written by the corpus's script."""
    script = REAL_REPOS / "rebuild.py"
    subprocess.run(
        [sys.executable, str(script), str(REAL_REPOS / snapshot), str(where)],
        check=True,
        capture_output=True,
    )
    return where


def zero_config_check(run_cli, repo: Path) -> dict:
    result = run_cli("check", "--format", "json", cwd=repo)
    assert result.exit_code in (0, 1), result.err
    return json.loads(result.out)


@pytest.fixture()
def labels(corpus: Path) -> dict:
    return json.loads((corpus / "real-repos" / "LABELS.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("snapshot", _snapshots())
def test_components_are_the_ones_the_owner_expects(snapshot, labels, tmp_path, run_cli):
    expected = labels[snapshot]
    report = zero_config_check(run_cli, rebuild(snapshot, tmp_path / snapshot))
    assert sorted(c["path"] for c in report["components"]) == sorted(expected)


def test_model_zoo_has_one_component_per_documented_model(corpus, tmp_path, run_cli):
    """onnx/models: a family folder's README.md documents the models in its model/ folder, so
    the family folder is the component, named after itself."""
    repo = rebuild("onnx__models.json.gz", tmp_path / "onnx-models")
    components = zero_config_check(run_cli, repo)["components"]
    paths = {c["path"] for c in components}
    names = [c["name"] for c in components]
    assert "validated/text/machine_comprehension/bert-squad" in paths
    assert "validated/vision/body_analysis/age_gender" in paths  # weights in models/
    assert not {n for n in names if n in ("model", "models") or n.isdigit()}
    assert len(names) == len(set(names))
    for path in paths:
        if path.startswith("validated/"):
            assert (repo / path / "README.md").is_file(), path


def _with_components() -> list[pytest.param]:
    if not (REAL_REPOS / "LABELS.json").is_file():
        return [pytest.param(None, id="real-repos-absent")]
    labels = json.loads((REAL_REPOS / "LABELS.json").read_text(encoding="utf-8"))
    # The layouts with components: the labelled ones, and the model zoo (labelled null).
    return [
        pytest.param(name, id=name.removesuffix(".json.gz"))
        for name, expected in sorted(labels.items())
        if not name.startswith("_") and (expected is None or expected)
    ]


@pytest.mark.parametrize("snapshot", _with_components())
def test_a_change_names_its_components_as_the_whole_repository_does(
    snapshot, corpus, tmp_path, run_cli
):
    # Diff mode settles names and nesting from the kept listing and finds the chosen
    # components' markers by a prefix test; on every real layout, a change to one file of each
    # component reports each with the name, path and component findings a full check gives.
    repo = rebuild(snapshot, tmp_path / snapshot)
    report = zero_config_check(run_cli, repo)
    full = {c["path"]: c["name"] for c in report["components"]}
    assert full, "the layout has components"
    git = ["git", "-C", str(repo)]
    base = subprocess.run([*git, "rev-parse", "HEAD"], capture_output=True, text=True, check=True)
    for path in sorted(full):
        marker = next(
            m
            for m in subprocess.run(
                [*git, "ls-files", "--", path or "."], capture_output=True, text=True, check=True
            ).stdout.splitlines()
        )
        with (repo / marker).open("ab") as f:
            f.write(b"\n")
    subprocess.run([*git, "commit", "-qam", "touch every component"], check=True)
    result = run_cli("check", "--diff", base.stdout.strip(), "--format", "json", cwd=repo)
    assert result.exit_code in (0, 1), result.err
    diff = json.loads(result.out)
    assert {c["path"]: c["name"] for c in diff["components"]} == full
    assert _component_findings(diff) == _component_findings(report)


def _component_findings(report: dict) -> set[tuple]:
    """The findings of the component rules (not change control's RW4xx), where they point."""
    return {
        (f["code"], f["component"], f["path"], f["line"], f["message"])
        for f in report["findings"]
        if not f["code"].startswith("RW4")
    }

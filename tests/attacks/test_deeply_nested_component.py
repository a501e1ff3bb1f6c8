"""A pull request adds a component 1,200 folders deep (2.4 kB of path: git and Linux take it).
``WorkTree._real_folder`` resolves a folder from its parent's by calling itself once per
folder up to ``/``, so the first file asked of that component (its model card exists) runs
past Python's recursion limit: every full check is exit 3, an internal error and a crash file,
where ``os.path.realpath`` (a loop) reported the component's missing artifacts."""

from __future__ import annotations

import json
from pathlib import Path

from testing.gitrepo import GitRepo

from tests.change.conftest import card

DEPTH = 1200


def test_a_deep_component_is_checked_not_a_crash(credit_repo: GitRepo, run_cli):
    top = credit_repo.path / "models"
    folder = top
    for _ in range(DEPTH):  # pathlib's mkdir(parents=True) recurses too: one level at a time
        folder = folder / "d"
        folder.mkdir()
    try:
        deep = folder.relative_to(credit_repo.path).as_posix()
        credit_repo.write({f"{deep}/model.onnx": b"weights\n", f"{deep}/MODEL_CARD.md": card()})
        credit_repo.commit("a model kept deep")
        result = run_cli("check", "--format", "json", cwd=credit_repo.path)
        assert result.exit_code != 3, result.err
        report = json.loads(result.out)
        assert deep in [c["path"] for c in report["components"]]
        found = {(f["code"], f["component"]) for f in report["findings"]}
        assert ("RW104", "d") in found, found  # no runbook beside the deep model
    finally:
        _remove(folder, top)


def _remove(folder: Path, top: Path) -> None:
    """Take the tree down a level at a time: pytest's clean-up of old temporary folders
    (shutil.rmtree) recurses, and would fail on it in a later session."""
    for child in folder.iterdir():
        child.unlink()
    while folder != top:
        folder.rmdir()
        folder = folder.parent

"""A kept entry is believed when it is a well-formed file of the running user's, mode 0600, in a
0700 ``.git/roadworthy/``: nothing ties its content to the tree it names. A repository that
arrives with its ``.git`` (an archive, a restored CI cache, a copied work tree) is unpacked as
the user's own files, so it can carry an entry for its head's tree that lists no marker: diff
mode then discovers no component and a weights change goes unreviewed. main lists the head."""

from __future__ import annotations

import hashlib
import json
import os

from testing.gitrepo import GitRepo

from roadworthy.policy.model import DEFAULT_MARKERS
from roadworthy.workspace.worktree import DEFAULT_MAX_FILE_SIZE
from tests.change.conftest import card


def _plant(repo: GitRepo, tree: str) -> None:
    folder = repo.path / ".git" / "roadworthy"
    folder.mkdir(mode=0o700, exist_ok=True)
    key = "\0".join(["2", tree, *DEFAULT_MARKERS])
    name = hashlib.sha256(key.encode()).hexdigest()[:40] + ".json"
    entry = {
        "format": 2,
        "tree": tree,
        "patterns": list(DEFAULT_MARKERS),
        "max_file_size": DEFAULT_MAX_FILE_SIZE,
        "markers": [],
        "unqualified": [],
        "links": [],
        "dvc": [],
    }
    fd = os.open(folder / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as out:
        json.dump(entry, out)


def _check(run_cli, repo: GitRepo) -> tuple[list[str], list[str]]:
    result = run_cli("check", "--diff", "base", "--format", "json", cwd=repo.path)
    assert result.out, result.err
    report = json.loads(result.out)
    components = sorted(c["path"] for c in report["components"])
    return components, sorted(f["code"] for f in report["findings"])


def test_a_planted_entry_does_not_hide_the_changed_component(make_repo, run_cli) -> None:
    repo = make_repo(
        {"models/credit/model.onnx": b"weights\n", "models/credit/MODEL_CARD.md": card()}
    )
    repo.git("branch", "base")
    repo.write({"models/credit/model.onnx": b"retrained\n"})
    repo.commit("retrain")
    honest = _check(run_cli, repo)
    assert honest[0] == ["models/credit"]
    for kept in (repo.path / ".git" / "roadworthy").glob("*.json"):
        kept.unlink()
    _plant(repo, repo.git("rev-parse", "HEAD^{tree}").strip())
    assert _check(run_cli, repo) == honest

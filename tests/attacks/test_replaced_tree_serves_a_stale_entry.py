"""Diff mode keeps a tree's marker files under ``.git/roadworthy/`` keyed by the tree id and
believes them on the next run. But a tree id does not pin what git reads: ``git replace`` of a
tree makes every git command (ls-tree, diff-tree, cat-file) read another tree under the same id.
A run before the replacement keeps the old listing; after it, the change adds a weights file
(the diff says so), yet the head's kept entry (no such marker) is used as is, so the new
component is never discovered."""

from __future__ import annotations

import json

from testing.gitrepo import GitRepo

from tests.change.conftest import card


def _components(run_cli, repo: GitRepo) -> list[str]:

    result = run_cli("check", "--diff", "base", "--format", "json", cwd=repo.path)
    assert result.out, result.err
    return sorted(c["path"] for c in json.loads(result.out)["components"])


def test_a_replaced_head_tree_is_listed_anew(make_repo, run_cli) -> None:
    repo = make_repo(
        {
            "models/credit/model.onnx": b"weights\n",
            "models/credit/MODEL_CARD.md": card(),
            "models/fraud/MODEL_CARD.md": card(),
        }
    )
    repo.git("branch", "base")
    repo.write({"models/fraud/MODEL_CARD.md": card("1.1.0")})
    repo.commit("card only")
    assert _components(run_cli, repo) == []  # the first run keeps the base's and head's trees

    # The same head tree id now reads as a tree with weights in models/fraud.
    head_tree = repo.git("rev-parse", "HEAD^{tree}").strip()
    repo.write({"models/fraud/model.onnx": b"new weights\n"})
    repo.add_all()
    other = repo.git("write-tree").strip()
    repo.git("reset", "-q", "--hard", "HEAD")
    repo.git("replace", head_tree, other)
    assert "models/fraud/model.onnx" in repo.git("diff", "--name-only", "base", "HEAD")

    assert _components(run_cli, repo) == ["models/fraud"]

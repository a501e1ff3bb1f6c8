"""GitHub reads CODEOWNERS from the first of ``.github/CODEOWNERS``, ``CODEOWNERS`` and
``docs/CODEOWNERS`` that the repository holds; a submodule's files are not the repository's.
A tree lookup now reads a folder's tree object in one batch (`GitTree.load_folders`) and
answers later questions from it. Asked for ``.github``, when ``.github`` is a submodule whose
commit id happens to name a tree object of the repository, ``cat-file`` answers that tree, and
from then on ``.github/CODEOWNERS`` exists and reads as that tree's file, where git itself
(``rev:.github/CODEOWNERS``) says there is no such path.

A contributor merges a harmless-looking change: an example folder ``examples/gh`` holding a
``CODEOWNERS`` that names her, a submodule entry ``.github`` pinned to that folder's tree (the
object travels with the commit because the example folder holds it), and a symlink marker
``examples/model.yaml -> ../.github/CODEOWNERS`` that makes a fresh check of that commit look
into ``.github`` before it reads CODEOWNERS. No governance file changes, and roadworthy says
so. From then on every check whose base is that commit takes ``.github/CODEOWNERS`` (from the
submodule) for the repository's CODEOWNERS: her approval of a model she does not own counts,
and new weights pass with no owner involved (0 findings, exit 0)."""

from __future__ import annotations

import os

from testing.gitrepo import GitRepo

from tests.change.conftest import MALLORY, approve, base_files, card, codes

CODEOWNERS = """\
/roadworthy.yaml @alice @bob
/CODEOWNERS @alice @bob
/models/credit/ @alice @bob
"""


def _plant(repo: GitRepo) -> None:
    """The setup change: an example CODEOWNERS, ``.github`` a submodule pinned to its tree."""
    repo.write({"examples/gh/CODEOWNERS": "* @mallory\n"})
    os.symlink("../.github/CODEOWNERS", repo.path / "examples/model.yaml")
    repo.git("add", "examples")
    tree = repo.git("write-tree", "--prefix=examples/gh/").strip()
    repo.git("update-index", "--add", "--cacheinfo", f"160000,{tree},.github")
    (repo.path / ".github").mkdir()  # an unpopulated submodule, as a checkout leaves it
    repo.commit("examples: a CODEOWNERS template", author=MALLORY, stage_all=False)


def test_codeowners_in_a_submodule_does_not_make_an_owner(make_repo, run_cli, judge):
    files = base_files()
    del files[".github/CODEOWNERS"]
    files["CODEOWNERS"] = CODEOWNERS
    repo = make_repo(files)
    _plant(repo)
    # Git agrees that the repository holds no .github/CODEOWNERS.
    assert repo.git("ls-tree", "-r", "--name-only", "HEAD", "--", ".github/").strip() == ".github"
    repo.git("branch", "base")  # the setup change is merged

    repo.write(
        {"models/credit/model.onnx": b"weights-v2\n", "models/credit/MODEL_CARD.md": card("1.1.0")}
    )
    repo.git("add", "models")
    approve(run_cli, repo, "models/credit", "--by", "@mallory", "--ticket", "CHG-9")
    repo.git("add", "models")
    repo.commit("new weights", stage_all=False)

    code, found = judge(repo)
    assert "RW401" in codes(found), found
    assert code == 1

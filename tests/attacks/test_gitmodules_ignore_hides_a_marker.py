"""git's diff commands leave out a submodule whose ``.gitmodules`` entry says ``ignore = all``,
and ``.gitmodules`` is the change's own file. The head's markers are derived from the base's and
that diff, so a gitlink named like weights (``models/fraud/model.onnx``, a marker to a listing of
the tree, as main lists it) added beside such an entry is in the head, but not in the derived
markers: the folder is no component, and its card change goes unjudged. The derived entry is
then kept for the head's tree, so the component stays hidden after the ``ignore`` is gone."""

from __future__ import annotations

import json

import pytest
from testing.gitrepo import GitRepo

from tests.change.conftest import card

GITMODULES = '[submodule "w"]\n\tpath = models/fraud/model.onnx\n\turl = ./w\n'
IGNORED = GITMODULES + "\tignore = all\n"


def _components(run_cli, repo: GitRepo, *args: str) -> list[str]:
    result = run_cli("check", *args, "--format", "json", cwd=repo.path)
    assert result.out, result.err
    return sorted(c["path"] for c in json.loads(result.out)["components"])


def _stage_weights_submodule(repo: GitRepo, gitmodules: str) -> None:
    repo.write({".gitmodules": gitmodules, "models/fraud/MODEL_CARD.md": card("1.1.0")})
    repo.git("add", ".gitmodules", "models/fraud/MODEL_CARD.md")
    gitlink = f"160000,{repo.head},models/fraud/model.onnx"
    repo.git("update-index", "--add", "--cacheinfo", gitlink)


def _repo(make_repo) -> GitRepo:
    repo = make_repo({"models/fraud/MODEL_CARD.md": card(), "README.md": "x\n"})
    repo.git("branch", "base")
    return repo


@pytest.mark.parametrize("gitmodules", [GITMODULES, IGNORED], ids=["plain", "ignore-all"])
@pytest.mark.parametrize("mode", ["diff", "staged"])
def test_an_ignored_submodule_still_marks_its_folder(
    make_repo, run_cli, gitmodules: str, mode: str
) -> None:
    repo = _repo(make_repo)
    _stage_weights_submodule(repo, gitmodules)
    if mode == "diff":
        repo.commit("fraud weights as a submodule", stage_all=False)
        args: tuple[str, ...] = ("--diff", "base")
    else:
        args = ("--staged",)
    assert _components(run_cli, repo, *args) == ["models/fraud"]


def test_the_hidden_marker_stays_hidden_once_kept(make_repo, run_cli) -> None:
    repo = _repo(make_repo)
    _stage_weights_submodule(repo, IGNORED)
    repo.commit("fraud weights as a submodule", stage_all=False)
    _components(run_cli, repo, "--diff", "base")  # keeps the head's derived entry
    repo.write({".gitmodules": GITMODULES, "models/fraud/MODEL_CARD.md": card("1.2.0")})
    repo.git("add", ".gitmodules", "models/fraud/MODEL_CARD.md")
    repo.commit("stop ignoring it", stage_all=False)
    assert _components(run_cli, repo, "--diff", "HEAD~1") == ["models/fraud"]


@pytest.mark.parametrize("ignore", ["", "\tignore = all\n"], ids=["plain", "ignore-all"])
def test_a_submodule_bump_in_a_component_is_a_change(make_repo, run_cli, ignore: str) -> None:
    # The same omission on main: the diff itself loses the gitlink's new commit.
    repo = make_repo({"models/credit/model.onnx": b"w\n", "models/credit/MODEL_CARD.md": card()})
    link = f"160000,{repo.head},models/credit/weights"
    repo.write(
        {".gitmodules": f'[submodule "w"]\n\tpath = models/credit/weights\n\turl = ./w\n{ignore}'}
    )
    repo.git("add", ".gitmodules")
    repo.git("update-index", "--add", "--cacheinfo", link)
    repo.commit("weights as a submodule", stage_all=False)
    repo.git("branch", "base")
    repo.git("update-index", "--cacheinfo", f"160000,{repo.head},models/credit/weights")
    repo.commit("new weights", stage_all=False)
    assert _components(run_cli, repo, "--diff", "base") == ["models/credit"]

"""Commits and the index answer "does this path exist?" like the checkout they describe."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

import pytest
from testing.gitrepo import GitRepo

from roadworthy.formats.globs import GlobSet
from roadworthy.workspace import git
from roadworthy.workspace.commit import CommitTree
from roadworthy.workspace.index import IndexTree

FILES: dict[str, str | bytes | None] = {
    "models/a/model.onnx": "w",
    "models/a/docs/RUNBOOK.md": "# Runbook\n",
    "models/b/model.onnx": "w",
    ".github/CODEOWNERS": "* @alice\n",
}
ASKED = [
    "models/a/model.onnx",  # a file in a listed folder
    "models/a/docs",  # a folder in a listed folder
    "models/a/APPROVALS.yaml",  # missing, in a listed folder
    "models/a/docs/RUNBOOK.md/x",  # below a file
    "models/b/model.onnx",  # a file outside the listed folder
    "models",  # a folder above it
    "models/c",  # missing, outside
    ".github/CODEOWNERS",
    ".github",
    "models/a/model",  # a prefix of a name is not a path
]
PRESENT = {
    "models/a/model.onnx",
    "models/a/docs",
    "models/b/model.onnx",
    "models",
    ".github/CODEOWNERS",
    ".github",
}


@pytest.fixture()
def repo(make_repo: Callable[..., GitRepo]) -> GitRepo:
    return make_repo(FILES)


@pytest.fixture()
def objects(repo: GitRepo) -> Iterator[git.ObjectReader]:
    reader = git.ObjectReader(repo.path)
    yield reader
    reader.close()


@pytest.mark.parametrize("listed", [set(), {"models/a"}, {""}])
@pytest.mark.parametrize("kind", ["commit", "index"])
def test_exists_is_the_same_whether_or_not_a_folder_was_listed(
    repo: GitRepo, objects: git.ObjectReader, kind: str, listed: set[str]
) -> None:
    tree = (
        CommitTree(repo.path, repo.head, objects)
        if kind == "commit"
        else IndexTree(repo.path, objects, 1 << 20)
    )
    tree.files_under(listed)
    assert {p for p in ASKED if tree.exists(p)} == PRESENT


def test_the_index_sees_staged_additions_and_removals(
    repo: GitRepo, objects: git.ObjectReader
) -> None:
    repo.write({"models/a/APPROVALS.yaml": "approvals: []\n", "models/b/model.onnx": None})
    repo.add_all()
    listed = IndexTree(repo.path, objects, 1 << 20)
    listed.files_under({"models/a"})
    unlisted = IndexTree(repo.path, objects, 1 << 20)
    for tree in (listed, unlisted):
        assert tree.exists("models/a/APPROVALS.yaml")
        assert not tree.exists("models/b/model.onnx")
        assert not tree.exists("models/b")
    # The entry exists() found is the one read.
    assert unlisted.read_bytes("models/a/APPROVALS.yaml") == b"approvals: []\n"


@pytest.mark.parametrize("kind", ["commit", "index"])
def test_a_wrong_guess_prefetched_gives_way_to_the_policy_markers(
    repo: GitRepo, objects: git.ObjectReader, kind: str
) -> None:
    tree = (
        CommitTree(repo.path, repo.head, objects)
        if kind == "commit"
        else IndexTree(repo.path, objects, 1 << 20)
    )
    guess, markers = GlobSet(["**/*.onnx"]), GlobSet(["**/RUNBOOK.md"])
    tree.prefetch(guess)
    tree.prefetch(markers)  # stops the guess
    assert tree.find(markers) == ["models/a/docs/RUNBOOK.md"]
    assert tree.find(guess) == ["models/a/model.onnx", "models/b/model.onnx"]
    tree.prefetch(guess)
    tree.cancel_prefetch()
    assert tree.find(guess) == ["models/a/model.onnx", "models/b/model.onnx"]


def test_a_stopped_listing_ends_without_an_error(repo: GitRepo) -> None:
    stop = threading.Event()
    assert list(git.iter_z(["ls-files", "-z"], repo.path)) != []
    stop.set()
    assert list(git.iter_z(["ls-files", "-z"], repo.path, stop=stop)) == []


DVC_FILES: dict[str, str | bytes | None] = {
    **FILES,
    "models/a/model.pkl.dvc": "outs:\n- path: model.pkl\n",
    "dvc.lock": "schema: '2.0'\n",
    "data/sub/dvc.lock": "schema: '2.0'\n",
    "docs/not.dvc.md": "no\n",
}


@pytest.mark.parametrize("listed_first", [True, False], ids=["noted", "own-listing"])
@pytest.mark.parametrize("kind", ["commit", "index"])
def test_dvc_files_are_noted_by_the_marker_listing_or_listed(
    make_repo: Callable[..., GitRepo], kind: str, listed_first: bool
) -> None:
    repo = make_repo(DVC_FILES)
    objects = git.ObjectReader(repo.path)
    try:
        tree = CommitTree(repo.path, repo.head, objects) if kind == "commit" else None
        tree = tree or IndexTree(repo.path, objects, 10**6)
        if listed_first:
            # The markers do not ask for DVC files; the listing notes them on the way.
            assert tree.find(GlobSet(["**/*.onnx"])) == [
                "models/a/model.onnx",
                "models/b/model.onnx",
            ]
            assert tree._dvc is not None
        assert tree.dvc_files() == ["data/sub/dvc.lock", "dvc.lock", "models/a/model.pkl.dvc"]
    finally:
        objects.close()


@pytest.mark.parametrize(
    ("folder", "relative", "expected"),
    [
        pytest.param("dvc", "../models/a/model.pkl", "models/a/model.pkl", id="up-and-down"),
        pytest.param("", "./models/a/x", "models/a/x", id="dot"),
        pytest.param("models/a", "../../../x", None, id="past-the-root"),
        pytest.param("models/a", "/etc/passwd", None, id="absolute"),
        pytest.param("", "serving/model.pkl", "models/b/model.pkl", id="through-a-linked-folder"),
        pytest.param("", "serving/../a/x", "models/a/x", id="dotdot-after-a-linked-folder"),
        pytest.param("", "out/x", None, id="through-a-link-out-of-the-repository"),
    ],
)
def test_resolve_path_walks_dotdot_and_links_as_the_system_does(
    make_repo: Callable[..., GitRepo], folder: str, relative: str, expected: str | None
) -> None:
    import os

    repo = make_repo(FILES)
    os.symlink("models/b", repo.path / "serving")
    os.symlink("/tmp", repo.path / "out")
    repo.commit("links")
    objects = git.ObjectReader(repo.path)
    try:
        assert CommitTree(repo.path, repo.head, objects).resolve_path(folder, relative) == expected
    finally:
        objects.close()


@pytest.mark.parametrize(
    "loaded",
    [
        {""},
        {"", "models", "models/a", ".github"},
        {"models/a/docs", "models/a/model.onnx", "models/link", "models/c", "models"},
    ],
)
def test_folders_read_in_one_batch_answer_as_folder_by_folder_lookups(
    repo: GitRepo, objects: git.ObjectReader, loaded: set[str]
) -> None:
    # Governance reads every folder on the way to each component's attestation file at once;
    # a file, a symlink or a missing name among them is left to the lookup it would have had.
    (repo.path / "models" / "link").symlink_to("a")
    repo.add_all()
    repo.commit("a linked folder")
    asked = [*ASKED, "models/link", "models/link/model.onnx", "models/a/", "models/a/docs/"]
    plain = CommitTree(repo.path, repo.head, objects)
    batched = CommitTree(repo.path, repo.head, objects)
    batched.load_folders(loaded)
    assert {p for p in asked if batched.exists(p)} == {p for p in asked if plain.exists(p)}
    assert {p: batched.mode(p) for p in asked} == {p: plain.mode(p) for p in asked}
    assert batched.path_chain("models/link/model.onnx") == plain.path_chain(
        "models/link/model.onnx"
    )
    # A name in a folder read whole is answered without asking git again.
    reads: list[str] = []
    real = objects.read
    objects.read = lambda name, **kw: reads.append(name) or real(name, **kw)  # type: ignore[method-assign]
    inside = [
        p for p in asked if not p.endswith("/") and p.rpartition("/")[0] in batched._read_folders
    ]
    for path in inside:
        batched.exists(path)
        batched.mode(path)
    objects.read = real  # type: ignore[method-assign]
    assert inside and reads == []


def test_a_submodule_pinned_to_a_tree_has_no_children(
    repo: GitRepo, objects: git.ObjectReader
) -> None:
    # `rev:path` of a submodule entry whose commit id names a tree of the repository reads as
    # that tree; git sees no folder there (`base_children` asked it so, attack round 10).
    tree_id = repo.git("rev-parse", f"{repo.head}:models/a").strip()
    repo.git("update-index", "--add", "--cacheinfo", f"160000,{tree_id},vendor/a")
    repo.commit("a submodule pinned to a tree", stage_all=False)
    tree = CommitTree(repo.path, repo.head, objects)
    assert tree.children("vendor/a") == []
    assert not tree.exists("vendor/a/model.onnx")
    assert sorted(tree.children("models/a")) == ["models/a/docs", "models/a/model.onnx"]
    assert tree.children("models/a/model.onnx") == [] and tree.children("nowhere") == []


def test_kept_blobs_answer_as_git_does_without_asking_it(
    repo: GitRepo, objects: git.ObjectReader
) -> None:
    ids = [repo.git("rev-parse", f"{repo.head}:{p}").strip() for p in sorted(FILES)]
    tree_id = repo.git("rev-parse", f"{repo.head}:models").strip()
    fresh = git.ObjectReader(repo.path)
    try:
        expected = [fresh.read(i) for i in ids]
        small = [fresh.read(i, limit=2) for i in ids]
    finally:
        fresh.close()
    objects.keep([*ids, tree_id, "0" * 40, "not an id"])  # a tree, git's "no blob", a name
    asked: list[str] = []
    real = objects._process
    objects._process = lambda: asked.append("git") or real()  # type: ignore[method-assign]
    assert [objects.read(i) for i in ids] == expected
    assert [objects.read(i, limit=2) for i in ids] == small  # over the limit: "blob:<size>"
    assert objects.read_many(ids, limit=None) == expected
    assert asked == []
    assert objects.read(tree_id) is not None and asked == ["git"]  # trees are not kept

"""discovery: which folders are components, their names, their files, and PATH restriction."""

from __future__ import annotations

import json

import pytest

from roadworthy.discovery import discover
from roadworthy.errors import Location
from roadworthy.policy.model import DEFAULT_MARKERS, Declared, Discovery
from roadworthy.workspace.worktree import WorkTree

W = "placeholder weights\n"
LFS_POINTER = (
    "version https://git-lfs.github.com/spec/v1\n"
    "oid sha256:4c2a7d0d9b1bb0b1f6e7ee2c2b8a4b7a1b0e5e4b1c2d3e4f5a6b7c8d9e0f1a2b\n"
    "size 26454\n"
)


def spec(markers=DEFAULT_MARKERS, exclude=(), declare=()) -> Discovery:
    declared = tuple(
        Declared(
            path=d["path"],
            name=d.get("name"),
            fields={},
            location=Location("roadworthy.yaml", i + 1),
        )
        for i, d in enumerate(declare)
    )
    return Discovery(markers=tuple(markers), exclude=tuple(exclude), declare=declared)


def found(make_repo, files, discovery=None, only=None, name="repo"):
    repo = make_repo(files, name=name)
    tree = WorkTree(repo.path, is_git=True)
    return discover(tree, discovery or spec(), name, only)


def summary(result) -> list[tuple[str, str, tuple[str, ...]]]:
    return [(c.name, c.path, c.markers) for c in result.components]


@pytest.mark.parametrize(
    ("files", "expected"),
    (
        pytest.param(
            {"models/a/model.onnx": W},
            [("a", "models/a", ("models/a/model.onnx",))],
            id="one",
        ),
        pytest.param(
            {"models/a/model.onnx": W, "models/a/sub/extra.pt": W},
            [("a", "models/a", ("models/a/model.onnx", "models/a/sub/extra.pt"))],
            id="outermost-marker-wins",
        ),
        pytest.param(
            {"ranker/MLmodel": "flavors: {}\n", "ranker/data/model.pth": W},
            [("ranker", "ranker", ("ranker/MLmodel", "ranker/data/model.pth"))],
            id="mlflow-model-with-its-weights",
        ),
        pytest.param(
            {"deep/er/model.onnx": W, "deep/model.onnx": W},
            [("deep", "deep", ("deep/er/model.onnx", "deep/model.onnx"))],
            id="outermost-regardless-of-order",
        ),
        pytest.param(
            {"a/model.onnx": W, "b/c/model.keras": W, "d/config.json": "{}", "d/README.md": "x"},
            [("a", "a", ("a/model.onnx",)), ("c", "b/c", ("b/c/model.keras",))],
            id="several-sorted-by-path",
        ),
        pytest.param(
            {"team-a/churn/model.onnx": W, "team-b/churn/model.onnx": W, "x/fraud/m.pt": W},
            [
                ("team-a/churn", "team-a/churn", ("team-a/churn/model.onnx",)),
                ("team-b/churn", "team-b/churn", ("team-b/churn/model.onnx",)),
                ("fraud", "x/fraud", ("x/fraud/m.pt",)),
            ],
            id="name-clash-uses-paths",
        ),
        pytest.param(
            {"model.onnx": W, "sub/other.onnx": W},
            [("repo", "", ("model.onnx", "sub/other.onnx"))],
            id="repository-root-is-a-component",
        ),
        pytest.param(
            dict.fromkeys(("a/x.safetensors", "b/x.gguf", "c/x.h5", "d/x.joblib", "e/x.pkl"), W)
            | {"f/model.yaml": "name: f\n"},
            [
                ("a", "a", ("a/x.safetensors",)),
                ("b", "b", ("b/x.gguf",)),
                ("c", "c", ("c/x.h5",)),
                ("d", "d", ("d/x.joblib",)),
                ("e", "e", ("e/x.pkl",)),
                ("f", "f", ("f/model.yaml",)),
            ],
            id="default-markers",
        ),
        pytest.param({"a/model.onnx.bak": W, "a/MLmodel.txt": "x"}, [], id="near-misses"),
        pytest.param({}, [], id="empty"),
    ),
)
def test_markers(make_repo, files, expected):
    assert summary(found(make_repo, files)) == expected


def test_lfs_pointer_is_a_marker(make_repo, corpus):
    pointer = (
        corpus
        / "lfs"
        / "onnx-models__2023-layout__vision__classification__mnist__model__mnist-8.onnx.lfs-pointer"
    ).read_text()
    result = found(make_repo, {"vision/mnist/model/mnist-8.onnx": pointer})
    assert summary(result) == [("mnist", "vision/mnist", ("vision/mnist/model/mnist-8.onnx",))]


def test_lfs_pointer_without_corpus(make_repo):
    result = found(
        make_repo,
        {"m/weights.safetensors": LFS_POINTER, ".gitattributes": "*.safetensors filter=lfs\n"},
    )
    assert summary(result) == [("m", "m", ("m/weights.safetensors",))]


@pytest.mark.parametrize(
    ("files", "expected"),
    (
        pytest.param(
            {"repo/simple/config.pbtxt": "x", "repo/simple/1/model.onnx": W},
            [("simple", "repo/simple")],
            id="triton-version",
        ),
        pytest.param(
            {"serving/churn/1/saved_model.pb": W, "serving/churn/2/saved_model.pb": W},
            [("churn", "serving/churn")],
            id="tf-serving-versions",
        ),
        pytest.param({"churn/v2/model.onnx": W}, [("churn", "churn")], id="v2"),
        pytest.param({"churn/1.4.0/model.onnx": W}, [("churn", "churn")], id="dotted-version"),
        pytest.param(
            {
                "sentiment/checkpoint-500/model.safetensors": W,
                "sentiment/checkpoint-1000/model.safetensors": W,
            },
            [("sentiment", "sentiment")],
            id="trainer-checkpoints",
        ),
        pytest.param({"det/epoch_3/model.pt": W}, [("det", "det")], id="epoch-snapshot"),
        pytest.param(
            {"zoo/bert/README.md": "x", "zoo/bert/model/bert-10.onnx": W},
            [("bert", "zoo/bert")],
            id="model-subfolder",
        ),
        pytest.param({"zoo/age/models/a.onnx": W}, [("age", "zoo/age")], id="models-subfolder"),
        pytest.param({"det/weights/best.pt": W}, [("det", "det")], id="weights-subfolder"),
        pytest.param(
            {"det/checkpoints/3/last.ckpt": W}, [("det", "det")], id="versions-in-checkpoints"
        ),
        pytest.param({"model/model.onnx": W}, [("repo", "")], id="up-to-the-root"),
        # At the root, models/ is the repository's namespace of models, not one model's folder.
        pytest.param({"models/model.onnx": W}, [("models", "models")], id="root-models-folder"),
        # An MLflow model folder describes itself: it is the component, whatever its name.
        pytest.param(
            {"model/MLmodel": "x", "model/model.pkl": W, "model-old/MLmodel": "x"},
            [("model", "model"), ("model-old", "model-old")],
            id="mlflow-model-folder",
        ),
        pytest.param(
            {"churn/model/MLmodel": "x", "churn/model/data/model.pth": W},
            [("model", "churn/model")],
            id="mlflow-model-subfolder",
        ),
        pytest.param(
            {"nets/v2net/model.onnx": W, "nets/model_v2/model.onnx": W, "nets/step/a.pt": W},
            [("model_v2", "nets/model_v2"), ("step", "nets/step"), ("v2net", "nets/v2net")],
            id="names-that-only-contain-a-version",
        ),
    ),
)
def test_version_and_weights_folders_belong_to_the_folder_above(make_repo, files, expected):
    assert [(c.name, c.path) for c in found(make_repo, files).components] == expected


def test_files_of_a_component(make_repo):
    result = found(
        make_repo,
        {
            "m/model.onnx": W,
            "m/MODEL_CARD.md": "x",
            "m/docs/runbook.md": "x",
            "m2/model.onnx": W,  # a sibling whose name starts the same
            "README.md": "x",
        },
    )
    m = result.components[0]
    assert m.files == ("m/MODEL_CARD.md", "m/docs/runbook.md", "m/model.onnx")
    assert m.anchor == Location("m/model.onnx", 1)


@pytest.mark.parametrize(
    ("exclude", "expected"),
    (
        pytest.param(["tests/**"], ["models/a"], id="folder"),
        # git's pathspec "tests" names everything below the folder (globs.py: "a pattern means
        # the same here as in git ls-files").
        pytest.param(["tests"], ["models/a"], id="folder-without-stars"),
        pytest.param(["**/fixtures/**"], ["models/a"], id="any-depth"),
        pytest.param(["**/*.pkl"], ["models/a"], id="file-glob"),
        pytest.param(["models/a/model.onnx"], ["tests/fixtures/tiny"], id="one-file"),
        pytest.param([], ["models/a", "tests/fixtures/tiny"], id="none"),
    ),
)
def test_exclude(make_repo, exclude, expected):
    files = {"models/a/model.onnx": W, "tests/fixtures/tiny/model.pkl": W}
    result = found(make_repo, files, spec(exclude=exclude))
    assert [c.path for c in result.components] == expected


def test_custom_markers(make_repo):
    files = {"a/model.onnx": W, "b/weights.bin": W}
    result = found(make_repo, files, spec(markers=["**/*.bin"]))
    assert [c.path for c in result.components] == ["b"]


def test_declared_component_absorbs_markers_inside_it(make_repo):
    files = {"models/a/model.onnx": W, "models/b/x.pt": W, "other/model.onnx": W}
    result = found(make_repo, files, spec(declare=[{"path": "models", "name": "all-models"}]))
    assert summary(result) == [
        ("all-models", "models", ("models/a/model.onnx", "models/b/x.pt")),
        ("other", "other", ("other/model.onnx",)),
    ]


def test_declared_component_without_markers(make_repo):
    result = found(
        make_repo, {"services/rules/engine.py": "x"}, spec(declare=[{"path": "services/rules"}])
    )
    (c,) = result.components
    assert (c.name, c.path, c.markers, c.files) == (
        "rules",
        "services/rules",
        (),
        ("services/rules/engine.py",),
    )
    assert c.anchor == Location("roadworthy.yaml", 1)


def test_declared_name_avoids_a_clash(make_repo):
    files = {"a/churn/model.onnx": W, "b/churn/model.onnx": W}
    result = found(make_repo, files, spec(declare=[{"path": "a/churn", "name": "churn-eu"}]))
    assert [(c.name, c.path) for c in result.components] == [
        ("churn-eu", "a/churn"),
        ("churn", "b/churn"),
    ]


def test_nested_declared_components_split_files(make_repo):
    files = {"p/model.onnx": W, "p/x.md": "x", "p/q/model.onnx": W, "p/q/y.md": "y"}
    result = found(make_repo, files, spec(declare=[{"path": "p"}, {"path": "p/q"}]))
    assert [(c.path, c.files, c.markers) for c in result.components] == [
        ("p", ("p/model.onnx", "p/x.md"), ("p/model.onnx",)),
        ("p/q", ("p/q/model.onnx", "p/q/y.md"), ("p/q/model.onnx",)),
    ]


def test_declared_only(make_repo):
    files = {
        "models/a/model.onnx": W,
        "models/a/sub/x.pt": W,
        "legacy/model.pkl": W,
        "x/MLmodel": "",
    }
    result = found(make_repo, files, spec(markers=(), declare=[{"path": "models/a"}]))
    assert [c.path for c in result.components] == ["models/a"]
    assert result.undeclared == ("legacy/model.pkl", "x/MLmodel")


def test_declared_only_reports_nothing_excluded(make_repo):
    files = {"models/a/model.onnx": W, "tests/model.pkl": W}
    result = found(
        make_repo, files, spec(markers=(), exclude=["tests/**"], declare=[{"path": "models/a"}])
    )
    assert result.undeclared == ()


@pytest.mark.parametrize(
    ("only", "expected"),
    (
        pytest.param(None, ["a", "b/c", "b/d"], id="everything"),
        pytest.param(["."], ["a", "b/c", "b/d"], id="dot"),
        pytest.param(["a"], ["a"], id="component-folder"),
        pytest.param(["a/MODEL_CARD.md"], ["a"], id="file-inside"),
        pytest.param(["a/deep/er/file.txt"], ["a"], id="path-deep-inside"),
        pytest.param(["b"], ["b/c", "b/d"], id="folder-above-components"),
        pytest.param(["b/c", "a"], ["a", "b/c"], id="several"),
        pytest.param(["b/"], ["b/c", "b/d"], id="trailing-slash"),
        pytest.param(["elsewhere"], [], id="no-component"),
        pytest.param(["ab"], [], id="prefix-is-not-a-folder"),
    ),
)
def test_only(make_repo, only, expected):
    files = {"a/model.onnx": W, "ab/README.md": "x", "b/c/model.onnx": W, "b/d/model.onnx": W}
    result = found(make_repo, files, only=only)
    assert [c.path for c in result.components] == expected


def test_only_with_a_root_component(make_repo):
    result = found(make_repo, {"model.onnx": W, "docs/x.md": "x"}, only=["docs/x.md"])
    assert [c.path for c in result.components] == [""]


def test_path_arguments_through_the_cli(make_repo, run_cli):
    repo = make_repo({"a/model.onnx": W, "b/model.onnx": W})
    result = run_cli("check", "--format", "json", "b", cwd=repo.path)
    assert [c["path"] for c in json.loads(result.out)["components"]] == ["b"]
    assert {f["component"] for f in json.loads(result.out)["findings"]} == {"b"}
    result = run_cli("check", "--format", "json", ".", cwd=repo.path / "a")
    assert [c["path"] for c in json.loads(result.out)["components"]] == ["a"]


PATTERNS = [
    "**/tests/**",
    "**/*_test*/**",
    "**/test_*/**",
    "**/[Dd]ocs/**",
    "tests",
    "vendor/**",
    "**/*.pkl",
    "a/**/b/**",
]
PATHS = [
    "tests/m.onnx",
    "src/tests/m.onnx",
    "src/tests",
    "x/integ_tests/y/m.pt",
    "x/test_models/m.pt",
    "contest/m.onnx",
    "Docs/m.onnx",
    "docs.onnx",
    "vendor/x/m.onnx",
    "src/vendor/m.onnx",
    "models/m.pkl",
    "a/c/b/d/m.onnx",
    "m.onnx",
]


@pytest.mark.parametrize("pattern", PATTERNS)
def test_the_exclude_lookup_agrees_with_the_glob_dialect(pattern):
    # The segment lookup for `**/NAME/**` is a shortcut: it must name what a GlobSet names.
    from roadworthy.discovery import _Namer
    from roadworthy.formats.globs import GlobSet

    def reference(path):
        parts = path.split("/")
        for n in range(1, len(parts)):
            if GlobSet([pattern]).match_dir("/".join(parts[:n])):
                return "/".join(parts[:n])
        return path if GlobSet([pattern]).match(path) else None

    assert {p: _Namer([pattern]).named(p) for p in PATHS} == {p: reference(p) for p in PATHS}


class _Listed:
    """A tree that is only its file list: discovery's selection, without reading files."""

    def __init__(self, paths: list[str]) -> None:
        self.paths = paths

    def files_under(self, roots):
        return {r: [p for p in self.paths if not r or p.startswith(f"{r}/")] for r in roots}


@pytest.mark.parametrize("seed", range(40))
def test_a_few_chosen_components_are_found_as_the_whole_repository_has_them(seed):
    # Diff mode chooses a few of thousands and finds what lies below each by binary search;
    # each must be the component (markers, files, nesting) a whole-repository run finds.
    import random

    rng = random.Random(seed)
    folders = ["", "a", "a/b", "a/bc", "a/b/c", "a-b", "a.b", "m/models", "m/models/v2", "z/1"]
    markers = sorted(
        {
            f"{rng.choice(folders)}/{rng.choice(['model.onnx', 'w.pt', 'MLmodel'])}".lstrip("/")
            for _ in range(rng.randrange(1, 14))
        }
    )
    files = sorted({*markers, *(f"{f}/README.md".lstrip("/") for f in folders)})
    tree = _Listed(files)
    discovery = spec(exclude=rng.choice([(), ("**/c/**",)]))
    whole = {c.path: c for c in discover(tree, discovery, "repo", markers=markers).components}
    for _ in range(5):
        picked = set(rng.sample(sorted(whole), k=min(len(whole), rng.randrange(1, 3))))
        some = discover(tree, discovery, "repo", select=picked.__contains__, markers=markers)
        assert {c.path: c for c in some.components} == {p: whole[p] for p in picked}


def test_a_full_discovery_lists_the_index_once(tmp_path, monkeypatch):
    # git reads the whole index for each listing (73 MB at 500k files): the markers and the
    # components' files come from one, and a discovery of chosen folders is answered as before.
    from testing.gitrepo import GitRepo

    files = {f"models/m{i}/model.onnx": "w" for i in range(5)}
    files.update({f"models/m{i}/MODEL_CARD.md": "# m\n" for i in range(5)})
    files.update({"models/:odd/model.pt": "w", "models/:odd/x.py": "x", "src/app.py": "x"})
    repo = GitRepo.init(tmp_path / "repo", files)
    trace = tmp_path / "trace"
    monkeypatch.setenv("GIT_TRACE", str(trace))
    tree = WorkTree(repo.path, is_git=True)
    found = discover(tree, spec(), "repo")
    listings = [line for line in trace.read_text().splitlines() if "ls-files" in line]
    assert len(listings) == 1, listings
    monkeypatch.delenv("GIT_TRACE")
    assert [c.path for c in found.components] == ["models/:odd"] + [
        f"models/m{i}" for i in range(5)
    ]
    by_path = {c.path: c.files for c in found.components}
    assert by_path["models/:odd"] == ("models/:odd/model.pt", "models/:odd/x.py")
    assert by_path["models/m3"] == ("models/m3/MODEL_CARD.md", "models/m3/model.onnx")
    # The same components and files as the listings outside a full discovery give.
    chosen = discover(tree, spec(), "repo", select=lambda root: True)
    assert chosen.components == found.components


@pytest.mark.parametrize("marker", ["**/a\\b", "**/*\\b", "d/a\\b", "**/x\\*y"])
def test_a_marker_with_a_backslash_is_found_as_the_pattern_reads_it(tmp_path, marker):
    # A glob's "\" is a plain character (globs.match), but to git's pathspecs it escapes the
    # next one: the listing by pathspec (a discovery of chosen folders) missed what the full
    # discovery, filtering the whole index by name, finds.
    from testing.gitrepo import GitRepo

    files = {"d/a\\b": "w", "d/x\\*y": "w", "e/ab": "w", "e/x*y": "w"}
    repo = GitRepo.init(tmp_path / "repo", files)
    tree = WorkTree(repo.path, is_git=True)
    whole = discover(tree, spec(markers=(marker,)), "repo")
    chosen = discover(tree, spec(markers=(marker,)), "repo", select=lambda root: True)
    assert [c.path for c in whole.components] == ["d"]
    assert chosen.components == whole.components


def glob_children_available() -> bool:
    import glob

    return bool(glob.glob("/proc/self/task/*/children"))


def _children() -> set[str]:
    """This process's child processes (running or not yet reaped)."""
    import glob

    found: set[str] = set()
    for name in glob.glob("/proc/self/task/*/children"):
        with open(name) as f:
            found.update(f.read().split())
    return found


@pytest.mark.skipif(not glob_children_available(), reason="needs /proc/self/task/*/children")
def test_the_check_lists_the_index_once_started_before_the_policy(tmp_path, monkeypatch, run_cli):
    """`check` starts the index listing before it loads the policy (git reads the index
    meanwhile): still one listing, the same components, and none left running."""
    from testing.gitrepo import GitRepo

    files = {f"models/m{i}/model.onnx": "w" for i in range(3)}
    repo = GitRepo.init(tmp_path / "repo", {**files, "src/app.py": "x"})
    trace = tmp_path / "trace"
    monkeypatch.setenv("GIT_TRACE", str(trace))
    before = _children()
    result = run_cli("check", "--format", "json", cwd=repo.path)
    assert _children() == before
    listings = [line for line in trace.read_text().splitlines() if "ls-files" in line]
    assert len(listings) == 1, listings
    paths = [c["path"] for c in json.loads(result.out)["components"]]
    assert paths == [f"models/m{i}" for i in range(3)]


@pytest.mark.skipif(not glob_children_available(), reason="needs /proc/self/task/*/children")
def test_a_policy_that_does_not_load_leaves_no_listing_running(tmp_path, run_cli):
    from testing.gitrepo import GitRepo

    files = {f"models/m{i}/model.onnx": "w" for i in range(3)}
    repo = GitRepo.init(tmp_path / "repo", {**files, "roadworthy.yaml": "version: [\n"})
    before = _children()
    result = run_cli("check", cwd=repo.path)
    assert result.exit_code == 2
    assert "roadworthy.yaml:" in result.err
    assert _children() == before

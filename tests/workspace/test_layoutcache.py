"""Discovery's layout (names and roots over every marker) kept between diff-mode runs: used only
for exactly the markers, spec and repository name it was made from, only when signed with this
user's key, and then equal to what discovery makes afresh."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from testing.gitrepo import GitRepo

from roadworthy import discovery
from roadworthy.discovery import Layout, guess_layout, kept_layout, lay_out, layout_key
from roadworthy.policy.model import DEFAULT_MARKERS, Declared, Discovery
from roadworthy.workspace.treecache import KEEP, Entry, TreeCache

MARKERS = (
    "models/churn/model.onnx",
    "models/churn/v2/model.onnx",
    "models/credit/model.onnx",
    "serving/credit/model.onnx",
    "tests/fixtures/tiny/model.onnx",
    "\udcff/model.onnx",
)
SPEC = Discovery(DEFAULT_MARKERS, ("**/tests/**",), ())
CARD = (
    "---\nversion: '1.0.0'\nlast_reviewed: 2026-10-01\nstage: shadow\nowners: ['@acme/ml']\n---\n"
    "## Intended use\nRanking.\n## Limitations\nEnglish only.\n"
    "## Training data\nClick logs.\n## Evaluation\nNDCG 0.41.\n"
)


def _cache(tmp_path: Path) -> TreeCache:
    (tmp_path / ".git").mkdir(exist_ok=True)
    return TreeCache.at(tmp_path / ".git")


def _refuse_to_lay_out(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: object) -> Layout:
        raise AssertionError("laid out again: the kept layout was not used")

    monkeypatch.setattr(discovery, "lay_out", fail)


def test_the_layout_is_what_discovery_settles(tmp_path: Path) -> None:
    layout = lay_out(MARKERS, SPEC, "repo")
    assert layout.excluded == (("tests/fixtures/tiny/model.onnx", "tests"),)
    assert "tests/fixtures/tiny/model.onnx" not in layout.markers
    # Two folders named credit: each is named by its path; v2 belongs to churn.
    assert dict(zip(layout.roots, layout.names, strict=True)) == {
        "\udcff": "\udcff",
        "models/churn": "churn",
        "models/credit": "models/credit",
        "serving/credit": "serving/credit",
    }


def test_a_kept_layout_is_used_and_equals_a_fresh_one(tmp_path, monkeypatch) -> None:
    cache = _cache(tmp_path)
    fresh = kept_layout(MARKERS, SPEC, "repo", cache)
    assert fresh == lay_out(MARKERS, SPEC, "repo")
    assert cache.folder is not None and len(list(cache.folder.glob("*.layout"))) == 1
    _refuse_to_lay_out(monkeypatch)
    assert kept_layout(MARKERS, SPEC, "repo", cache) == fresh


@pytest.mark.parametrize(
    ("markers", "spec", "name"),
    [
        pytest.param(MARKERS[:-1], SPEC, "repo", id="another-marker-set"),
        pytest.param(MARKERS, SPEC._replace(exclude=()), "repo", id="other-excludes"),
        pytest.param(MARKERS, SPEC._replace(include=("tests/**",)), "repo", id="an-include"),
        pytest.param(
            MARKERS,
            SPEC._replace(declare=(Declared("models/credit", "scoring", {}, None),)),  # type: ignore[arg-type]
            "repo",
            id="a-declared-name",
        ),
        pytest.param(MARKERS, SPEC._replace(markers=()), "repo", id="declared-only"),
        pytest.param(MARKERS, SPEC, "other", id="another-repository-name"),
    ],
)
def test_what_the_layout_is_made_from_is_its_key(markers, spec, name) -> None:
    assert layout_key(markers, spec, name) != layout_key(MARKERS, SPEC, "repo")


def test_another_spec_never_gets_the_kept_layout(tmp_path) -> None:
    cache = _cache(tmp_path)
    kept_layout(MARKERS, SPEC, "repo", cache)
    unexcluded = SPEC._replace(exclude=())
    assert kept_layout(MARKERS, unexcluded, "repo", cache) == lay_out(MARKERS, unexcluded, "repo")
    assert "tests/fixtures/tiny" in kept_layout(MARKERS, unexcluded, "repo", cache).roots


def _keep(cache: TreeCache, document: dict) -> None:
    cache.store_document("layout", layout_key(MARKERS, SPEC, "repo"), document)


GOOD = {
    "excluded": [["tests/fixtures/tiny/model.onnx", "tests"]],
    "roots": ["models/churn"],
    "names": ["churn"],
    "undeclared": [],
}


@pytest.mark.parametrize(
    "document",
    [
        pytest.param({**GOOD, "roots": "models/churn"}, id="roots-not-a-list"),
        pytest.param({**GOOD, "names": []}, id="a-root-without-a-name"),
        pytest.param({**GOOD, "roots": ["b", "a"], "names": ["b", "a"]}, id="roots-not-sorted"),
        pytest.param({**GOOD, "roots": ["a", "a"], "names": ["a", "a"]}, id="a-root-twice"),
        pytest.param({**GOOD, "names": [1]}, id="a-name-not-a-string"),
        pytest.param({**GOOD, "excluded": [["not/a/marker.onnx", "x"]]}, id="excludes-a-stranger"),
        pytest.param({**GOOD, "excluded": [["models/churn/model.onnx"]]}, id="short-exclusion"),
        pytest.param({**GOOD, "undeclared": ["elsewhere"]}, id="undeclared-stranger"),
        pytest.param({k: v for k, v in GOOD.items() if k != "roots"}, id="missing-roots"),
    ],
)
def test_a_malformed_layout_is_laid_out_anew(tmp_path, document) -> None:
    # Signed with the user's own key (a bug of ours, say): the shape is still checked.
    cache = _cache(tmp_path)
    _keep(cache, document)
    assert kept_layout(MARKERS, SPEC, "repo", cache) == lay_out(MARKERS, SPEC, "repo")


def test_a_well_formed_layout_of_ours_is_believed(tmp_path, monkeypatch) -> None:
    # The converse of the test above: the same writer, a good shape, is used as it stands.
    cache = _cache(tmp_path)
    _keep(cache, GOOD)
    _refuse_to_lay_out(monkeypatch)
    layout = kept_layout(MARKERS, SPEC, "repo", cache)
    assert layout.roots == ("models/churn",) and layout.names == ("churn",)
    assert "tests/fixtures/tiny/model.onnx" not in layout.markers


def test_a_layout_signed_with_another_key_is_not_believed(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "attacker"))
    planted = _cache(tmp_path)
    _keep(planted, GOOD)
    planted.close()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user"))
    assert kept_layout(MARKERS, SPEC, "repo", _cache(tmp_path)) == lay_out(MARKERS, SPEC, "repo")


def test_a_document_is_bound_to_its_kind_and_key(tmp_path) -> None:
    cache = _cache(tmp_path)
    assert cache.folder is not None
    key = layout_key(MARKERS, SPEC, "repo")
    other = layout_key(MARKERS[:-1], SPEC, "repo")
    cache.store_document("layout", key, GOOD)
    assert cache.load_document("layout", key) == {"key": key, **GOOD}
    kept = cache.folder / f"{key[:40]}.layout"
    # Copied under another key's name, or another kind's: not believed.
    (cache.folder / f"{other[:40]}.layout").write_bytes(kept.read_bytes())
    assert cache.load_document("layout", other) is None
    (cache.folder / f"{key[:40]}.other").write_bytes(kept.read_bytes())
    assert cache.load_document("other", key) is None
    assert cache.load_document("layout", "../" + key[3:]) is None  # never a path


@pytest.mark.parametrize("planted", ["link", "fifo"])
def test_a_layout_name_held_by_a_link_or_fifo_is_neither_read_nor_written_through(
    tmp_path, planted
) -> None:
    # Its name is the digest of what anyone with the repository knows: a `.git` that arrives
    # with it can hold anything there.
    cache = _cache(tmp_path)
    assert cache.folder is not None
    name = cache.folder / f"{layout_key(MARKERS, SPEC, 'repo')[:40]}.layout"
    elsewhere = tmp_path / "elsewhere.layout"
    _keep(cache, GOOD)
    name.rename(elsewhere)  # a document of ours, signed: only the link leads to it
    before = elsewhere.read_bytes()
    if planted == "link":
        name.symlink_to(elsewhere)
    else:
        os.mkfifo(name, 0o600)
    assert kept_layout(MARKERS, SPEC, "repo", cache) == lay_out(MARKERS, SPEC, "repo")
    assert elsewhere.read_bytes() == before  # replaced, its target left alone
    assert name.is_file() and not name.is_symlink()
    assert cache.load_document("layout", layout_key(MARKERS, SPEC, "repo")) is not None


def test_old_layouts_are_dropped_and_tree_entries_kept(tmp_path) -> None:
    cache = _cache(tmp_path)
    assert cache.folder is not None
    entry = Entry(("m/model.onnx",), frozenset(), 1 << 20, ())
    cache.store("a" * 40, DEFAULT_MARKERS, entry)
    for i in range(KEEP + 5):
        kept_layout(MARKERS, SPEC, f"repo{i}", cache)
    assert len(list(cache.folder.glob("*.layout"))) == KEEP
    assert cache.load("a" * 40, DEFAULT_MARKERS) == entry  # another kind's pruning spares it
    assert not list(cache.folder.glob(".new-*"))


def test_a_folder_under_an_old_layout_name_stops_no_pruning(tmp_path) -> None:
    cache = _cache(tmp_path)
    assert cache.folder is not None
    planted = cache.folder / f"{'0' * 40}.layout"
    planted.mkdir()
    (planted / "inside").write_text("x")  # not empty: it cannot be unlinked or removed
    os.utime(planted, (0, 0))  # the oldest of all
    for i in range(KEEP + 5):
        kept_layout(MARKERS, SPEC, f"repo{i}", cache)
    assert len([p for p in cache.folder.glob("*.layout") if p.is_file()]) == KEEP
    assert kept_layout(MARKERS, SPEC, "repo", cache) == lay_out(MARKERS, SPEC, "repo")


def test_the_code_that_lays_out_is_part_of_the_key(monkeypatch) -> None:
    # A new release that changes discovery's rules without a version bump: old layouts are
    # not its answers.
    before = layout_key(MARKERS, SPEC, "repo")
    monkeypatch.setattr(discovery, "_code_digest", lambda: "0" * 64)
    assert layout_key(MARKERS, SPEC, "repo") != before


# --- a guess read while git diffs ---------------------------------------------------------


def test_a_guess_is_only_ever_read(tmp_path, monkeypatch) -> None:
    cache = _cache(tmp_path)
    assert cache.folder is not None
    _refuse_to_lay_out(monkeypatch)
    assert guess_layout(MARKERS, SPEC, "repo", cache) is None  # nothing kept: nothing made
    assert not list(cache.folder.glob("*.layout"))  # nor stored
    _keep(cache, GOOD)
    guessed = guess_layout(MARKERS, SPEC, "repo", cache)
    assert guessed is not None and guessed.layout.roots == ("models/churn",)


def test_a_right_guess_is_the_layout_and_nothing_is_read_again(tmp_path, monkeypatch) -> None:
    cache = _cache(tmp_path)
    kept_layout(MARKERS, SPEC, "repo", cache)
    guessed = guess_layout(list(MARKERS), SPEC, "repo", cache)  # a list, as markers come
    assert guessed is not None
    _refuse_to_lay_out(monkeypatch)
    monkeypatch.setattr(cache, "load_document", lambda *a: pytest.fail("read again"))
    assert kept_layout(MARKERS, SPEC, "repo", cache, guessed) is guessed.layout


@pytest.mark.parametrize(
    ("markers", "spec", "name"),
    [
        pytest.param(MARKERS[:-1], SPEC, "repo", id="the-head-lost-a-marker"),
        pytest.param((*MARKERS, "zoo/model.onnx"), SPEC, "repo", id="the-head-has-another"),
        pytest.param(MARKERS, SPEC._replace(exclude=()), "repo", id="other-excludes"),
        pytest.param(MARKERS, SPEC, "other", id="another-repository-name"),
    ],
)
def test_a_wrong_guess_is_never_the_layout(tmp_path, markers, spec, name) -> None:
    cache = _cache(tmp_path)
    kept_layout(MARKERS, SPEC, "repo", cache)
    guessed = guess_layout(MARKERS, SPEC, "repo", cache)
    assert guessed is not None
    assert kept_layout(markers, spec, name, cache, guessed) == lay_out(markers, spec, name)


# --- end to end ------------------------------------------------------------------------------


def _components(repo: GitRepo, *args: str, run_cli) -> list[tuple[str, str]]:
    result = run_cli("check", "--format", "json", *args, cwd=repo.path)
    assert result.exit_code in (0, 1), result.err
    return [(c["name"], c["path"]) for c in json.loads(result.out)["components"]]


def _retrained(tmp_path: Path, other: str) -> GitRepo:
    """A credit component with a card and another model at ``other``, on branch ``base``;
    its weights retrained in one commit on top."""
    files = {"models/credit/model.onnx": "w\n", "models/credit/MODEL_CARD.md": CARD, other: "w\n"}
    repo = GitRepo.init(tmp_path / "r", files)
    repo.git("branch", "base")
    repo.write({"models/credit/model.onnx": "retrained\n"})
    repo.commit("retrain")
    return repo


def test_a_policy_that_changes_the_excludes_is_laid_out_anew(tmp_path, run_cli) -> None:
    repo = _retrained(tmp_path, "legacy/credit/model.onnx")
    # Two credit folders: the changed one is named by its path.
    assert _components(repo, "--diff", "base", run_cli=run_cli) == [
        ("models/credit", "models/credit")
    ]
    assert list((repo.path / ".git" / "roadworthy").glob("*.layout"))
    # The base's policy now excludes legacy/: one credit folder is left, named credit.
    repo.git("checkout", "-q", "base")
    repo.write(
        {".roadworthy.yaml": "extends: [recommended]\ncomponents:\n  exclude: ['legacy/**']\n"}
    )
    repo.commit("exclude legacy")
    repo.git("checkout", "-q", "-b", "next")
    repo.write({"models/credit/model.onnx": "retrained again\n"})
    repo.commit("retrain")
    assert _components(repo, "--diff", "base", run_cli=run_cli) == [("credit", "models/credit")]


@pytest.mark.parametrize("head", ["retrained", "a-component-added", "a-component-removed"])
def test_a_guess_made_while_git_diffs_changes_no_report(tmp_path, run_cli, monkeypatch, head):
    # Whether git is still diffing when the policy is loaded depends on the machine: the
    # report does not. Forced either way, on heads whose markers are the base's and are not.
    from roadworthy.workspace import git
    from roadworthy.workspace.changes import PendingDiff
    from roadworthy.workspace.treecache import TreeCache

    repo = _retrained(tmp_path, "models/churn/model.onnx")
    run_cli("check", "--diff", "base", cwd=repo.path)  # the base's entry and layout are kept
    if head == "a-component-added":
        repo.write({"models/fraud/model.onnx": "w\n"})
    elif head == "a-component-removed":
        repo.git("rm", "-q", "-r", "models/churn")
    repo.commit(head)
    reads: list[str] = []
    load = TreeCache.load_document

    def counted(self, kind, key):
        reads.append(kind)
        return load(self, kind, key)

    monkeypatch.setattr(TreeCache, "load_document", counted)
    listings: list[str] = []
    start = git.Pending.__init__

    def listed(self, args, cwd):
        if args[0] == "ls-tree" and "-r" in args:
            listings.append(args[args.index("--full-tree") + 1])  # which side
        start(self, args, cwd)

    monkeypatch.setattr(git.Pending, "__init__", listed)
    reports = {}
    started = {}
    for running in (True, False):
        monkeypatch.setattr(PendingDiff, "running", lambda self, r=running: r)
        for second in (False, True):  # the second run finds the head's entry kept
            reads.clear()
            listings.clear()
            result = run_cli("check", "--format", "json", "--diff", "base", cwd=repo.path)
            started[running, second] = sorted(listings)
            assert result.exit_code in (0, 1), result.err
            reports.setdefault(running, set()).add(result.out)
            # Unguessed, the layout is read once; a wrong guess (the base's markers, where
            # the head has others) costs a second read; a right one is the only read.
            wrong = running and not second and head != "retrained"
            assert reads.count("layout") == (2 if wrong else 1)
    assert reports[True] == reports[False] and len(reports[True]) == 1
    # A right guess starts the touched components' listings once, as settling does.
    assert started[True, True] == started[False, True] and len(started[False, True]) >= 2
    assert ("fraud" in reports[True].pop()) == (head == "a-component-added")

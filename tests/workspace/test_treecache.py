"""treecache: a tree's entry kept under .git/roadworthy/ is believed only when it is plainly this
user's own and well formed; anything else is ignored and written anew, never through a link.
And diff mode, with the entries kept, reads no whole tree or index again."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from testing.gitrepo import GitRepo

from roadworthy.policy.model import DEFAULT_MARKERS
from roadworthy.workspace.treecache import FORMAT, KEEP, Entry, TreeCache, _file_name
from roadworthy.workspace.worktree import DEFAULT_MAX_FILE_SIZE

TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"
PATTERNS = ("**/*.onnx", "**/model.yaml")
ENTRY = Entry(
    markers=("a/model.onnx", "b c/model.yaml", "odd\nname/model.onnx", "\udcff/model.onnx"),
    unqualified=frozenset({"b c/model.yaml"}),
    max_file_size=1024,
    links=(("serve/model.onnx", "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391"),),
    noted=("data/train.csv.dvc", "dvc.lock"),
)
CARD = (
    "---\nversion: '1.0.0'\nlast_reviewed: 2026-10-01\nstage: shadow\nowners: ['@acme/ml']\n---\n"
    "## Intended use\nRanking.\n## Limitations\nEnglish only.\n"
    "## Training data\nClick logs.\n## Evaluation\nNDCG 0.41.\n"
)


def _cache(tmp_path: Path) -> TreeCache:
    git_dir = tmp_path / ".git"
    git_dir.mkdir(exist_ok=True)
    return TreeCache.at(git_dir)


def _entry_file(cache: TreeCache) -> Path:
    assert cache.folder is not None
    return cache.folder / _file_name(TREE, PATTERNS)


def test_an_entry_round_trips_with_odd_names(tmp_path: Path) -> None:
    cache = _cache(tmp_path)
    cache.store(TREE, PATTERNS, ENTRY)
    assert cache.load(TREE, PATTERNS) == ENTRY
    assert cache.load(TREE, PATTERNS[:1]) is None  # other patterns: another entry
    assert _entry_file(cache).stat().st_mode & 0o077 == 0


@pytest.mark.parametrize(
    "edit",
    [
        pytest.param(lambda d: "not json{", id="not-json"),
        pytest.param(lambda d: {**d, "format": 99}, id="other-format"),
        pytest.param(lambda d: {**d, "tree": "0" * 40}, id="other-tree"),
        pytest.param(lambda d: {**d, "patterns": ["**/*"]}, id="other-patterns"),
        pytest.param(lambda d: {**d, "markers": "a/model.onnx"}, id="markers-not-a-list"),
        pytest.param(lambda d: {**d, "markers": [1]}, id="marker-not-a-path"),
        pytest.param(lambda d: {**d, "unqualified": ["elsewhere"]}, id="unqualified-not-a-marker"),
        pytest.param(lambda d: {**d, "links": [["l", "not-an-id"]]}, id="bad-blob-id"),
        pytest.param(lambda d: {**d, "links": [["l"]]}, id="short-link"),
        pytest.param(lambda d: {**d, "max_file_size": True}, id="size-not-a-number"),
        pytest.param(lambda d: {**d, "dvc": [3]}, id="dvc-file-not-a-path"),
        pytest.param(lambda d: {k: v for k, v in d.items() if k != "links"}, id="missing-key"),
        pytest.param(lambda d: [d], id="not-an-object"),
    ],
)
def test_a_corrupt_entry_is_ignored(tmp_path: Path, edit) -> None:
    cache = _cache(tmp_path)
    cache.store(TREE, PATTERNS, ENTRY)
    path = _entry_file(cache)
    changed = edit(json.loads(path.read_text()))
    path.write_text(changed if isinstance(changed, str) else json.dumps(changed))
    assert cache.load(TREE, PATTERNS) is None


def test_an_entry_behind_a_link_is_not_read_and_the_link_is_not_written_through(
    tmp_path: Path,
) -> None:
    cache = _cache(tmp_path)
    elsewhere = tmp_path / "elsewhere.json"
    cache.store(TREE, PATTERNS, ENTRY)
    _entry_file(cache).rename(elsewhere)
    _entry_file(cache).symlink_to(elsewhere)
    assert cache.load(TREE, PATTERNS) is None
    before = elsewhere.read_bytes()
    cache.store(TREE, PATTERNS, ENTRY._replace(markers=("x/model.onnx",), unqualified=frozenset()))
    assert elsewhere.read_bytes() == before  # the link was replaced, its target left alone
    assert not _entry_file(cache).is_symlink()
    assert cache.load(TREE, PATTERNS) is not None


@pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() != 0, reason="needs chown")
def test_an_entry_or_folder_of_another_user_is_not_believed(tmp_path: Path) -> None:
    cache = _cache(tmp_path)
    cache.store(TREE, PATTERNS, ENTRY)
    os.chown(_entry_file(cache), 4242, 4242)
    assert cache.load(TREE, PATTERNS) is None
    assert cache.folder is not None
    os.chown(cache.folder, 4242, 4242)
    assert TreeCache.at(tmp_path / ".git").folder is None


@pytest.mark.parametrize("mode", [0o777, 0o720, 0o702])
def test_a_folder_others_can_write_is_not_used(tmp_path: Path, mode: int) -> None:
    cache = _cache(tmp_path)
    cache.store(TREE, PATTERNS, ENTRY)
    assert cache.folder is not None
    cache.folder.chmod(mode)
    assert TreeCache.at(tmp_path / ".git").folder is None


def test_an_entry_others_can_write_is_not_believed(tmp_path: Path) -> None:
    cache = _cache(tmp_path)
    cache.store(TREE, PATTERNS, ENTRY)
    _entry_file(cache).chmod(0o622)
    assert cache.load(TREE, PATTERNS) is None


def test_a_linked_folder_is_not_used(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "shared").mkdir(mode=0o700)
    (tmp_path / ".git" / "roadworthy").symlink_to(tmp_path / "shared")
    assert TreeCache.at(tmp_path / ".git").folder is None


def test_an_entry_signed_with_another_key_is_not_believed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What a .git that arrives with the repository can hold: a well-formed entry of the
    # user's own, signed by whoever made it, with their key.
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "theirs"))
    theirs = _cache(tmp_path)
    theirs.store(TREE, PATTERNS, ENTRY)
    assert theirs.load(TREE, PATTERNS) == ENTRY
    theirs.close()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "ours"))
    ours = _cache(tmp_path)
    assert ours.load(TREE, PATTERNS) is None
    ours.store(TREE, PATTERNS, ENTRY)
    assert ours.load(TREE, PATTERNS) == ENTRY


def test_an_entry_moved_to_another_trees_name_is_not_believed(tmp_path: Path) -> None:
    cache = _cache(tmp_path)
    cache.store(TREE, PATTERNS, ENTRY)
    other = "0" * 40
    document = json.loads(_entry_file(cache).read_bytes())
    assert cache.folder is not None
    # The same signed bytes but for the tree field, under the other tree's name.
    moved = _entry_file(cache).read_bytes().replace(TREE.encode(), other.encode())
    (cache.folder / _file_name(other, PATTERNS)).write_bytes(moved)
    assert document["tree"] == TREE
    assert cache.load(other, PATTERNS) is None


def test_a_folder_swapped_for_a_link_after_it_was_opened_redirects_nothing(
    tmp_path: Path,
) -> None:
    cache = _cache(tmp_path)
    cache.store(TREE, PATTERNS, ENTRY)
    assert cache.folder is not None
    moved = tmp_path / "moved"
    cache.folder.rename(moved)
    decoy = tmp_path / "decoy"
    decoy.mkdir(mode=0o700)
    cache.folder.symlink_to(decoy)
    assert cache.load(TREE, PATTERNS) == ENTRY  # the folder opened, wherever it went
    cache.store("1" * 40, PATTERNS, ENTRY)
    for i in range(KEEP + 1):
        cache.store(f"{i:040x}", PATTERNS, ENTRY)  # pruning too
    assert list(decoy.iterdir()) == []
    assert len(list(moved.glob("*.json"))) == KEEP


def test_old_entries_are_dropped(tmp_path: Path) -> None:
    cache = _cache(tmp_path)
    for i in range(KEEP + 5):
        cache.store(f"{i:040x}", PATTERNS, ENTRY)
    assert cache.folder is not None
    assert len(list(cache.folder.glob("*.json"))) == KEEP
    assert not list(cache.folder.glob(".new-*"))


# --- end to end ------------------------------------------------------------------------------


def _component(name: str) -> dict[str, str]:
    # A DVC file too: a digest asks for every DVC file of the tree (`GitTree.dvc_files`).
    dvc = f"outs:\n- md5: {'a' * 32}\n  path: {name}.pt\n"
    return {
        f"models/{name}/model.onnx": f"{name} weights\n",
        f"models/{name}/MODEL_CARD.md": CARD,
        f"models/{name}/{name}.pt.dvc": dvc,
    }


def _whole_listings(trace: Path) -> list[str]:
    """The git commands in a GIT_TRACE file that list a whole tree or the whole index."""
    lines = [line.split("git ", 1)[-1] for line in trace.read_text().splitlines() if "git " in line]
    return [
        line for line in lines if line.startswith(("ls-tree -r", "ls-files")) and " -- " not in line
    ]


def _traced(run_cli, monkeypatch, repo: GitRepo, trace: Path, *args: str) -> str:
    trace.unlink(missing_ok=True)
    monkeypatch.setenv("GIT_TRACE", str(trace))
    result = run_cli("check", "--format", "json", *args, cwd=repo.path)
    monkeypatch.delenv("GIT_TRACE")
    assert result.exit_code in (0, 1), result.err
    return result.out


@pytest.mark.parametrize("mode", ["diff", "staged"])
def test_with_the_base_kept_a_change_reads_no_whole_tree(
    tmp_path: Path, run_cli, monkeypatch, mode: str
) -> None:
    repo = GitRepo.init(tmp_path / "r", {**_component("credit"), **_component("churn")})
    repo.git("branch", "base")
    repo.write({"models/credit/model.onnx": "retrained\n"})
    if mode == "diff":
        repo.commit("retrain")
        args: tuple[str, ...] = ("--diff", "base")
    else:
        repo.add_all()
        args = ("--staged",)
    trace = tmp_path / "trace"
    cold = _traced(run_cli, monkeypatch, repo, trace, *args)
    assert _whole_listings(trace)  # the first run lists the base once, and keeps it
    warm = _traced(run_cli, monkeypatch, repo, trace, *args)
    assert warm == cold
    assert _whole_listings(trace) == []


def test_a_corrupt_entry_is_rebuilt_with_the_same_findings(
    tmp_path: Path, run_cli, monkeypatch
) -> None:
    repo = GitRepo.init(tmp_path / "r", {**_component("credit"), **_component("churn")})
    repo.git("branch", "base")
    repo.write({"models/credit/model.onnx": "retrained\n", "models/new/model.onnx": "new\n"})
    repo.commit("retrain")
    trace = tmp_path / "trace"
    first = _traced(run_cli, monkeypatch, repo, trace, "--diff", "base")
    kept = sorted((repo.path / ".git" / "roadworthy").glob("*.json"))
    assert len(kept) == 2  # the base's and the head's
    for path in kept:
        path.write_text('{"format": 2, "markers": [')
    again = _traced(run_cli, monkeypatch, repo, trace, "--diff", "base")
    assert again == first
    assert _whole_listings(trace)  # listed anew
    assert all(json.loads(p.read_text())["format"] == FORMAT for p in kept)  # and kept anew


def test_after_a_commit_the_next_staged_check_starts_from_the_last_one(
    tmp_path: Path, run_cli, monkeypatch
) -> None:
    # pre-commit's flow: a check of the staged change, the commit, the next staged change. The
    # new HEAD was never checked, but the commit before it was: HEAD is derived from it.
    repo = GitRepo.init(tmp_path / "r", {**_component("credit"), **_component("churn")})
    repo.write({"models/credit/model.onnx": "retrained\n"})
    repo.add_all()
    trace = tmp_path / "trace"
    _traced(run_cli, monkeypatch, repo, trace, "--staged")
    repo.commit("retrain")
    repo.write({"models/churn/model.onnx": "retrained\n", "models/churn/v2/model.onnx": "2\n"})
    repo.add_all()
    warm = _traced(run_cli, monkeypatch, repo, trace, "--staged")
    assert _whole_listings(trace) == []
    for path in (repo.path / ".git" / "roadworthy").glob("*.json"):
        path.unlink()
    assert _traced(run_cli, monkeypatch, repo, trace, "--staged") == warm
    assert _whole_listings(trace)


def test_a_planted_entry_cannot_hide_a_component_the_change_touches_beside_its_marker(
    tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The change touches no marker, only the card beside one: nothing in the change says the
    # kept entry is short of a marker, only its signature can.
    repo = GitRepo.init(tmp_path / "r", {**_component("credit"), **_component("churn")})
    repo.git("branch", "base")
    repo.write({"models/credit/MODEL_CARD.md": CARD.replace("Ranking.", "Ranking, v2.")})
    repo.commit("card")
    trace = tmp_path / "trace"
    honest = _traced(run_cli, monkeypatch, repo, trace, "--diff", "base")
    assert [c["path"] for c in json.loads(honest)["components"]] == ["models/credit"]
    head = repo.git("rev-parse", "HEAD^{tree}").strip()
    folder = repo.path / ".git" / "roadworthy"
    for kept in folder.glob("*.json"):
        kept.unlink()
    # An entry listing no marker, made by the same code under another user's key.
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "attacker"))
    planted = TreeCache.at(repo.path / ".git")
    planted.store(head, DEFAULT_MARKERS, Entry((), frozenset(), DEFAULT_MAX_FILE_SIZE, ()))
    planted.close()
    assert len(list(folder.glob("*.json"))) == 1
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "ours"))
    assert _traced(run_cli, monkeypatch, repo, trace, "--diff", "base") == honest


@pytest.mark.parametrize("how", ["replace", "grafts", "graft-file"])
def test_with_replaced_objects_or_grafts_nothing_is_kept_or_read(
    tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    repo = GitRepo.init(tmp_path / "r", {**_component("credit"), **_component("churn")})
    repo.git("branch", "base")
    repo.write({"models/credit/model.onnx": "retrained\n"})
    repo.commit("retrain")
    trace = tmp_path / "trace"
    first = _traced(run_cli, monkeypatch, repo, trace, "--diff", "base")
    folder = repo.path / ".git" / "roadworthy"
    kept = sorted(folder.glob("*.json"))
    assert len(kept) == 2
    if how == "replace":
        (tmp_path / "x").write_text("x\n")
        (tmp_path / "y").write_text("y\n")
        blob = repo.git("hash-object", "-w", str(tmp_path / "x")).strip()
        other = repo.git("hash-object", "-w", str(tmp_path / "y")).strip()
        repo.git("replace", blob, other)  # any replace ref: ids no longer pin content
    elif how == "grafts":
        (repo.path / ".git" / "info").mkdir(exist_ok=True)
        (repo.path / ".git" / "info" / "grafts").write_text("")
    else:
        grafts = tmp_path / "grafts"
        grafts.write_text("")
        monkeypatch.setenv("GIT_GRAFT_FILE", str(grafts))
    for path in kept:
        path.unlink()
    assert _traced(run_cli, monkeypatch, repo, trace, "--diff", "base") == first
    assert _whole_listings(trace)  # listed, not looked up
    assert list(folder.glob("*.json")) == []  # and nothing kept


def test_a_kept_head_entry_missing_an_added_marker_is_listed_anew(
    tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Signed with our own key, yet short of the weights the change adds (however it came to
    # be): the diff says the marker is there, so the head is listed instead.
    repo = GitRepo.init(tmp_path / "r", {**_component("credit"), **_component("churn")})
    repo.git("branch", "base")
    repo.write({"models/fraud/model.onnx": "new\n", "models/fraud/MODEL_CARD.md": CARD})
    repo.commit("fraud")
    trace = tmp_path / "trace"
    honest = _traced(run_cli, monkeypatch, repo, trace, "--diff", "base")
    assert [c["path"] for c in json.loads(honest)["components"]] == ["models/fraud"]
    head = repo.git("rev-parse", "HEAD^{tree}").strip()
    cache = TreeCache.at(repo.path / ".git")
    cache.store(head, DEFAULT_MARKERS, Entry((), frozenset(), DEFAULT_MAX_FILE_SIZE, ()))
    cache.close()
    assert _traced(run_cli, monkeypatch, repo, trace, "--diff", "base") == honest
    assert _whole_listings(trace)
    again = TreeCache.at(repo.path / ".git")
    fixed = again.load(head, DEFAULT_MARKERS)
    again.close()
    assert fixed is not None and "models/fraud/model.onnx" in fixed.markers  # kept anew


def test_a_kept_head_entry_still_listing_a_removed_marker_is_listed_anew(
    tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = GitRepo.init(tmp_path / "r", {**_component("credit"), **_component("churn")})
    repo.git("branch", "base")
    repo.write({"models/churn/model.onnx": None})
    repo.commit("retire churn's weights")
    trace = tmp_path / "trace"
    honest = _traced(run_cli, monkeypatch, repo, trace, "--diff", "base")
    head = repo.git("rev-parse", "HEAD^{tree}").strip()
    cache = TreeCache.at(repo.path / ".git")
    base = cache.load(repo.git("rev-parse", "base^{tree}").strip(), DEFAULT_MARKERS)
    assert base is not None and "models/churn/model.onnx" in base.markers
    cache.store(head, DEFAULT_MARKERS, base)  # the base's entry, signed, under the head's id
    cache.close()
    assert _traced(run_cli, monkeypatch, repo, trace, "--diff", "base") == honest
    assert _whole_listings(trace)


def test_a_diff_between_commits_reads_no_index(tmp_path: Path, run_cli, monkeypatch) -> None:
    # git diff-tree reads the whole index, which has no part in comparing two trees (87 ms of
    # CPU at 500k files): diff mode points it at an index that does not exist.
    repo = GitRepo.init(tmp_path / "r", {**_component("credit"), **_component("churn")})
    repo.git("branch", "base")
    repo.write({"models/credit/model.onnx": "retrained\n"})
    repo.commit("retrain")
    perf = tmp_path / "perf"
    monkeypatch.setenv("GIT_TRACE_PERFORMANCE", str(perf))
    result = run_cli("check", "--format", "json", "--diff", "base", cwd=repo.path)
    monkeypatch.delenv("GIT_TRACE_PERFORMANCE")
    assert result.exit_code in (0, 1), result.err
    reads = [line for line in perf.read_text().splitlines() if "read cache" in line]
    assert reads and not any(".git/index" in line for line in reads), reads
    assert "models/credit/model.onnx" in result.out  # the change was still seen


def test_reading_a_kept_file_allocates_what_it_holds(tmp_path: Path) -> None:
    # read(n) makes an n-byte buffer before it reads: asking for the size limit cost 64 MiB of
    # heap for every kept entry a run read (the 100k benchmark's full check peaked at 74 MiB).
    import tracemalloc

    from roadworthy.workspace import treecache

    folder = treecache.own_folder(tmp_path / "kept")
    assert folder is not None
    try:
        assert treecache.replace(folder, "entry.json", b"x" * 1000)
        tracemalloc.start()
        try:
            data = treecache.read_own(folder, "entry.json")
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    finally:
        os.close(folder)
    assert data == b"x" * 1000
    assert peak < 1 << 20, peak


def test_a_linked_work_tree_keeps_its_entries_in_the_shared_git_folder(
    tmp_path: Path, run_cli, monkeypatch
) -> None:
    # `git worktree add`: the work tree's .git is a file; the shared folder is the main
    # repository's, found (relative to a subfolder) with the work tree's root in one git call.
    repo = GitRepo.init(tmp_path / "r", {**_component("credit"), **_component("churn")})
    repo.git("branch", "base")
    repo.write({"models/credit/model.onnx": "retrained\n"})
    repo.commit("retrain")
    linked = tmp_path / "linked"
    repo.git("worktree", "add", "-q", "--detach", str(linked), "HEAD")
    trace = tmp_path / "trace"
    monkeypatch.setenv("GIT_TRACE", str(trace))
    result = run_cli("check", "--format", "json", "--diff", "base", cwd=linked / "models")
    monkeypatch.delenv("GIT_TRACE")
    assert result.exit_code in (0, 1), result.err
    assert [c["path"] for c in json.loads(result.out)["components"]] == ["models/credit"]
    assert list((repo.path / ".git" / "roadworthy").glob("*.json"))
    assert (linked / ".git").is_file() and not (linked / "roadworthy").exists()
    asked = [
        line.split("git ", 1)[-1] for line in trace.read_text().splitlines() if "rev-parse" in line
    ]
    assert not any(a.startswith("rev-parse --git-common-dir") for a in asked)

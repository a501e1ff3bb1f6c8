"""parsecache: a YAML text kept parsed between diff-mode runs gives exactly what a fresh parse
gives (data, positions, errors), and the kept file is believed only when it is plainly the
user's own."""

from __future__ import annotations

import json
import marshal
import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from testing.gitrepo import GitRepo
from testing.kept import installed_cache, reopened

from roadworthy import engine
from roadworthy.formats import yamlio
from roadworthy.formats.yamlio import YamlError
from roadworthy.workspace import parsecache
from roadworthy.workspace.parsecache import KEEP, NAME, ParseCache

TEXTS = [
    "a: 1\nb: [x, 2.5, .inf, null, yes, 0x1f]\nc: {d: '2026-01-01'}\n",
    "base: &b {k: v}\nuse: *b\nlist:\n  - <<: *b\n    extra: 1\n",
    "unicode: 'caf\u00e9 \U0001f600'\nodd: \"\\udcff\"\n",
    "",
    "- 1\n- [2, [3, [4]]]\n",
]
BROKEN = ["a: 1\na: 2\n", "key: [unclosed\n", "- !!python/object x\n", "\t- tab\n"]


@pytest.fixture()
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ParseCache]:
    yield from installed_cache(tmp_path / "ours", monkeypatch)


def _refuse_to_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: object) -> None:
        raise AssertionError("parsed again: the kept document was not used")

    monkeypatch.setattr(yamlio, "_parse", fail)


def _outcome(text: str, **options) -> object:
    try:
        document = yamlio.load(text, **options)
    except YamlError as exc:
        return ("error", exc.line, exc.col, exc.message)
    return (json.dumps(document.data, allow_nan=True), dict(document.positions))


@pytest.mark.parametrize("positions", [False, True])
def test_a_kept_document_is_what_a_fresh_parse_gives(cache, monkeypatch, positions) -> None:
    fresh = [_outcome(t, positions=positions, line_offset=2) for t in TEXTS + BROKEN]
    cache = reopened(cache)
    _refuse_to_parse(monkeypatch)
    assert [_outcome(t, positions=positions, line_offset=2) for t in TEXTS + BROKEN] == fresh
    assert any(o[0] == "error" for o in fresh)  # errors are kept too, with their positions


def test_other_options_are_other_documents(cache, monkeypatch) -> None:
    yamlio.load(TEXTS[0])
    cache = reopened(cache)
    _refuse_to_parse(monkeypatch)
    for options in ({"positions": True}, {"line_offset": 3}, {"max_nodes": 10}):
        with pytest.raises(AssertionError, match="parsed again"):
            yamlio.load(TEXTS[0], **options)


def test_a_new_release_of_the_parsing_code_is_a_new_key(monkeypatch) -> None:
    before = yamlio._key(TEXTS[0], False, 0, yamlio.MAX_NODES)
    monkeypatch.setattr(yamlio, "_code", lambda: "0" * 64)
    assert yamlio._key(TEXTS[0], False, 0, yamlio.MAX_NODES) != before


def _wrong(cache: ParseCache, text: str) -> None:
    """A believable wrong document for ``text``, signed with the user's key."""
    cache.put(yamlio._key(text, False, 0, yamlio.MAX_NODES), ({"forged": True}, {}))


def test_the_users_own_file_is_what_the_check_goes_by(cache) -> None:
    # The control for the tests below: a document signed with our key is believed.
    _wrong(cache, TEXTS[0])
    cache = reopened(cache)
    assert yamlio.load(TEXTS[0]).data == {"forged": True}


def test_a_tampered_file_is_not_believed(cache) -> None:
    _wrong(cache, TEXTS[0])
    cache.close()
    kept = cache.folder / NAME
    kept.write_bytes(kept.read_bytes().replace(b"forged", b"forgex"))
    cache = reopened(cache)
    assert yamlio.load(TEXTS[0]).data["a"] == 1


def test_a_file_signed_with_another_key_is_not_believed(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "theirs"))
    theirs = ParseCache.open()
    assert theirs is not None
    _wrong(theirs, TEXTS[0])
    theirs.close()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "ours"))
    ours = ParseCache.open()
    assert ours is not None
    shutil.copyfile(theirs.folder / NAME, ours.folder / NAME)
    yamlio.install(ours)
    try:
        assert yamlio.load(TEXTS[0]).data["a"] == 1
    finally:
        yamlio.install(None)
        ours.close()


@pytest.mark.parametrize(
    "kept",
    [
        pytest.param("not a tuple", id="not-a-tuple"),
        pytest.param((), id="empty"),
        pytest.param((0, {"forged": True}), id="data-without-positions"),
        pytest.param((1, 2, "3", "message"), id="error-column-not-a-number"),
        pytest.param((2, {"forged": True}, {}), id="unknown-kind"),
    ],
)
def test_a_malformed_entry_of_ours_is_parsed_afresh(cache, kept) -> None:
    entry = kept if isinstance(kept, str) else marshal.dumps(kept)
    cache.add(yamlio._key(TEXTS[0], False, 0, yamlio.MAX_NODES), entry)  # as written
    cache = reopened(cache)
    assert yamlio.load(TEXTS[0]).data["a"] == 1


def test_a_link_or_folder_at_the_files_name_is_neither_read_nor_written_through(
    cache, tmp_path
) -> None:
    cache.close()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.write_bytes(b"x" * 64)
    (cache.folder / NAME).symlink_to(elsewhere)
    cache = reopened(cache)
    yamlio.load(TEXTS[0])
    cache.close()
    assert elsewhere.read_bytes() == b"x" * 64
    assert not (cache.folder / NAME).is_symlink()
    (cache.folder / NAME).unlink()
    (cache.folder / NAME).mkdir()
    cache = reopened(cache)
    assert yamlio.load(TEXTS[0]).data["a"] == 1  # refused, parsed: no internal error


def test_the_newest_documents_are_kept(cache) -> None:
    for i in range(KEEP + 10):
        yamlio.load(f"n: {i}\n")
    cache = reopened(cache)
    monkeypatch = pytest.MonkeyPatch()
    try:
        _refuse_to_parse(monkeypatch)
        assert yamlio.load(f"n: {KEEP + 9}\n").data == {"n": KEEP + 9}
        with pytest.raises(AssertionError, match="parsed again"):
            yamlio.load("n: 0\n")
    finally:
        monkeypatch.undo()


def test_documents_are_kept_within_the_byte_budget(cache, monkeypatch) -> None:
    # In a run (what it holds to write) and in the file (what is read back whole next time):
    # a repository of many large documents keeps the newest that fit, and parses the rest.
    monkeypatch.setattr(cache, "BUDGET", 4000)
    big = [f"k{i}: '{'x' * 900}'\n" for i in range(8)]
    for text in big:
        yamlio.load(text)
    assert 0 < sum(map(len, cache._new.values())) <= 4000
    kept_now = len(cache._new)
    assert kept_now < len(big)  # the budget stopped it
    # The file: what an earlier run kept and this one's together stay within it.
    again = reopened(cache)
    monkeypatch.setattr(again, "BUDGET", 4000)
    for i in range(5):
        yamlio.load(f"small: {i}\n")
    again = reopened(again)
    assert 0 < sum(len(v) for v in again._read().values()) <= 4000
    _refuse_to_parse(monkeypatch)
    assert yamlio.load("small: 4\n").data == {"small": 4}  # the newest stayed


def test_a_caller_that_changes_its_document_changes_nothing_kept(cache) -> None:
    text = "rows: [1, 2]\nmeta: {a: 1}\n"
    first = yamlio.load(text).data
    first["rows"].append(3)
    first["meta"]["a"] = "changed"
    assert yamlio.load(text).data == {"rows": [1, 2], "meta": {"a": 1}}
    cache = reopened(cache)
    kept = yamlio.load(text).data
    assert kept == {"rows": [1, 2], "meta": {"a": 1}}
    kept["rows"].clear()
    assert yamlio.load(text).data["rows"] == [1, 2]


# --- end to end ------------------------------------------------------------------------------

CARD = (
    "---\nversion: '1.0.0'\nlast_reviewed: 2026-10-01\nstage: shadow\nowners: ['@acme/ml']\n---\n"
    "## Intended use\nRanking.\n## Limitations\nEnglish only.\n"
    "## Training data\nClick logs.\n## Evaluation\nNDCG 0.41.\n"
)


def _check(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """A check in its own interpreter, saying whether it imported PyYAML."""
    script = textwrap.dedent(
        f"""
        import sys
        from roadworthy.cli import main
        code = main(["check", "--format", "json", *{list(args)!r}])
        print("yaml" if "yaml" in sys.modules else "-", file=sys.stderr)
        sys.exit(code)
        """
    )
    return subprocess.run(
        [sys.executable, "-c", script], cwd=repo, capture_output=True, text=True, timeout=60
    )


def test_a_repeated_staged_check_imports_no_yaml_library_and_reports_the_same(
    tmp_path, monkeypatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "ours"))
    repo = GitRepo.init(
        tmp_path / "r",
        {"models/credit/model.onnx": "w\n", "models/credit/MODEL_CARD.md": CARD},
    )
    repo.write({"models/credit/model.onnx": "retrained\n"})
    repo.add_all()
    first, again = _check(repo.path, "--staged"), _check(repo.path, "--staged")
    assert first.returncode == again.returncode, first.stderr
    assert first.stderr.splitlines()[-1] == "yaml"
    assert again.stderr.splitlines()[-1] == "-"
    assert again.stdout == first.stdout
    # The card changes: it is read afresh, and what it now says is what is judged.
    repo.write({"models/credit/MODEL_CARD.md": CARD.replace("stage: shadow", "stage: 7")})
    repo.add_all()
    changed = _check(repo.path, "--staged")
    assert changed.stderr.splitlines()[-1] == "yaml"
    assert changed.stdout != first.stdout


def test_a_full_check_keeps_its_documents_in_its_repositorys_own_file(tmp_path, monkeypatch):
    # Every document of the repository, workers' included: the next full check parses none of
    # them, and the hook's small file is left alone.
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "ours"))
    monkeypatch.delenv("CI", raising=False)  # (a CI job keeps none: below)
    files: dict[str, str | bytes | None] = {}
    for i in range(engine.PARALLEL_FROM + 10):  # enough for workers
        files[f"models/m{i:03d}/model.onnx"] = "w\n"
        files[f"models/m{i:03d}/MODEL_CARD.md"] = CARD
        files[f"models/m{i:03d}/model.yaml"] = f"name: m{i:03d}\nversion: 1.0.{i}\n"
    repo = GitRepo.init(tmp_path / "r", files)
    first = _check(repo.path, "--jobs", "2")
    assert first.returncode in (0, 1), first.stderr
    assert first.stderr.splitlines()[-1] == "yaml"
    folder = tmp_path / "ours" / "roadworthy" / "parsed"
    assert not (folder / NAME).exists()
    kept = list(folder.glob("repository-*.documents"))
    assert len(kept) == 1
    again = _check(repo.path, "--jobs", "1")
    assert again.stdout == first.stdout
    assert again.stderr.splitlines()[-1] == "-"  # every document was kept, a worker's too
    # A changed text is parsed afresh, and what it now says is judged.
    repo.write({"models/m007/model.yaml": "name: [unclosed\n"})
    repo.commit("a broken model.yaml")
    changed = _check(repo.path, "--jobs", "2")
    assert changed.stderr.splitlines()[-1] == "yaml"
    assert "models/m007/model.yaml" in changed.stdout
    assert changed.stdout != first.stdout


@pytest.mark.parametrize("ci", ["true", "1", "yes"])
def test_a_full_check_in_a_ci_job_keeps_no_documents(tmp_path, monkeypatch, ci) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "ours"))
    monkeypatch.setenv("CI", ci)
    repo = GitRepo.init(
        tmp_path / "r",
        {"models/credit/model.onnx": "w\n", "models/credit/MODEL_CARD.md": CARD},
    )
    assert _check(repo.path).returncode in (0, 1)
    assert not list((tmp_path / "ours").glob("roadworthy/parsed/repository-*"))
    assert not list((tmp_path / "ours").glob("roadworthy/verdicts/*"))  # nor verdicts
    monkeypatch.setenv("CI", "false")  # said to be none
    assert _check(repo.path).returncode in (0, 1)
    assert len(list((tmp_path / "ours").glob("roadworthy/parsed/repository-*"))) == 1
    assert list((tmp_path / "ours").glob("roadworthy/verdicts/verdicts.json"))


def test_the_files_of_the_newest_repositories_stay(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "ours"))
    monkeypatch.setattr(parsecache, "REPOSITORIES", 2)
    names = []
    for i in range(3):
        (tmp_path / f"r{i}").mkdir()
        store = ParseCache.for_repository(tmp_path / f"r{i}")
        assert store is not None
        yamlio.install(store)
        yamlio.load(f"repository: {i}\n")
        yamlio.install(None)
        names.append(store.NAME)
        store.close()
        os.utime(store.folder / store.NAME, (1_000_000 + i, 1_000_000 + i))
    left = sorted(p.name for p in (tmp_path / "ours" / "roadworthy" / "parsed").iterdir())
    assert left == sorted(names[1:])
    # The same repository is the same file, another one another.
    assert ParseCache.for_repository(tmp_path / "r2").NAME == names[2] != names[1]


def test_a_kept_document_of_shared_aliases_nested_to_the_limit_is_used(cache, monkeypatch) -> None:
    # The kept data is checked to be a parse's (`_is_data`): an alias shared many times, and
    # nesting right at MAX_DEPTH, are a parse's and stay believed.
    deep = "v: " + "[" * (yamlio.MAX_DEPTH - 1) + "1" + "]" * (yamlio.MAX_DEPTH - 1) + "\n"
    shared = "a: &a {k: [1, 2]}\n" + "".join(f"b{i}: [*a, *a]\n" for i in range(50))
    fresh = [_outcome(t, positions=True) for t in (deep, shared)]
    cache = reopened(cache)
    _refuse_to_parse(monkeypatch)
    assert [_outcome(t, positions=True) for t in (deep, shared)] == fresh


def test_what_workers_hand_over_stays_within_the_budget(cache, monkeypatch) -> None:
    # Each worker keeps within the budget; the process that writes the file takes no more
    # than the budget from all of them together (64 workers must not hold 64 budgets).
    monkeypatch.setattr(cache, "BUDGET", 3000)
    handed = {f"{i:064x}": b"x" * 1000 for i in range(10)}
    cache.adopt(handed)
    cache.adopt({f"{i + 100:064x}": b"y" * 1000 for i in range(10)})
    assert sum(map(len, cache._new.values())) == 3000
    assert list(cache._new) == [f"{i:064x}" for i in range(3)]
    cache.adopt({"not bytes": "x", 5: b"x"})  # type: ignore[dict-item]
    assert len(cache._new) == 3

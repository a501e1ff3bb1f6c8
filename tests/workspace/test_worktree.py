"""workspace: which files exist (tracked files, or a walk), and reading them safely."""

from __future__ import annotations

import codecs
import json
import os
from pathlib import Path

import pytest

from roadworthy.formats.globs import GlobSet
from roadworthy.workspace.worktree import ArtifactError, WorkTree, decode

W = "placeholder weights\n"
CARD = (
    "---\nversion: '1.0.0'\nlast_reviewed: 2026-10-01\nstage: shadow\nowners: ['@acme/ml']\n---\n"
    "## Intended use\nRanking.\n## Limitations\nEnglish only.\n"
    "## Training data\nClick logs.\n## Evaluation\nNDCG 0.41.\n"
)
CONTRACT = "apiVersion: v3.0.2\nkind: DataContract\nid: clicks\nversion: 1.0.0\nstatus: active\n"


@pytest.fixture(autouse=True)
def _crash_files_in_tmp(tmp_path, monkeypatch):
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))


def complete(path: str = "m") -> dict[str, str]:
    return {
        f"{path}/model.onnx": W,
        f"{path}/MODEL_CARD.md": CARD,
        f"{path}/data_contract.yaml": CONTRACT,
    }


def check(run_cli, root: Path, *args: str) -> tuple[int, list[tuple[str, str, int]]]:
    result = run_cli("check", "--format", "json", *args, cwd=root)
    assert "Traceback" not in result.err
    assert result.exit_code in (0, 1), result.err
    found = json.loads(result.out)["findings"]
    return result.exit_code, [(f["code"], f["path"], f["line"]) for f in found]


# --- decoding ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "text"),
    (
        pytest.param("plain ✓\n".encode(), "plain ✓\n", id="utf-8"),
        pytest.param(codecs.BOM_UTF8 + b"a: 1\n", "a: 1\n", id="utf-8-bom-dropped"),
        pytest.param("a: ü\n".encode("utf-16"), "a: ü\n", id="utf-16-native-bom"),
        pytest.param(codecs.BOM_UTF16_LE + "a: ü\n".encode("utf-16-le"), "a: ü\n", id="utf-16-le"),
        pytest.param(codecs.BOM_UTF16_BE + "a: ü\n".encode("utf-16-be"), "a: ü\n", id="utf-16-be"),
        pytest.param(codecs.BOM_UTF32_LE + "a: ü\n".encode("utf-32-le"), "a: ü\n", id="utf-32-le"),
        pytest.param(b"", "", id="empty"),
    ),
)
def test_decode(data, text):
    assert decode("f", data) == text


@pytest.mark.parametrize(
    ("data", "line"),
    (
        pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", None, id="binary"),
        pytest.param(b"ok\nstill ok\ncaf\xe9\n", 3, id="latin-1"),
        pytest.param(b"\xff\xfe\x00", None, id="odd-utf-16"),
        pytest.param(b"ab\xc3", 1, id="truncated-sequence"),
    ),
)
def test_decode_refuses(data, line):
    with pytest.raises(ArtifactError) as info:
        decode("f", data)
    assert info.value.path == "f"
    assert info.value.line == line


def test_utf16_card_is_read(make_repo, run_cli):
    files = {**complete(), "m/MODEL_CARD.md": CARD.encode("utf-16")}
    assert check(run_cli, make_repo(files).path) == (0, [])


def test_corpus_utf16_yaml_is_read(make_repo, run_cli, corpus):
    data = (corpus / "yaml-edge-cases" / "pyyaml__tests__utf16le.data.yaml").read_bytes()
    files = {**complete(), "m/component.yaml": data}
    assert check(run_cli, make_repo(files).path) == (0, [])


# --- size cap ------------------------------------------------------------------------------------


def test_size_cap(tmp_path):
    (tmp_path / "small").write_bytes(b"x" * 100)
    (tmp_path / "big").write_bytes(b"x" * 101)
    tree = WorkTree(tmp_path, is_git=False, max_file_size=100)
    assert tree.read_bytes("small") == b"x" * 100
    with pytest.raises(ArtifactError) as info:
        tree.read_bytes("big")
    assert info.value.path == "big"


def test_size_cap_message_names_the_cap_readably(tmp_path):
    # A cap of 200 bytes should read as such, not as "0.000190735 MiB".
    (tmp_path / "big").write_bytes(b"x" * 707)
    tree = WorkTree(tmp_path, is_git=False, max_file_size=200)
    with pytest.raises(ArtifactError) as info:
        tree.read_bytes("big")
    assert "200" in info.value.message


def test_size_cap_from_the_policy(make_repo, run_cli):
    files = {
        **complete(),
        "m/data_contract.yaml": CONTRACT + "# " + "x" * 300 + "\n",
        "roadworthy.yaml": "version: 1\nextends: [recommended]\nlimits: {max_file_size: 300}\n",
    }
    assert check(run_cli, make_repo(files).path) == (1, [("RW001", "m/data_contract.yaml", 1)])


def test_weights_are_never_read(make_repo, run_cli):
    # Markers are only listed: a 6 MiB weights file under the 5 MiB default cap is no finding.
    files = {**complete(), "m/model.onnx": b"\x00" * (6 * 1024 * 1024)}
    assert check(run_cli, make_repo(files).path) == (0, [])


# --- symlinks ------------------------------------------------------------------------------------


def test_symlink_out_of_the_repository_is_never_read(make_repo, run_cli, tmp_path):
    secret = tmp_path / "secret.md"
    secret.write_text("---\nowners: ['@mallory']\n---\n## Intended use\nTOKEN-4f9a\n")
    repo = make_repo(complete())
    card = repo.path / "m" / "MODEL_CARD.md"
    card.unlink()
    os.symlink(secret, card)
    repo.commit("card is a link")
    result = run_cli("check", "--format", "json", cwd=repo.path)
    assert "TOKEN-4f9a" not in result.out + result.err
    assert "@mallory" not in result.out + result.err
    found = [(f["code"], f["path"]) for f in json.loads(result.out)["findings"]]
    assert ("RW001", "m/MODEL_CARD.md") in found


def test_symlink_inside_the_repository_is_read(make_repo, run_cli):
    files = {**complete(), "shared/CARD.md": CARD}
    del files["m/MODEL_CARD.md"]
    repo = make_repo(files)
    os.symlink("../shared/CARD.md", repo.path / "m" / "MODEL_CARD.md")
    repo.commit("card is a link")
    assert check(run_cli, repo.path) == (0, [])


def test_folder_symlink_out_of_the_repository(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "RUNBOOK.md").write_text("# secret runbook\n")
    root = tmp_path / "repo"
    root.mkdir()
    os.symlink(outside, root / "docs")
    tree = WorkTree(root, is_git=False)
    with pytest.raises(ArtifactError):
        tree.read_bytes("docs/RUNBOOK.md")
    assert not tree.exists("docs/RUNBOOK.md")
    assert tree.find(GlobSet(["**/*.md"])) == []


def test_reads_inside_exactly_where_realpath_is_inside(tmp_path):
    # Folders are resolved from their parent's answer (one lstat each): every way of leading
    # out must still be seen, as os.path.realpath of the whole path sees it.
    outside = tmp_path / "outside"
    (outside / "deep").mkdir(parents=True)
    root = tmp_path / "repo"
    (root / "a" / "b").mkdir(parents=True)
    (root / "real").mkdir()
    for folder in (outside, outside / "deep", root, root / "a", root / "a" / "b", root / "real"):
        (folder / "f.md").write_text("x\n")
    os.symlink(outside, root / "out")  # a folder link out
    os.symlink("../../real", root / "a" / "b" / "up")  # a folder link that stays inside
    os.symlink("../out/deep", root / "a" / "via")  # a link through a link out
    os.symlink("b/up", root / "a" / "chain")  # a link to a link inside
    os.symlink(root / "a", root / "real" / "back")  # absolute, inside
    paths = [
        f"{folder}f.md"
        for folder in (
            "",
            "a/",
            "a/b/",
            "out/",
            "out/deep/",
            "a/b/up/",
            "a/via/",
            "a/chain/",
            "real/back/b/",
            "real/back/via/",
            "a/../",
            "a/../../outside/",
            "a/b/up/../../outside/",
            "out/../repo/",
            "./a/",
            "a/./b/",
            "a//b/",
            "missing/",
            "/a/",  # absolute: pathlib takes it as it is, never as a/ in the repository
            f"{root}/a/",
        )
    ]
    real_root = os.path.realpath(root)
    for order in (paths, paths[::-1]):  # what is resolved first must not matter
        tree = WorkTree(root, is_git=False)
        for path in order:
            real = os.path.realpath(root / path)
            expected = real.startswith(real_root + os.sep) and os.path.exists(real)
            try:
                assert tree.read_bytes(path) == b"x\n", path
                read = True
            except ArtifactError:
                read = False
            assert read == expected, path
            assert tree.exists(path) == expected, path


def test_dangling_symlink(make_repo, run_cli):
    repo = make_repo(complete())
    card = repo.path / "m" / "MODEL_CARD.md"
    card.unlink()
    os.symlink("nowhere.md", card)
    repo.commit("dangling")
    _, found = check(run_cli, repo.path)
    assert ("RW001", "m/MODEL_CARD.md", 1) in found


# --- which files exist -------------------------------------------------------------------------


def test_gitignored_files_do_not_count(make_repo, run_cli):
    files = {
        **complete("m"),
        "m/RUNBOOK.md": "# Runbook\n## Alerts\nPages.\n## Escalation\nOn-call.\n",
        ".gitignore": "ROLLBACK.md\n*.local.onnx\n",
    }
    files["m/MODEL_CARD.md"] = CARD.replace("stage: shadow", "stage: supervised")
    repo = make_repo(files)
    (repo.path / "m" / "ROLLBACK.md").write_text("# Rollback\n")  # ignored: not in the index
    (repo.path / "scratch").mkdir()
    (repo.path / "scratch" / "try.local.onnx").write_text(W)  # an ignored marker
    assert check(run_cli, repo.path) == (1, [("RW103", "m/model.onnx", 1)])


def test_untracked_files_do_not_count(make_repo, run_cli):
    repo = make_repo(complete())
    (repo.path / "new").mkdir()
    (repo.path / "new" / "model.onnx").write_text(W)  # not added yet
    assert check(run_cli, repo.path) == (0, [])


def test_staged_files_count(make_repo, run_cli):
    repo = make_repo(complete())
    repo.write({"new/model.onnx": W})
    repo.add_all()  # in the index, not committed
    _, found = check(run_cli, repo.path)
    assert ("RW101", "new/model.onnx", 1) in found


def test_tracked_file_missing_from_the_work_tree(make_repo, run_cli):
    repo = make_repo(complete())
    (repo.path / "m" / "data_contract.yaml").unlink()
    assert check(run_cli, repo.path) == (1, [("RW001", "m/data_contract.yaml", 1)])


def test_walk_outside_git(tmp_path, run_cli):
    root = tmp_path / "plain"
    for rel, text in {
        **complete("m"),
        "other/model.onnx": W,
        ".venv/lib/model.onnx": W,
        "node_modules/pkg/model.onnx": W,
        "roadworthy.yaml": "version: 1\nextends: [recommended]\n",
    }.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    code, found = check(run_cli, root)
    assert code == 1
    assert {path for _, path, _ in found} == {"other/model.onnx"}


def test_walk_is_the_same_from_a_subfolder(tmp_path, run_cli):
    root = tmp_path / "plain"
    for rel, text in {
        **complete("m"),
        "roadworthy.yaml": "version: 1\nextends: [recommended]\n",
    }.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    assert check(run_cli, root / "m") == (0, [])


# --- odd names -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "folder",
    (
        pytest.param("models/with space", id="space"),
        pytest.param("models/kündigung", id="unicode"),
        pytest.param("models/tab\there", id="tab"),
        pytest.param("models/new\nline", id="newline"),
        pytest.param('models/quote"s', id="quote"),
        pytest.param("models/-dash", id="leading-dash"),
        pytest.param("models/:colon:", id="colons"),
        pytest.param("models/*star?", id="glob-characters"),
        pytest.param("models/[x]", id="brackets"),
    ),
)
def test_odd_folder_names(make_repo, run_cli, folder):
    files = complete(folder)
    files[f"{folder}/MODEL_CARD.md"] = CARD.replace("stage: shadow", "stage: advisory")
    repo = make_repo(files)
    code, found = check(run_cli, repo.path)
    assert (code, found) == (1, [("RW104", f"{folder}/model.onnx", 1)])
    text = run_cli("check", cwd=repo.path)
    assert text.exit_code == 1
    assert "Traceback" not in text.err


def test_file_name_that_is_not_utf8(make_repo, run_cli, tmp_path):
    # git stores names as bytes; a Latin-1 folder name must not crash any output path.
    repo = make_repo({"README.md": "# x\n"})
    folder = os.path.join(os.fsencode(repo.path), b"caf\xe9")
    os.mkdir(folder)
    with open(os.path.join(folder, b"model.onnx"), "w") as f:
        f.write(W)
    repo.commit("latin-1 folder")
    for args in ([], ["--format", "json"], ["--output", str(tmp_path / "report.txt")]):
        result = run_cli("check", *args, cwd=repo.path)
        assert result.exit_code == 1, (args, result.err)


def test_files_belong_to_the_deepest_component(make_repo):
    repo = make_repo(
        {"a/model.onnx": W, "a/x.md": "x", "a/b/model.onnx": W, "a/b/y.md": "y", "c.md": "c"}
    )
    tree = WorkTree(repo.path, is_git=True)
    assert tree.files_under(["a", "a/b"]) == {
        "a": ["a/model.onnx", "a/x.md"],
        "a/b": ["a/b/model.onnx", "a/b/y.md"],
    }
    assert tree.files_under([""]) == {
        "": ["a/b/model.onnx", "a/b/y.md", "a/model.onnx", "a/x.md", "c.md"]
    }
    assert tree.find(GlobSet(["**/*.onnx"])) == ["a/b/model.onnx", "a/model.onnx"]
    assert tree.find(GlobSet([])) == []


def test_files_under_a_long_listing_agrees_with_a_walk(tmp_path):
    # The git listing is filed by bisecting each 64 KiB chunk for the folders' slices: whatever
    # the folders (nested, names that sort around "/", not UTF-8) and wherever a chunk ends,
    # every file lands where a plain walk of the same files puts it.
    import random
    import subprocess

    from testing.gitrepo import GitRepo

    rng = random.Random(11)
    names = ["a", "a-b", "a.b", "a0", "ab", "é", "a b", "z"]
    folders = {""}
    while len(folders) < 120:
        parent = rng.choice(sorted(folders))
        if parent.count("/") < 4:
            folders.add(f"{parent}/{rng.choice(names)}".lstrip("/"))
    files = {
        f"{folder}/{'f' * rng.randrange(20, 60)}{i}.md".lstrip("/"): "x"
        for i, folder in enumerate(rng.choice(sorted(folders)) for _ in range(2500))
    }
    repo = GitRepo.init(tmp_path / "repo", files)
    odd = os.fsencode(repo.path) + b"/a/\xff\xfe"  # a folder name that is not UTF-8
    os.mkdir(odd)
    for i in range(30):
        with open(odd + b"/" + str(i).encode(), "w") as f:
            f.write("x")
    repo.git("add", "-A")
    repo.git("commit", "-qm", "odd")
    listing = subprocess.run(["git", "ls-files", "-z"], cwd=repo.path, capture_output=True)
    assert len(listing.stdout) > 2 * 65536
    listed = WorkTree(repo.path, is_git=True)
    walked = WorkTree(repo.path, is_git=False)
    every = sorted(folders | {"a/" + os.fsdecode(b"\xff\xfe")})
    for _ in range(40):
        wanted = rng.sample(every, rng.randrange(1, 12))
        if "" in wanted and rng.random() < 0.7:
            wanted.remove("")
        in_order = listed.files_under(wanted)
        assert in_order == {k: sorted(v) for k, v in walked.files_under(wanted).items()}, wanted
        with listed.listed_once():  # filed from one listing kept for the discovery
            assert listed.files_under(wanted) == in_order, wanted


def test_markers_listed_by_two_git_processes_are_what_one_lists(tmp_path):
    # Many pathspecs are shared by two git processes; their union must be the one listing's,
    # an unmerged path (listed once per stage) as often as one listing has it.
    from testing.gitrepo import GitRepo

    from roadworthy.policy.model import DEFAULT_MARKERS
    from roadworthy.workspace import git

    files = {f"m{i}/model.{ext}": "x" for i, ext in enumerate(("onnx", "pt", "pkl", "dvc"))}
    files["w.onnx/MLmodel"] = files["w.pt/dvc.yaml"] = "x"  # a path both halves may list
    repo = GitRepo.init(tmp_path / "repo", {**files, "c/model.yaml": "a: 1\n", "README.md": "x"})
    repo.git("checkout", "-q", "-b", "other")
    repo.write({"c/model.yaml": "a: 2\n", "c/x.bin": "y"})
    repo.commit("other side")
    repo.git("checkout", "-q", "main")
    repo.write({"c/model.yaml": "a: 3\n"})
    repo.commit("this side")
    repo.git("merge", "-q", "other", check=False)  # a conflict: three stages of c/model.yaml
    assert repo.git("ls-files", "-u")
    overlapping = ["**/*.onnx", "**/*.pt", "**/*.h5", "**/*.bin", "**/m*", "**/*.x", "**/c/*"]
    for patterns in (DEFAULT_MARKERS, [*overlapping, "**/*.yaml"]):
        globs = GlobSet(patterns)
        one = sorted(p for p in git.ls_files(repo.path, globs.pathspecs()) if globs.match(p))
        assert one.count("c/model.yaml") == 3
        tree = WorkTree(repo.path, is_git=True)
        assert tree.find(globs) == one
        with tree.listed_once():  # one listing of every file, filtered by name here
            assert tree.find(globs) == one


@pytest.mark.parametrize(
    ("path", "exists", "read"),
    [
        ("", False, "outside"),  # the repository itself is no file of it
        (".", False, "outside"),
        ("a\0b", False, "NUL"),  # a %00 in a card's link, decoded
        ("x\ud800", False, "this system can open"),  # a lone surrogate from YAML
        ("a/.", True, "directory"),
    ],
)
def test_names_no_file_can_have_are_answered_not_raised(
    tmp_path: Path, path: str, exists: bool, read: str
) -> None:
    (tmp_path / "a").mkdir()
    tree = WorkTree(tmp_path, is_git=False, max_file_size=1 << 20)
    assert tree.exists(path) is exists
    with pytest.raises(ArtifactError, match=read):
        tree.read_bytes(path)


# --- the quick way of reading agrees with the general way -----------------------------------------


def _outcome(read, path: str) -> tuple[str, object]:
    """What reading ``path`` gives, in a thread: a read that blocks fails the test, not the run."""
    import threading

    result: list[tuple[str, object]] = []

    def run() -> None:
        try:
            result.append(("bytes", read(path)))
        except ArtifactError as exc:
            result.append(("refused", (exc.path, exc.message, exc.line)))

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(10)
    assert result, f"reading {path!r} blocked"
    return result[0]


def _odd_repository(tmp_path: Path) -> tuple[Path, dict[str, tuple[str, object]]]:
    """A repository with every kind of entry a tracked name can meet in a work tree, and what
    reading each must give (the general way's answer, spelled out)."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text("secret\n")
    root = tmp_path / "repo"
    (root / "m" / "deep").mkdir(parents=True)
    (root / "m" / "card.md").write_text("card\n")
    (root / "m" / "empty.md").write_bytes(b"")
    (root / "m" / "big.md").write_bytes(b"x" * 101)
    (root / "m" / "cap.md").write_bytes(b"x" * 100)
    (root / "m" / "deep" / "f.md").write_text("deep\n")
    (root / "top.md").write_text("top\n")
    os.mkfifo(root / "m" / "fifo.md")
    os.symlink(outside / "secret.md", root / "m" / "out.md")
    os.symlink("card.md", root / "m" / "in.md")
    os.symlink("nowhere.md", root / "m" / "dangling.md")
    os.symlink(outside, root / "linked_out")
    os.symlink("m", root / "linked_in")
    os.symlink("card.md", root / "m" / "link_to_big.md")  # (to a small file)
    os.symlink(root / "m" / "fifo.md", root / "m" / "to_fifo.md")
    outside_msg = "symlink points outside the repository; not read"
    expected: dict[str, tuple[str, object]] = {
        "m/card.md": ("bytes", b"card\n"),
        "m/empty.md": ("bytes", b""),
        "m/cap.md": ("bytes", b"x" * 100),
        "m/big.md": (
            "refused",
            ("m/big.md", "101 bytes, over the size cap of 100 bytes (limits.max_file_size)", None),
        ),
        "m/deep/f.md": ("bytes", b"deep\n"),
        "top.md": ("bytes", b"top\n"),
        "m/fifo.md": ("refused", ("m/fifo.md", "is not a regular file; not read", None)),
        "m/to_fifo.md": ("refused", ("m/to_fifo.md", "is not a regular file; not read", None)),
        "m/deep": ("refused", ("m/deep", "is a directory, not a file", None)),
        "m/missing.md": (
            "refused",
            ("m/missing.md", "tracked but missing from the work tree", None),
        ),
        "gone/missing.md": (
            "refused",
            ("gone/missing.md", "tracked but missing from the work tree", None),
        ),
        "m/card.md/x": ("refused", ("m/card.md/x", "cannot be read: Not a directory", None)),
        "m/out.md": ("refused", ("m/out.md", outside_msg, None)),
        "m/in.md": ("bytes", b"card\n"),
        "m/link_to_big.md": ("bytes", b"card\n"),
        "m/dangling.md": (
            "refused",
            ("m/dangling.md", "tracked but missing from the work tree", None),
        ),
        "linked_out/secret.md": ("refused", ("linked_out/secret.md", outside_msg, None)),
        "linked_in/card.md": ("bytes", b"card\n"),
        "linked_in/fifo.md": (
            "refused",
            ("linked_in/fifo.md", "is not a regular file; not read", None),
        ),
        "m/../top.md": ("bytes", b"top\n"),
        "m/./card.md": ("bytes", b"card\n"),
        "m//card.md": ("bytes", b"card\n"),
        "m/nul\0.md": ("refused", ("m/nul\0.md", "is no file name (it holds a NUL byte)", None)),
        "m\0/card.md": ("refused", ("m\0/card.md", "is no file name (it holds a NUL byte)", None)),
    }
    if os.geteuid() == 0:  # a device in a card's place (only root makes device nodes)
        os.mknod(root / "m" / "null.md", 0o600 | 0o020000, os.makedev(1, 3))
        expected["m/null.md"] = ("refused", ("m/null.md", "is not a regular file; not read", None))
    return root, expected


def test_reads_agree_with_the_general_way_on_every_kind_of_entry(tmp_path: Path) -> None:
    # read_bytes opens first and asks the descriptor what it opened; whatever is not a plain
    # file in a plain folder inside is answered by _read_followed: the same bytes, or the same
    # refusal word for word, in any order of reading (the folder kept open must not matter).
    root, expected = _odd_repository(tmp_path)
    paths = sorted(expected)
    for order in (
        paths,
        paths[::-1],
        [p for pair in zip(paths, paths[::-1], strict=True) for p in pair],
    ):
        tree = WorkTree(root, is_git=False, max_file_size=100)
        general = WorkTree(root, is_git=False, max_file_size=100)
        for path in order:
            got = _outcome(tree.read_bytes, path)
            assert got == expected[path], path
            assert got == _outcome(general._read_followed, path), path
        tree.close()


def test_a_link_swapped_in_for_a_file_of_an_open_folder_is_refused(tmp_path: Path) -> None:
    # The folder is kept open between reads of its files: a file replaced by a link out (or by
    # a FIFO) after the folder was opened is refused all the same.
    root, _ = _odd_repository(tmp_path)
    (root / "m" / "b.md").write_text("b\n")
    (root / "m" / "c.md").write_text("c\n")
    tree = WorkTree(root, is_git=False)
    assert tree.read_bytes("m/card.md") == b"card\n"
    (root / "m" / "b.md").unlink()
    os.symlink(tmp_path / "outside" / "secret.md", root / "m" / "b.md")
    (root / "m" / "c.md").unlink()
    os.mkfifo(root / "m" / "c.md")
    assert _outcome(tree.read_bytes, "m/b.md")[1] == (
        "m/b.md",
        "symlink points outside the repository; not read",
        None,
    )
    assert _outcome(tree.read_bytes, "m/c.md")[1] == (
        "m/c.md",
        "is not a regular file; not read",
        None,
    )


def test_the_folder_kept_open_is_one_and_closed(tmp_path: Path) -> None:
    root, expected = _odd_repository(tmp_path)
    before = len(os.listdir("/proc/self/fd")) if os.path.isdir("/proc/self/fd") else None
    tree = WorkTree(root, is_git=False, max_file_size=100)
    for path in sorted(expected) * 2:
        _outcome(tree.read_bytes, path)
    if before is not None:
        assert len(os.listdir("/proc/self/fd")) <= before + 1
    tree.close()
    if before is not None:
        assert len(os.listdir("/proc/self/fd")) == before
    assert tree.read_bytes("m/card.md") == b"card\n"  # and opened again when asked
    tree.close()


def test_a_folder_kept_open_by_one_thread_is_not_used_by_another(tmp_path: Path) -> None:
    # The descriptor is the reading thread's: another thread reads by path (the general way),
    # so a folder switched and its descriptor number reused can never serve a wrong file.
    import threading

    root, _ = _odd_repository(tmp_path)
    (root / "n").mkdir()
    (root / "n" / "card.md").write_text("other\n")
    tree = WorkTree(root, is_git=False)
    assert tree.read_bytes("m/card.md") == b"card\n"
    kept = tree._open_fd
    got: list[bytes] = []
    worker = threading.Thread(target=lambda: got.extend([tree.read_bytes("n/card.md")]))
    worker.start()
    worker.join(10)
    assert got == [b"other\n"]
    assert (tree._open_folder, tree._open_fd) == ("m", kept)  # the main thread's, untouched
    assert tree.read_bytes("m/deep/f.md") == b"deep\n"
    tree.close()


def test_a_folder_switched_by_two_threads_never_serves_another_folders_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The kept folder belonged to whichever thread found none open: a second thread could take
    # it over while the first was between closing its folder and opening the next, then close
    # the first's new descriptor and open another folder under its number while the first was
    # about to open a file in it. The steps are forced in that order here (the second thread's
    # reads run at the first's os.close and at its os.open of a file by name).
    import queue
    import threading
    import types

    from roadworthy.workspace import worktree

    root = tmp_path / "repo"
    for folder in ("x", "y", "z", "w"):
        (root / folder).mkdir(parents=True)
        for name in ("a.md", "b.md", "c.md", "d.md"):
            (root / folder / name).write_text(f"{folder}/{name}\n")
    tree = WorkTree(root, is_git=False)
    jobs: queue.Queue[str | None] = queue.Queue()
    done: queue.Queue[bytes] = queue.Queue()

    def serve() -> None:
        while (path := jobs.get()) is not None:
            done.put(tree.read_bytes(path))

    other = threading.Thread(target=serve)
    other.start()
    main = threading.get_ident()
    pending = ["z/c.md", "w/d.md"]
    armed = [-1]  # the main thread's folder descriptor to be closed

    def in_other(path: str) -> None:
        jobs.put(path)
        assert done.get(timeout=10) == f"{path}\n".encode()

    def close(fd: int) -> None:
        os.close(fd)
        if threading.get_ident() == main and fd == armed[0] and pending == ["z/c.md", "w/d.md"]:
            in_other(pending.pop(0))  # the main thread's folder closed, the next not yet open

    def open_(path: str, flags: int, mode: int = 0o777, *, dir_fd: int | None = None) -> int:
        if dir_fd is not None and threading.get_ident() == main and pending == ["w/d.md"]:
            in_other(pending.pop(0))  # about to open a file in the folder it has just opened
        return os.open(path, flags, mode, dir_fd=dir_fd)

    shim = types.SimpleNamespace(**{n: getattr(os, n) for n in dir(os) if not n.startswith("__")})
    shim.close, shim.open = close, open_
    monkeypatch.setattr(worktree, "os", shim)
    try:
        assert tree.read_bytes("x/a.md") == b"x/a.md\n"
        armed[0] = tree._open_fd
        assert tree.read_bytes("y/b.md") == b"y/b.md\n"
        assert pending == []
    finally:
        jobs.put(None)
        other.join(10)
        tree.close()

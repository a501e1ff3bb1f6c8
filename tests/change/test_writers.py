"""What roadworthy writes stays in the repository and never loses what is there.

Each attack is built for real: symlinks committed to git, concurrent processes, a FIFO, a merge
conflict, ledgers a person or a tool wrote with comments, a byte-order mark or CRLF endings.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from testing.gitrepo import GitRepo

from tests.change.conftest import ALICE, BOB, base_files, card

LEDGER = "models/credit/APPROVALS.yaml"


def _new_weights(repo: GitRepo) -> None:
    repo.write(
        {"models/credit/model.onnx": b"weights-v2\n", "models/credit/MODEL_CARD.md": card("1.1.0")}
    )
    repo.git("add", "-A")


# -- nothing is written through a link ---------------------------------------------------------


def test_approve_refuses_a_ledger_that_is_a_symlink_out(credit_repo, run_cli, tmp_path):
    outside = tmp_path / "outside.yaml"
    outside.write_text("precious: true\n")
    (credit_repo.path / LEDGER).symlink_to(outside)
    _new_weights(credit_repo)
    result = run_cli("approve", "credit", "--by", "@alice", cwd=credit_repo.path)
    assert result.exit_code == 2
    assert f"{LEDGER} is a symlink" in result.err
    assert outside.read_text() == "precious: true\n"


def test_approve_refuses_a_governance_ledger_that_is_a_symlink(credit_repo, run_cli, tmp_path):
    outside = tmp_path / "outside.yaml"
    (credit_repo.path / "APPROVALS.yaml").symlink_to(outside)
    result = run_cli("approve", "--governance", "--by", "@alice", cwd=credit_repo.path)
    assert result.exit_code == 2
    assert not outside.exists()


def test_init_writes_nothing_when_a_template_would_go_through_a_symlinked_folder(
    make_repo, run_cli, tmp_path
):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    policy = "version: 1\nextends: [recommended]\nartifacts:\n  runbook: [ops/RUNBOOK.md]\n"
    repo = make_repo({"roadworthy.yaml": policy, "models/x/model.onnx": b"\x00w"})
    (repo.path / "models/x/ops").symlink_to(elsewhere)
    repo.commit("ops is a link")
    result = run_cli("init", cwd=repo.path)
    assert result.exit_code == 2
    assert "models/x/ops is a symlink" in result.err
    assert list(elsewhere.iterdir()) == []
    assert not (repo.path / "models/x/MODEL_CARD.md").exists()  # nothing at all was written


def test_check_output_into_a_committed_symlink_is_refused(credit_repo, run_cli, tmp_path):
    runner_file = tmp_path / "runner-env"
    runner_file.write_text("PATH=/usr/bin\n")
    (credit_repo.path / "roadworthy.sarif").symlink_to(runner_file)
    credit_repo.commit("a report that is a link")
    result = run_cli(
        "check", "--format", "sarif", "--output", "roadworthy.sarif", cwd=credit_repo.path
    )
    assert result.exit_code == 2
    assert runner_file.read_text() == "PATH=/usr/bin\n"


def test_check_output_outside_the_repository_is_written_as_named(credit_repo, run_cli, tmp_path):
    target = tmp_path / "reports" / "out.json"
    target.parent.mkdir()
    result = run_cli("check", "--format", "json", "--output", str(target), cwd=credit_repo.path)
    assert result.exit_code == 0
    assert target.read_text().startswith("{")


# -- concurrent approvals ----------------------------------------------------------------------


def test_ten_simultaneous_approvals_leave_ten_entries(credit_repo):
    _new_weights(credit_repo)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src")}
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "roadworthy",
                "approve",
                "credit",
                "--by",
                "@alice",
                "--note",
                f"n{i}",
            ],
            cwd=credit_repo.path,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for i in range(10)
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
    text = (credit_repo.path / LEDGER).read_text()
    notes = sorted(line.split(":", 1)[1].strip() for line in text.splitlines() if "note:" in line)
    assert notes == sorted(f"n{i}" for i in range(10))


# -- what is not a ledger is refused, never overwritten ----------------------------------------


@pytest.mark.parametrize(
    ("content", "where", "words"),
    [
        pytest.param(b'approved_by: ["@alice"]\n', f"{LEDGER}:1:", "not a list", id="a-mapping"),
        pytest.param(
            b"- {approved_by: ['@a'], digest: x}\n---\n- {approved_by: ['@b'], digest: y}\n",
            f"{LEDGER}:2:",
            "single document",
            id="two-documents",
        ),
        pytest.param(b"- a\n- \x00\x01\x02\n", f"{LEDGER}:2:", "binary", id="binary"),
        pytest.param(b"- a\n- \xff\n", f"{LEDGER}:2:", "not UTF-8", id="not-utf8"),
        pytest.param(b"- [unclosed\n", f"{LEDGER}:", "not a ledger", id="broken-yaml"),
    ],
)
def test_approve_refuses_a_file_that_is_not_a_ledger(credit_repo, run_cli, content, where, words):
    (credit_repo.path / LEDGER).write_bytes(content)
    _new_weights(credit_repo)
    result = run_cli("approve", "credit", "--by", "@alice", cwd=credit_repo.path)
    assert result.exit_code == 2, result.err
    assert f"roadworthy: {where}" in result.err and words in result.err, result.err
    assert (credit_repo.path / LEDGER).read_bytes() == content


def test_approve_refuses_a_folder_at_the_ledger_path(credit_repo, run_cli):
    (credit_repo.path / LEDGER).mkdir()
    _new_weights(credit_repo)
    result = run_cli("approve", "credit", "--by", "@alice", cwd=credit_repo.path)
    assert result.exit_code == 2
    assert f"{LEDGER}: is not a regular file" in result.err


def test_approve_refuses_a_fifo_without_waiting_on_it(credit_repo):
    os.mkfifo(credit_repo.path / LEDGER)
    _new_weights(credit_repo)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src")}
    proc = subprocess.run(
        [sys.executable, "-m", "roadworthy", "approve", "credit", "--by", "@alice"],
        cwd=credit_repo.path,
        env=env,
        capture_output=True,
        text=True,
        timeout=30,  # a hang is the failure this test exists for
    )
    assert proc.returncode == 2
    assert f"{LEDGER}: is not a regular file" in proc.stderr


def test_approve_refuses_a_component_in_a_merge_conflict(credit_repo, run_cli):
    credit_repo.git("checkout", "-q", "-b", "other")
    credit_repo.write({"models/credit/model.onnx": b"theirs\n"})
    credit_repo.commit("theirs", author=BOB)
    credit_repo.git("checkout", "-q", "main")
    credit_repo.write({"models/credit/model.onnx": b"ours\n"})
    credit_repo.commit("ours", author=ALICE)
    credit_repo.git("merge", "-q", "other", check=False)
    assert credit_repo.git("ls-files", "-u").strip()
    result = run_cli("approve", "credit", "--by", "@alice", cwd=credit_repo.path)
    assert result.exit_code == 2
    assert "models/credit/model.onnx: in a merge conflict" in result.err
    assert not (credit_repo.path / LEDGER).exists()


# -- what a person wrote survives --------------------------------------------------------------


@pytest.mark.parametrize(
    ("bom", "newline"),
    [("", "\n"), ("\ufeff", "\n"), ("", "\r\n"), ("\ufeff", "\r\n")],
    ids=["plain", "bom", "crlf", "bom-crlf"],
)
def test_approve_keeps_comments_bom_and_line_endings(credit_repo, run_cli, bom, newline):
    first = (
        "# Credit model approvals: ask #ml-governance before adding one.\n"
        "- approved_by: ['@bob']  # on call that week\n"
        "  digest: sha256:" + "a" * 64 + "\n"
        "  at: '2026-10-01'\n"
    )
    original = (bom + first.replace("\n", newline)).encode("utf-8")
    (credit_repo.path / LEDGER).write_bytes(original)
    _new_weights(credit_repo)
    result = run_cli("approve", "credit", "--by", "@alice", cwd=credit_repo.path)
    assert result.exit_code == 0, result.err
    after = (credit_repo.path / LEDGER).read_bytes()
    assert after.startswith(original)  # the old text, byte for byte, comments included
    added = after[len(original) :].decode("utf-8")
    assert "approved_by: ['@alice']" in added
    assert added.count(newline) == added.count("\n")  # one line-ending style throughout


def test_approve_where_the_ledgers_folder_is_a_file_is_exit_2(make_repo, run_cli):
    policy = base_files()["roadworthy.yaml"] + (
        "change_control:\n  approval: {ledger: approvals/APPROVALS.yaml}\n"
    )
    repo = make_repo({**base_files(), "roadworthy.yaml": policy, "models/credit/approvals": "x"})
    _new_weights(repo)
    result = run_cli("approve", "credit", "--by", "@alice", cwd=repo.path)
    assert result.exit_code == 2, result.err
    assert "models/credit/approvals/APPROVALS.yaml: cannot write" in result.err


def test_the_hook_takes_a_staged_file_missing_from_the_work_tree(credit_repo, run_cli):
    """pre-commit passes staged names; one removed from the work tree since is no usage error."""
    credit_repo.write({"models/credit/notes.md": "# notes\n"})
    credit_repo.git("add", "models/credit/notes.md")
    (credit_repo.path / "models/credit/notes.md").unlink()
    result = run_cli("check", "--hook", "models/credit/notes.md", cwd=credit_repo.path)
    assert result.exit_code in (0, 1), result.err

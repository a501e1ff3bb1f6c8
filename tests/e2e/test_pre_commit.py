"""roadworthy through the real pre-commit: install, commit, ranges, the manual stage (STYLE.md §4).

The hook environment is built once per session in ``pre_commit_home``; each test makes its own
consumer repository.
"""

from __future__ import annotations

import os
import re
import subprocess

import pytest
from testing.gitrepo import GIT_ENV

from tests.change.conftest import CONTRACT, MALLORY, ROLLBACK, RUNBOOK, card
from tests.conftest import ROOT
from tests.e2e.conftest import PROJECT_FILES, Consumer

pytestmark = pytest.mark.slow

CHANGED = r"roadworthy \(changed components\)"
WHOLE = r"roadworthy \(whole repository\)"


def status(hook_name: str, result: str) -> re.Pattern[str]:
    return re.compile(rf"^{hook_name}\.+{result}$", re.MULTILINE)


def finding(path: str, code: str) -> re.Pattern[str]:
    """A finding line as pre-commit shows it: the path first, then the rule code."""
    return re.compile(rf"^{re.escape(path)}:\d+: (?:error|warning) {code} [a-z-]+: ", re.MULTILINE)


def assert_ran(result, hook_name: str, outcome: str) -> None:
    assert status(hook_name, outcome).search(result.output), result.output
    assert "internal error" not in result.output, result.output


def test_commit_is_blocked_while_a_required_artifact_is_missing(make_consumer):
    consumer: Consumer = make_consumer()
    installed = consumer.pre_commit("install")
    assert installed.code == 0, installed.output
    assert (consumer.path / ".git" / "hooks" / "pre-commit").is_file()
    before = consumer.head

    # A new model with its card, contract and an owner's approval, but no runbook or rollback.
    consumer.repo.write(
        {
            "models/fraud/model.onnx": b"fraud weights\n",
            "models/fraud/MODEL_CARD.md": card(),
            "models/fraud/data_contract.yaml": CONTRACT,
        }
    )
    consumer.repo.add_all()
    approved = consumer.roadworthy("approve", "models/fraud", "--by", "@alice")
    assert approved.code == 0, approved.output
    consumer.repo.add_all()

    blocked = consumer.git_commit("-m", "add the fraud model")
    assert blocked.code == 1, blocked.output
    assert_ran(blocked, CHANGED, "Failed")
    assert finding("models/fraud/model.onnx", "RW103").search(blocked.output), blocked.output
    assert finding("models/fraud/model.onnx", "RW104").search(blocked.output), blocked.output
    assert "models/legacy" not in blocked.output  # untouched: not this commit's business
    assert consumer.head == before  # no commit was created

    consumer.repo.write({"models/fraud/RUNBOOK.md": RUNBOOK, "models/fraud/ROLLBACK.md": ROLLBACK})
    consumer.repo.add_all()
    allowed = consumer.git_commit("-m", "add the fraud model")
    assert allowed.code == 0, allowed.output
    assert_ran(allowed, CHANGED, "Passed")
    assert not status(WHOLE, ".*").search(allowed.output)  # manual stage only
    assert consumer.repo.git("log", "-1", "--format=%s").strip() == "add the fraud model"
    assert consumer.repo.git("rev-parse", "HEAD~1").strip() == before


@pytest.mark.parametrize(
    "commit_all",
    [
        pytest.param(False, id="git-rm"),
        pytest.param(True, id="commit-a"),  # `git commit -a` hands the hook a temporary index
    ],
)
def test_a_staged_deletion_alone_is_caught(make_consumer, commit_all):
    consumer: Consumer = make_consumer()
    assert consumer.pre_commit("install").code == 0
    before = consumer.head
    if commit_all:
        (consumer.path / "models/credit/RUNBOOK.md").unlink()
    else:
        consumer.repo.git("rm", "-q", "models/credit/RUNBOOK.md")

    blocked = consumer.git_commit("-m", "drop the runbook", *(["-a"] if commit_all else []))
    assert blocked.code == 1, blocked.output
    assert_ran(blocked, CHANGED, "Failed")
    assert finding("models/credit/model.onnx", "RW402").search(blocked.output), blocked.output
    assert "models/credit/RUNBOOK.md is deleted by this change" in blocked.output
    assert "(no files to check)" not in blocked.output
    assert consumer.head == before


def test_without_always_run_a_staged_deletion_alone_is_skipped(
    make_consumer, hook_repo_without_always_run
):
    # The control for the test above: the same manifest without `always_run` lets the deletion
    # through, because pre-commit never passes deleted files (STYLE.md §4.1).
    consumer: Consumer = make_consumer(hooks_from=hook_repo_without_always_run)
    consumer.repo.git("rm", "-q", "models/credit/RUNBOOK.md")

    result = consumer.pre_commit("run", "roadworthy")
    assert result.code == 0, result.output
    assert status(CHANGED, r"\(no files to check\)Skipped").search(result.output), result.output

    assert consumer.pre_commit("install").code == 0
    slipped = consumer.git_commit("-m", "drop the runbook")
    assert slipped.code == 0, slipped.output
    assert "RUNBOOK.md" not in consumer.repo.git("ls-files", "models/credit")


def test_from_ref_to_ref_reaches_diff_mode(make_consumer):
    consumer: Consumer = make_consumer()
    start = consumer.head
    consumer.repo.write(
        {
            "models/credit/model.onnx": b"weights-v2\n",
            "models/credit/MODEL_CARD.md": card("1.1.0", extra="\nRetrained on 2026 data.\n"),
        }
    )
    end = consumer.repo.commit("retrain", author=MALLORY)  # no owner approved these weights

    # Nothing is staged: the staged change (the default) is clean ...
    staged = consumer.pre_commit("run", "roadworthy")
    assert staged.code == 0, staged.output
    assert_ran(staged, CHANGED, "Passed")

    # ... and only the range between the two commits holds the unapproved material change.
    ranged = consumer.pre_commit("run", "--from-ref", start, "--to-ref", end, "roadworthy")
    assert ranged.code == 1, ranged.output
    assert_ran(ranged, CHANGED, "Failed")
    assert finding("models/credit/model.onnx", "RW401").search(ranged.output), ranged.output


def test_manual_stage_checks_the_whole_repository(make_consumer):
    consumer: Consumer = make_consumer()

    at_commit = consumer.pre_commit("run")
    assert at_commit.code == 0, at_commit.output
    assert_ran(at_commit, CHANGED, "Passed")
    assert not status(WHOLE, ".*").search(at_commit.output)

    manual = consumer.pre_commit("run", "--hook-stage", "manual", "roadworthy-all")
    assert manual.code == 1, manual.output
    assert_ran(manual, WHOLE, "Failed")
    for code in ("RW101", "RW102", "RW103", "RW104", "RW301"):
        assert finding("models/legacy/model.onnx", code).search(manual.output), manual.output
    assert "models/credit" not in manual.output


def untracked(paths: tuple[str, ...]) -> list[str]:
    result = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all", "--", *paths],
        cwd=ROOT,
        env={**os.environ, **GIT_ENV},
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        pytest.skip("the project is not a git checkout")
    return [line[3:] for line in result.stdout.splitlines() if line.startswith("??")]


def test_try_repo_with_the_working_tree(make_consumer):
    # try-repo commits the working tree's changes to tracked files into a shadow repository
    # and installs from it in a fresh store (~8 s, STYLE.md §4.3): keep this the only one.
    missing = untracked(PROJECT_FILES)
    if missing:
        pytest.skip(f"try-repo ignores untracked files: {', '.join(missing[:5])}")
    consumer: Consumer = make_consumer()
    consumer.repo.git("rm", "-q", "models/credit/RUNBOOK.md")

    result = consumer.pre_commit("try-repo", str(ROOT), "roadworthy", "--all-files")
    assert result.code == 1, result.output
    assert_ran(result, CHANGED, "Failed")
    assert finding("models/credit/model.onnx", "RW402").search(result.output), result.output


def test_run_all_files_checks_the_components_it_is_given(make_consumer):
    """`pre-commit run --all-files` (pre-commit.ci, most CI jobs) stages nothing: the hook must
    not pass a repository whose untouched legacy component has every gap."""
    consumer: Consumer = make_consumer()
    result = consumer.pre_commit("run", "roadworthy", "--all-files")
    assert result.code == 1, result.output
    assert_ran(result, CHANGED, "Failed")
    assert finding("models/legacy/model.onnx", "RW101").search(result.output), result.output
    assert "0 findings in 0 components" not in result.output


def test_run_files_checks_only_the_components_owning_them(make_consumer):
    consumer: Consumer = make_consumer()
    clean = consumer.pre_commit("run", "roadworthy", "--files", "models/credit/MODEL_CARD.md")
    assert clean.code == 0, clean.output
    assert "models/legacy" not in clean.output
    failing = consumer.pre_commit("run", "roadworthy", "--files", "models/legacy/model.onnx")
    assert failing.code == 1, failing.output
    assert finding("models/legacy/model.onnx", "RW101").search(failing.output), failing.output


def test_an_empty_commit_passes_whatever_the_repository_holds(make_consumer):
    consumer: Consumer = make_consumer()
    assert consumer.pre_commit("install").code == 0
    result = consumer.git_commit("--allow-empty", "-m", "empty")
    assert result.code == 0, result.output
    assert "models/legacy" not in result.output

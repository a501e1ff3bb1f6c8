"""Near variants of ``test_baseline_option_file_is_not_governed``: in diff mode a
``--baseline FILE`` inside the repository is read as the base revision has it, so neither the
file, nor a symlink's target, nor where the symlink points can be changed by the change it
judges; a base whose baseline records the finding still excuses it."""

from __future__ import annotations

import json
import os
from pathlib import Path

from testing.gitrepo import GitRepo, files_of

from tests.change.conftest import MALLORY

CASE = Path(__file__).parents[1] / "cases/RW207-stage-criteria-not-met/metric-above-threshold"
EMPTY = '{"version": 1, "findings": []}\n'
ARGS = ("check", "--as-of", "2026-12-01", "--diff", "base", "--format", "json")


def _repo(make_repo, extra: dict[str, str | bytes | None]) -> GitRepo:
    files: dict[str, str | bytes | None] = {**files_of(CASE / "repo", text=False)}
    files.update(extra)
    repo: GitRepo = make_repo(files)
    repo.git("branch", "base")
    return repo


def _fail_the_gate(repo: GitRepo, run_cli) -> str:
    """Commit a worse evaluation; the baseline text that records its RW207."""
    report = repo.path / "models/fraud/evaluation.yaml"
    report.write_text(report.read_text().replace("auc: 0.9", "auc: 0.1"))
    repo.commit("re-evaluate on the new holdout", author=MALLORY)
    found = json.loads(run_cli(*ARGS, cwd=repo.path).out)["findings"]
    rows = [
        {k: f[k] for k in ("code", "component", "path", "message")}
        for f in found
        if f["code"] == "RW207"
    ]
    assert rows, found
    return json.dumps({"version": 1, "findings": rows}) + "\n"


def _active(run_cli, repo: GitRepo, baseline: str) -> tuple[int, set[str]]:
    result = run_cli(*ARGS, "--baseline", baseline, cwd=repo.path)
    found = json.loads(result.out)["findings"]
    return result.exit_code, {f["code"] for f in found if f["waived_by"] is None}


def test_editing_the_target_of_a_baseline_symlink_excuses_nothing(make_repo, run_cli):
    repo = _repo(make_repo, {"ci/accepted.json": EMPTY})
    os.symlink("accepted.json", repo.path / "ci/baseline.json")
    repo.commit("baseline behind a link")
    repo.git("branch", "-f", "base")
    text = _fail_the_gate(repo, run_cli)
    repo.write({"ci/accepted.json": text})  # the link itself is untouched
    repo.commit("record the gate", author=MALLORY)
    code, active = _active(run_cli, repo, "ci/baseline.json")
    assert "RW207" in active
    assert code == 1


def test_re_pointing_a_baseline_symlink_excuses_nothing(make_repo, run_cli):
    repo = _repo(make_repo, {"ci/accepted.json": EMPTY})
    os.symlink("accepted.json", repo.path / "ci/baseline.json")
    repo.commit("baseline behind a link")
    repo.git("branch", "-f", "base")
    text = _fail_the_gate(repo, run_cli)
    repo.write({"ci/mine.json": text, "ci/baseline.json": None})
    os.symlink("mine.json", repo.path / "ci/baseline.json")
    repo.commit("point the baseline at my records", author=MALLORY)
    code, active = _active(run_cli, repo, "ci/baseline.json")
    assert "RW207" in active
    assert code == 1


def test_a_baseline_the_change_adds_excuses_nothing(make_repo, run_cli):
    repo = _repo(make_repo, {})
    text = _fail_the_gate(repo, run_cli)
    repo.write({"ci/baseline.json": text})
    repo.commit("adopt a baseline", author=MALLORY)
    result = run_cli(*ARGS, "--baseline", "ci/baseline.json", cwd=repo.path)
    found = json.loads(result.out)["findings"]
    assert "RW207" in {f["code"] for f in found if f["waived_by"] is None}
    assert "ci/baseline.json is not in the base revision" in result.err
    assert result.exit_code == 1


def test_what_the_base_records_is_still_excused(make_repo, run_cli):
    """The rule reads the base's file; it does not drop the baseline in diff mode."""
    repo = _repo(make_repo, {"ci/baseline.json": EMPTY})
    text = _fail_the_gate(repo, run_cli)
    repo.write({"ci/baseline.json": text})
    repo.commit("record the gate", author=MALLORY)
    repo.git("branch", "-f", "base")  # merged: the base records it now
    repo.write({"models/fraud/README.extra.md": "notes\n"})
    report = repo.path / "models/fraud/evaluation.yaml"
    report.write_text(report.read_text() + "# reviewed\n")
    repo.commit("a later change to the component")
    code, active = _active(run_cli, repo, "ci/baseline.json")
    assert "RW207" not in active
    assert code == 0


def test_a_base_baseline_linking_out_of_the_repository_is_exit_2(make_repo, run_cli, tmp_path):
    outside = tmp_path / "elsewhere.json"
    outside.write_text(EMPTY)
    repo = _repo(make_repo, {})
    os.makedirs(repo.path / "ci")
    os.symlink(str(outside), repo.path / "ci/baseline.json")
    repo.commit("baseline out of the repository")
    repo.git("branch", "-f", "base")
    _fail_the_gate(repo, run_cli)
    result = run_cli(*ARGS, "--baseline", "ci/baseline.json", cwd=repo.path)
    assert result.exit_code == 2, result.out + result.err
    assert "ci/baseline.json" in result.err and "outside the repository" in result.err
    assert "Traceback" not in result.err

"""DVC files change control cannot take at their word: a ``wdir`` placing the outputs elsewhere,
a file it cannot read (fail closed), a file that is a symlink, and DVC's own configuration as a
governance file. The attacks are in tests/attacks; these are the honest changes beside them (the
owners approve, and it passes) and the edges of the fail-closed rule. Real git repositories,
the real CLI."""

from __future__ import annotations

import os

import pytest
from testing.gitrepo import GitRepo

from tests.change.conftest import ALICE, BOB, MALLORY, POLICY, approve, base_files, card, codes

A, B, C = "a" * 32, "b" * 32, "c" * 32
DVC = "wdir: {wdir}\nouts:\n- md5: {md5}\n  size: 1234\n  hash: md5\n  path: {path}\n"
PADDING = "# " + "x" * 1022 + "\n"  # 1 KiB a line: 5200 lines are over the 5 MiB cap
CONFIG = "[core]\n    remote = storage\n['remote \"storage\"']\n    url = {url}\n"


def _lock(md5: str, *, big: bool = True) -> str:
    text = "schema: '2.0'\nstages:\n  credit:\n    cmd: python train.py\n    outs:\n"
    text += f"    - path: models/credit/model.pkl\n      md5: {md5}\n      size: 1234\n"
    return text + (PADDING * 5200 if big else "")


def _repo(make_repo, extra: dict[str, str | bytes | None]) -> GitRepo:
    files = base_files()
    files.update(extra)
    repo: GitRepo = make_repo(files)
    repo.git("branch", "base")
    return repo


def _rw401(found: list[tuple[str, str, str]]) -> list[str]:
    return [m for c, _, m in found if c == "RW401"]


def _retrained_card(repo: GitRepo) -> None:
    """What an honest retrain carries besides the new md5: a new version, a card that says so."""
    repo.write({"models/credit/MODEL_CARD.md": card("1.1.0", extra="Retrained on 2026-Q1.\n")})


def test_a_retrain_through_a_wdir_approved_by_the_owners_passes(make_repo, judge, run_cli):
    dvc = {"data/credit.dvc": DVC.format(wdir="../models/credit", md5=A, path="model.pkl")}
    codeowners = base_files()[".github/CODEOWNERS"]
    repo = _repo(make_repo, {**dvc, ".github/CODEOWNERS": f"{codeowners}/data/ @bob\n"})
    repo.write({"data/credit.dvc": DVC.format(wdir="../models/credit", md5=B, path="model.pkl")})
    _retrained_card(repo)
    repo.commit("retrain", author=MALLORY)
    out = approve(run_cli, repo, "models/credit", "--by", "@alice")
    assert "data/credit.dvc" in out, out  # the approval binds the .dvc file outside the folder
    approve(run_cli, repo, "data", "--by", "@bob")
    repo.commit("approve", author=ALICE)
    _, found = judge(repo)
    assert "RW401" not in codes(found), found


def test_a_wdir_moved_into_the_component_is_its_change(make_repo, judge):
    """Same md5, only ``wdir`` edited: the output now lands in the credit model."""
    repo = _repo(make_repo, {"data/x.dvc": DVC.format(wdir=".", md5=A, path="model.pkl")})
    repo.write({"data/x.dvc": DVC.format(wdir="../models/credit", md5=A, path="model.pkl")})
    repo.commit("move it", author=MALLORY)
    _, found = judge(repo)
    assert any("data/x.dvc" in m and "models/credit" in m for m in _rw401(found)), found


def test_an_oversized_root_lock_approved_by_the_owners_passes(make_repo, judge, run_cli):
    repo = _repo(make_repo, {"dvc.lock": _lock(A)})
    repo.write({"dvc.lock": _lock(B)})
    _retrained_card(repo)
    repo.commit("dvc repro", author=MALLORY)
    _, found = judge(repo)
    assert any("dvc.lock changed and cannot be read" in m for m in _rw401(found)), found
    out = approve(run_cli, repo, "models/credit", "--by", "@alice")
    assert "dvc.lock" in out, out  # an unreadable lock above the component is bound with it
    repo.commit("approve", author=ALICE)
    assert judge(repo) == (0, [])


def test_the_approval_binds_the_oversized_lock_bytes(make_repo, judge, run_cli):
    """Approved once, the lock changed again: the old approval does not cover it."""
    repo = _repo(make_repo, {"dvc.lock": _lock(A)})
    repo.write({"dvc.lock": _lock(B)})
    _retrained_card(repo)
    repo.add_all()
    approve(run_cli, repo, "models/credit", "--by", "@alice")
    repo.commit("approved retrain", author=ALICE)
    repo.git("branch", "-f", "base")
    repo.write({"dvc.lock": _lock(C)})
    repo.write({"models/credit/MODEL_CARD.md": card("1.2.0", extra="Again.\n")})
    repo.commit("dvc repro again", author=MALLORY)
    code, found = judge(repo)
    assert _rw401(found) and code == 1, found


def test_an_unchanged_oversized_lock_is_no_change(make_repo, judge):
    repo = _repo(make_repo, {"dvc.lock": _lock(A)})
    repo.write({"README.md": "# Models\n"})
    repo.commit("docs", author=MALLORY)
    assert judge(repo) == (0, [])


PIPELINE = "stages:\n  credit:\n    wdir: ../models/credit\n    cmd: python train.py\n"


def _stage_lock(md5: str) -> str:
    text = "schema: '2.0'\nstages:\n  credit:\n    cmd: python train.py\n    outs:\n"
    return text + f"    - path: model.pkl\n      md5: {md5}\n      size: 1234\n"


def _unreadable_pipeline_repo(make_repo) -> GitRepo:
    """A readable lock in ``pipelines/`` whose ``dvc.yaml`` (the stage's ``wdir``) is over
    the size cap."""
    return _repo(
        make_repo,
        {
            "pipelines/dvc.yaml": PIPELINE + PADDING * 5200,
            "pipelines/dvc.lock": _stage_lock(A),
        },
    )


def test_a_lock_beside_an_unreadable_dvc_yaml_approved_by_the_owners_passes(
    make_repo, judge, run_cli
):
    repo = _unreadable_pipeline_repo(make_repo)
    repo.write({"pipelines/dvc.lock": _stage_lock(B)})
    _retrained_card(repo)
    repo.commit("dvc repro", author=MALLORY)
    _, found = judge(repo)
    assert any("pipelines/dvc.yaml cannot be read" in m for m in _rw401(found)), found
    out = approve(run_cli, repo, "models/credit", "--by", "@alice")
    assert "pipelines/dvc.lock" in out, out  # its outputs may be anywhere: bound with every one
    repo.commit("approve", author=ALICE)
    assert judge(repo) == (0, [])


def test_an_unchanged_lock_beside_an_unreadable_dvc_yaml_is_no_change(make_repo, judge):
    repo = _unreadable_pipeline_repo(make_repo)
    repo.write({"README.md": "# Models\n"})
    repo.commit("docs", author=MALLORY)
    assert judge(repo) == (0, [])


@pytest.mark.parametrize(
    ("lock", "reaches"),
    [
        pytest.param("models/dvc.lock", True, id="a-folder-holding-the-component"),
        pytest.param("data/dvc.lock", False, id="a-folder-beside-it"),
    ],
)
def test_an_unreadable_lock_reaches_the_components_under_its_folder(
    make_repo, judge, lock, reaches
):
    """Not YAML on the head side: what it records is unknown, so every component under its
    folder may have new weights, and no other."""
    repo = _repo(make_repo, {lock: _lock(A, big=False).replace("models/credit/", "")})
    repo.write({lock: "stages: [unclosed\n"})
    repo.commit("broken lock", author=MALLORY)
    _, found = judge(repo)
    hit = [m for m in _rw401(found) if f"{lock} changed and cannot be read" in m]
    assert bool(hit) is reaches, found


def test_a_linked_dvc_file_approved_at_its_target_passes(make_repo, judge, run_cli):
    text = "outs:\n- md5: {md5}\n  size: 1234\n  hash: md5\n  path: model.pkl\n"
    repo = _repo(make_repo, {"pipelines/credit.yaml": text.format(md5=A)})
    os.symlink("../../pipelines/credit.yaml", repo.path / "models/credit/model.pkl.dvc")
    repo.commit("track the credit weights with DVC")
    repo.git("branch", "-f", "base")
    repo.write({"pipelines/credit.yaml": text.format(md5=B)})
    _retrained_card(repo)
    repo.commit("dvc repro", author=MALLORY)
    _, found = judge(repo)
    assert any("a symlink to pipelines/credit.yaml" in m for m in _rw401(found)), found
    approve(run_cli, repo, "models/credit", "--by", "@alice")
    repo.commit("approve", author=ALICE)
    assert judge(repo) == (0, [])


@pytest.mark.parametrize(
    "path", [".dvc/config", ".dvc/config.local", "models/.dvc/config", "models/.dvc/config.local"]
)
def test_a_dvc_remote_change_approved_by_the_policy_owners_passes(make_repo, judge, run_cli, path):
    repo = _repo(make_repo, {path: CONFIG.format(url="s3://acme-models/dvc")})
    repo.write({path: CONFIG.format(url="s3://acme-models-eu/dvc")})
    repo.commit("move the remote to the EU bucket", author=MALLORY)
    _, found = judge(repo)
    assert codes(found) == ["RW407"] and path in found[0][2], found
    out = approve(run_cli, repo, "--governance", "--by", "@bob")
    assert path in out, out
    repo.commit("governance approval", author=BOB)
    assert judge(repo) == (0, [])


@pytest.mark.parametrize("path", [".dvc/config", "models/.dvc/config", "a/b/.dvc/config.local"])
def test_a_dvc_config_added_is_a_governance_change(credit_repo, judge, path):
    credit_repo.write({path: CONFIG.format(url="s3://mallory-bucket/dvc")})
    credit_repo.commit("dvc init", author=MALLORY)
    _, found = judge(credit_repo)
    assert codes(found) == ["RW407"], found


def test_a_governance_approval_binds_a_subproject_config_it_did_not_change(
    make_repo, judge, run_cli
):
    """The digest binds every DVC configuration of the tree, changed or not: an approval of a
    policy change no longer matches once the subproject's remote is re-pointed after it."""
    repo = _repo(make_repo, {"models/.dvc/config": CONFIG.format(url="s3://acme-models/dvc")})
    repo.write({"roadworthy.yaml": POLICY + "# reviewed\n"})
    repo.commit("policy comment", author=MALLORY)
    out = approve(run_cli, repo, "--governance", "--by", "@bob")
    assert "models/.dvc/config" in out, out
    repo.commit("governance approval", author=BOB)
    assert judge(repo) == (0, [])
    repo.write({"models/.dvc/config": CONFIG.format(url="s3://mallory-bucket/dvc")})
    repo.commit("faster mirror", author=MALLORY)
    _, found = judge(repo)
    assert codes(found) == ["RW407"] and "models/.dvc/config" in found[0][2], found


def _baseline_repo(make_repo) -> GitRepo:
    files = base_files()
    files["roadworthy.yaml"] = POLICY + "baseline: ci/baseline.json\n"
    files["config/baseline.json"] = '{\n  "version": 1,\n  "findings": []\n}\n'
    files["other/baseline.json"] = '{\n  "version": 1,\n  "findings": []\n}\n'
    repo: GitRepo = make_repo(files)
    os.symlink("config", repo.path / "ci")
    repo.commit("baseline in ci/")
    repo.git("branch", "base")
    return repo


def test_repointing_the_linked_folder_of_the_baseline_is_governed(make_repo, judge):
    repo = _baseline_repo(make_repo)
    (repo.path / "ci").unlink()
    os.symlink("other", repo.path / "ci")
    repo.commit("ci now elsewhere", author=MALLORY)
    _, found = judge(repo)
    assert "RW407" in codes(found), found


def test_a_baseline_through_a_linked_folder_approved_by_the_owners_passes(
    make_repo, judge, run_cli
):
    repo = _baseline_repo(make_repo)
    repo.write({"config/baseline.json": '{\n  "version": 1,\n  "findings": []\n}\n\n'})
    repo.commit("reformat the baseline", author=MALLORY)
    _, found = judge(repo)
    assert codes(found) == ["RW407"], found
    out = approve(run_cli, repo, "--governance", "--by", "@bob")
    assert "config/baseline.json" in out, out
    repo.commit("governance approval", author=BOB)
    assert judge(repo) == (0, [])


def test_a_ledger_that_is_a_link_edited_at_its_target_is_a_ledger_edit(credit_repo, judge, run_cli):
    """A hand-made ledger link (``approve`` refuses to write through one): the entries are read
    through it, so rewriting them at the target is rewriting the ledger."""
    credit_repo.write(
        {"models/credit/model.onnx": b"v2\n", "models/credit/MODEL_CARD.md": card("1.1.0")}
    )
    credit_repo.commit("retrain", author=MALLORY)
    approve(run_cli, credit_repo, "credit", "--by", "@alice", "--ticket", "CHG-7")
    ledger = credit_repo.path / "models/credit/APPROVALS.yaml"
    store = credit_repo.path / "store/credit-approvals.yaml"
    store.parent.mkdir()
    store.write_text(ledger.read_text())
    ledger.unlink()
    os.symlink("../../store/credit-approvals.yaml", ledger)
    credit_repo.commit("approve", author=ALICE)
    credit_repo.git("branch", "-f", "base")
    store.write_text(store.read_text().replace("CHG-7", "CHG-8"))
    credit_repo.commit("rewrite history", author=MALLORY)
    _, found = judge(credit_repo)
    assert "RW409" in codes(found), found


def test_a_dvc_file_linked_out_of_the_repository_is_a_finding(credit_repo, judge, tmp_path):
    """What it records lives outside git: it can change with no change to judge."""
    outside = tmp_path / "elsewhere.dvc"
    outside.write_text("outs:\n- md5: " + A + "\n  size: 1234\n  hash: md5\n  path: model.pkl\n")
    os.symlink(outside, credit_repo.path / "models/credit/model.pkl.dvc")
    credit_repo.commit("track through a shared mount", author=ALICE)
    credit_repo.git("branch", "-f", "base")
    runbook = credit_repo.path / "models/credit/RUNBOOK.md"
    runbook.write_text(runbook.read_text() + "\nPage @bob too.\n")
    credit_repo.commit("runbook", author=MALLORY)
    _, found = judge(credit_repo)
    assert any(c == "RW401" and "model.pkl.dvc is a symlink out of" in m for c, _, m in found), (
        found
    )

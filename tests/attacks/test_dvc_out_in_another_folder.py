"""Near variants of ``test_dvc_file_approved_by_its_folder`` and ``test_dvc_lock_at_the_root``:
a DVC file's outputs belong to the component holding them, wherever the file sits. Real git
repositories, the real CLI."""

from __future__ import annotations

import os

from testing.gitrepo import GitRepo

from tests.change.conftest import ALICE, MALLORY, approve, base_files, card, codes

DVC = "outs:\n- md5: {md5}\n  size: 1234\n  hash: md5\n  path: {path}\n"
A, B = "a" * 32, "b" * 32
FRAUD = {
    "models/fraud/model.onnx": b"fraud-weights\n",
    "models/fraud/MODEL_CARD.md": card().replace("# Credit model", "# Fraud model"),
    "models/fraud/RUNBOOK.md": base_files()["models/credit/RUNBOOK.md"],
    "models/fraud/ROLLBACK.md": base_files()["models/credit/ROLLBACK.md"],
    "models/fraud/data_contract.yaml": base_files()["models/credit/data_contract.yaml"],
}


def _lock(stages: dict[str, tuple[str, str]]) -> str:
    """A dvc.lock with one stage per name → (out path, md5)."""
    text = "schema: '2.0'\nstages:\n"
    for name, (path, md5) in stages.items():
        text += f"  {name}:\n    cmd: python train.py\n    outs:\n"
        text += f"    - path: {path}\n      md5: {md5}\n      size: 1234\n"
    return text


def _repo(make_repo, extra: dict[str, str | bytes | None]) -> GitRepo:
    files = base_files()
    files.update(extra)
    repo: GitRepo = make_repo(files)
    repo.git("branch", "base")
    return repo


def _rw401(found: list[tuple[str, str, str]]) -> list[str]:
    return [m for c, _, m in found if c == "RW401"]


def test_a_dvc_out_escaping_the_repository_is_a_finding(make_repo, judge):
    out = "../../../models/credit/model.pkl"  # one `..` too many from models/credit/
    repo = _repo(make_repo, {"models/credit/model.pkl.dvc": DVC.format(md5=A, path="model.pkl")})
    repo.write({"models/credit/model.pkl.dvc": DVC.format(md5=B, path=out)})
    repo.commit("retrain", author=MALLORY)
    code, found = judge(repo)
    assert any("no path in the repository" in m and out in m for m in _rw401(found)), found
    assert code == 1


def test_an_approved_dvc_out_escaping_the_repository_is_still_a_finding(make_repo, judge, run_cli):
    out = "../../../weights/model.pkl"
    repo = _repo(make_repo, {"models/credit/model.pkl.dvc": DVC.format(md5=A, path="model.pkl")})
    repo.write({"models/credit/model.pkl.dvc": DVC.format(md5=B, path=out)})
    repo.add_all()
    approve(run_cli, repo, "models/credit", "--by", "@alice")
    repo.commit("retrain, approved", author=ALICE)
    code, found = judge(repo)
    assert [m for m in _rw401(found) if "no path in the repository" in m], found
    assert code == 1


def test_a_root_lock_with_outs_in_two_components_needs_both(make_repo, judge):
    outs = {"credit": ("models/credit/model.pkl", A), "fraud": ("models/fraud/model.pkl", A)}
    repo = _repo(make_repo, {**FRAUD, "dvc.lock": _lock(outs)})
    outs = {"credit": ("models/credit/model.pkl", B), "fraud": ("models/fraud/model.pkl", B)}
    repo.write({"dvc.lock": _lock(outs)})
    repo.commit("dvc repro", author=MALLORY)
    code, found = judge(repo)
    messages = _rw401(found)
    assert any("models/credit/model.pkl" in m for m in messages), found
    assert any("models/fraud/model.pkl" in m for m in messages), found
    assert code == 1


def test_a_root_lock_retraining_one_component_leaves_the_other_alone(make_repo, judge):
    outs = {"credit": ("models/credit/model.pkl", A), "fraud": ("models/fraud/model.pkl", A)}
    repo = _repo(make_repo, {**FRAUD, "dvc.lock": _lock(outs)})
    outs = {"credit": ("models/credit/model.pkl", A), "fraud": ("models/fraud/model.pkl", B)}
    repo.write({"dvc.lock": _lock(outs)})
    repo.commit("dvc repro fraud", author=MALLORY)
    code, found = judge(repo)
    messages = _rw401(found)
    assert any("models/fraud/model.pkl" in m for m in messages), found
    assert not any("models/credit" in m for m in messages), found
    assert code == 1


def test_a_root_lock_stage_removed_is_a_change_of_its_component(make_repo, judge):
    outs = {"credit": ("models/credit/model.pkl", A), "other": ("data/features.parquet", A)}
    repo = _repo(make_repo, {"dvc.lock": _lock(outs)})
    repo.write({"dvc.lock": _lock({"other": ("data/features.parquet", A)})})
    repo.commit("drop the credit stage", author=MALLORY)
    code, found = judge(repo)
    assert any("models/credit/model.pkl" in m for m in _rw401(found)), found
    assert code == 1


def test_a_root_lock_reformatted_is_no_change(make_repo, judge):
    outs = {"credit": ("models/credit/model.pkl", A)}
    repo = _repo(make_repo, {"dvc.lock": _lock(outs)})
    repo.write({"dvc.lock": "# written by dvc\n" + _lock(outs)})
    repo.commit("comment", author=MALLORY)
    _, found = judge(repo)
    assert "RW401" not in codes(found), found


def test_a_lock_stage_wdir_in_dvc_yaml_places_its_outs(make_repo, judge):
    """``wdir: models/credit`` in dvc.yaml: the lock's ``scores.out`` is the credit model's."""
    dvc_yaml = "stages:\n  train:\n    wdir: models/credit\n    cmd: python train.py\n"
    dvc_yaml += "    outs:\n    - scores.out\n"
    repo = _repo(make_repo, {"dvc.yaml": dvc_yaml, "dvc.lock": _lock({"train": ("scores.out", A)})})
    repo.write({"dvc.lock": _lock({"train": ("scores.out", B)})})
    repo.commit("dvc repro", author=MALLORY)
    code, found = judge(repo)
    assert any("models/credit/scores.out" in m for m in _rw401(found)), found
    assert code == 1


def test_a_dvc_out_through_a_linked_folder_reaches_the_component(make_repo, judge):
    repo = _repo(make_repo, {"data/credit.dvc": DVC.format(md5=A, path="../serving/model.pkl")})
    os.symlink("models/credit", repo.path / "serving")
    repo.commit("serve the credit model")
    repo.git("branch", "-f", "base")
    repo.write({"data/credit.dvc": DVC.format(md5=B, path="../serving/model.pkl")})
    repo.commit("retrain", author=MALLORY)
    code, found = judge(repo)
    assert any("models/credit/model.pkl" in m for m in _rw401(found)), found
    assert code == 1


def test_an_old_approval_of_the_component_does_not_cover_an_outside_dvc_change(
    make_repo, judge, run_cli
):
    """The credit model was approved before (same files in its folder); a .dvc file outside
    it then records new weights: the old entry's digest must not match."""
    repo = _repo(make_repo, {"data/credit.dvc": DVC.format(md5=A, path="../models/credit/m.pkl")})
    repo.write({"models/credit/model.onnx": b"weights-v2\n"})
    repo.add_all()
    approve(run_cli, repo, "models/credit", "--by", "@alice")
    repo.commit("new weights, approved", author=ALICE)
    repo.git("branch", "-f", "base")
    repo.write({"data/credit.dvc": DVC.format(md5=B, path="../models/credit/m.pkl")})
    repo.commit("retrain through the data folder", author=MALLORY)
    code, found = judge(repo)
    assert any("data/credit.dvc (outside the component)" in m for m in _rw401(found)), found
    assert code == 1


def test_the_owners_approval_covers_an_outside_dvc_change(make_repo, judge, run_cli):
    """Both folders are components (a .dvc file tracking weights marks its own): each one's
    owner approves, and the credit approval names the .dvc file it is bound to."""
    codeowners = base_files()[".github/CODEOWNERS"]
    repo = _repo(
        make_repo,
        {
            "data/credit.dvc": DVC.format(md5=A, path="../models/credit/m.pkl"),
            ".github/CODEOWNERS": f"{codeowners}/data/ @bob\n",
        },
    )
    repo.write({"data/credit.dvc": DVC.format(md5=B, path="../models/credit/m.pkl")})
    repo.commit("retrain through the data folder", author=MALLORY)
    out = approve(run_cli, repo, "models/credit", "--by", "@alice")
    assert "data/credit.dvc" in out, out
    approve(run_cli, repo, "data", "--by", "@bob")
    repo.commit("approve", author=ALICE)
    _, found = judge(repo)
    assert "RW401" not in codes(found), found


def test_a_lock_out_under_a_templated_wdir_is_a_finding(make_repo, judge):
    """Where ``wdir: ${...}`` puts a stage's outputs only DVC's templating knows: reported,
    never guessed to be beside the lock."""
    dvc_yaml = "stages:\n  train:\n    wdir: ${where}\n    cmd: python train.py\n"
    dvc_yaml += "    outs:\n    - scores.out\n"
    lock = _lock({"train": ("scores.out", A)})
    repo = _repo(make_repo, {"models/credit/dvc.yaml": dvc_yaml, "models/credit/dvc.lock": lock})
    repo.write({"models/credit/dvc.lock": _lock({"train": ("scores.out", B)})})
    repo.commit("dvc repro", author=MALLORY)
    code, found = judge(repo)
    assert any("no path in the repository" in m for m in _rw401(found)), found
    assert code == 1

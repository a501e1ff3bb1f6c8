"""A root ``dvc.lock`` larger than ``limits.max_file_size`` (5 MiB by default; a long
comment, or simply a big pipeline) is unreadable to roadworthy on both sides of a change, and a
change whose DVC file cannot be read on either side is skipped: the credit stage's new md5 goes
unreviewed. DVC reads the file whatever its size. Real git repositories, the real CLI."""

from __future__ import annotations

from testing.gitrepo import GitRepo

from tests.change.conftest import MALLORY, base_files

A, B = "a" * 32, "b" * 32
PADDING = "# " + "x" * 1022 + "\n"  # 1 KiB a line


def _lock(md5: str) -> str:
    text = "schema: '2.0'\nstages:\n  credit:\n    cmd: python train.py\n    outs:\n"
    text += f"    - path: models/credit/model.pkl\n      md5: {md5}\n      size: 1234\n"
    return text + PADDING * 5200


def test_a_root_lock_over_the_size_cap_still_moves_the_component(make_repo, judge):
    files = base_files()
    files["dvc.lock"] = _lock(A)
    repo: GitRepo = make_repo(files)
    repo.git("branch", "base")
    repo.write({"dvc.lock": _lock(B)})
    repo.commit("dvc repro", author=MALLORY)
    code, found = judge(repo)
    assert any(c == "RW401" and "models/credit" in m for c, _, m in found), found
    assert code == 1

"""A ``dvc.lock``'s output paths are relative to each stage's ``wdir``, which only the
``dvc.yaml`` beside it declares. When that ``dvc.yaml`` cannot be read (over
``limits.max_file_size``: a long comment, or a big pipeline) every stage's ``wdir`` silently
falls back to ``.``; the lock itself is readable, so nothing fails closed. A stage that writes
the credit model's weights from ``pipelines/`` with ``wdir: ../models/credit`` is then placed in
``pipelines/``, and a pull request changing its md5 in the lock moves no component. DVC reads
the file whatever its size. Attack round 9; real git repositories, the real CLI."""

from __future__ import annotations

import pytest
from testing.gitrepo import GitRepo

from tests.change.conftest import MALLORY, base_files

A, B = "a" * 32, "b" * 32
PADDING = "# " + "x" * 1022 + "\n"  # 1 KiB a line
PIPELINE = "stages:\n  credit:\n    wdir: ../models/credit\n    cmd: python train.py\n    outs:\n    - model.pkl\n"


def _lock(md5: str) -> str:
    text = "schema: '2.0'\nstages:\n  credit:\n    cmd: python train.py\n    outs:\n"
    return text + f"    - path: model.pkl\n      md5: {md5}\n      size: 1234\n"


@pytest.mark.parametrize("pages", [0, 5200], ids=["readable", "over-the-cap"])
def test_the_lock_moves_the_component_its_stage_writes(make_repo, judge, pages: int):
    files = base_files()
    files["pipelines/dvc.yaml"] = PIPELINE + PADDING * pages
    files["pipelines/dvc.lock"] = _lock(A)
    repo: GitRepo = make_repo(files)
    repo.git("branch", "base")
    repo.write({"pipelines/dvc.lock": _lock(B)})
    repo.commit("dvc repro", author=MALLORY)
    code, found = judge(repo)
    assert any(c == "RW401" and "models/credit" in m for c, _, m in found), found
    assert code == 1

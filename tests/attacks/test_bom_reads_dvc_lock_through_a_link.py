"""``roadworthy bom``, attacked through ``dvc.lock`` (and a ``.dvc`` marker). The BOM reads a ``dvc.yaml``'s lock file
straight from the work tree, without the "never through a link out of the repository" guard its
weights files get. A hostile repository commits ``dvc.lock`` as a link: to a file outside the
repository, whose recorded digests then appear in the BOM as the component's; or to
``/dev/zero``, which ``bom`` reads until memory runs out (a crash, or the machine's OOM killer
on a CI runner without a limit)."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

from testing.gitrepo import GitRepo

DVC_YAML = "stages:\n  train:\n    cmd: python train.py\n    outs: [model.pt]\n"
OUTSIDE = """\
stages:
  train:
    outs:
    - path: model.pt
      md5: 0123456789abcdef0123456789abcdef
      size: 42
"""


def _repo(tmp_path: Path, target: str) -> GitRepo:
    repo = GitRepo.init(tmp_path / "repo", {"models/churn/dvc.yaml": DVC_YAML})
    os.symlink(target, repo.path / "models/churn/dvc.lock")
    repo.commit("churn model, its lock file a link")
    return repo


def test_a_lock_file_outside_the_repository_is_not_read(tmp_path: Path, run_cli):
    (tmp_path / "outside.yaml").write_text(OUTSIDE)
    repo = _repo(tmp_path, "../../../outside.yaml")
    result = run_cli("bom", cwd=repo.path)
    assert result.exit_code == 0, result.err
    assert "0123456789abcdef0123456789abcdef" not in result.out  # not the repository's


def _limit_memory() -> None:
    limit = 1 << 30  # 1 GiB: enough for roadworthy, and the test cannot take the machine down
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def test_a_lock_file_linked_to_dev_zero_neither_hangs_nor_crashes(tmp_path: Path):
    _bom_survives(_repo(tmp_path, "/dev/zero"))


def test_a_dvc_marker_linked_to_dev_zero_neither_hangs_nor_crashes(tmp_path: Path):
    # Named like the weights it tracks, it marks the component without being read (discovery).
    repo = GitRepo.init(tmp_path / "repo", {"models/churn/README.md": "# Churn\n"})
    os.symlink("/dev/zero", repo.path / "models/churn/model.pkl.dvc")
    repo.commit("churn model, its .dvc file a link")
    _bom_survives(repo)


def _bom_survives(repo: GitRepo) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "roadworthy", "bom"],
        cwd=repo.path,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=_limit_memory,
    )
    assert "internal error" not in proc.stderr, proc.stderr
    assert proc.returncode in (0, 1, 2), proc.stderr

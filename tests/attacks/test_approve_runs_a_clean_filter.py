"""``approve`` refuses files with unstaged changes by asking ``git diff-files``. For an index
entry that is racily clean (its recorded mtime not older than the index itself, as after a
fresh clone or checkout in the same instant, or a file dated ahead) git cannot trust the stat
data and hashes the work-tree file again, through the clean filter the attributes select. The
filter's program comes from ``.git/config`` (``filter.<name>.clean``), which SAFE_CONFIG and
NO_TRANSPORT do not pin, so an approver of a cloned or copied repository runs the program the
repository names. Attack round 9; real git repository, the real CLI."""

from __future__ import annotations

import os
import time
from pathlib import Path

from testing.gitrepo import GitRepo

from tests.change.conftest import approve


def test_approve_runs_no_filter_the_repository_names(
    credit_repo: GitRepo, run_cli, tmp_path: Path
) -> None:
    ran = tmp_path / "ran"
    program = tmp_path / "filter.sh"
    program.write_text(f"#!/bin/sh\ntouch '{ran}'\nexec cat\n")
    program.chmod(0o755)
    credit_repo.git("config", "filter.x.clean", str(program))
    credit_repo.git("config", "filter.x.smudge", "cat")
    (credit_repo.path / ".git" / "info" / "attributes").write_text("* filter=x\n")
    # The new weights are staged with a file time ahead of the index: racily clean.
    weights = credit_repo.path / "models" / "credit" / "model.onnx"
    weights.write_bytes(b"weights-v2\n")
    later = time.time() + 3600
    os.utime(weights, (later, later))
    credit_repo.git("add", "models/credit/model.onnx")
    ran.unlink(missing_ok=True)  # `git add` itself ran the filter, as it should

    approve(run_cli, credit_repo, "models/credit", "--by", "@alice")
    assert not ran.exists(), "approve ran the clean filter .git/config names"

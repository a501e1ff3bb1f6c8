"""A ``.git`` can arrive with the repository (an archive, a restored CI cache, a copied work
tree) and unpacks as the user's own files (docs/security.md): ``.git/roadworthy/`` then holds
what the archive's author put there. Kept entries are named by the tree id and the marker
patterns, both known to anyone who has the repository. An entry planted as a FIFO passes every
test that comes before reading it (the folder is the user's, the name is no symlink) and is
opened for reading without ``O_NONBLOCK``: the open waits for a writer that never comes, and
every diff-mode check of the repository hangs until the job's time limit, where an entry that
is not a regular file of the user's should be ignored and rebuilt from git."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.change.conftest import MALLORY

TIME_LIMIT = 30  # seconds; the check takes well under one


def test_a_kept_entry_that_is_a_fifo_does_not_hang_the_check(credit_repo):
    repo = credit_repo
    repo.write({"models/credit/RUNBOOK.md": "# Runbook\n\n## Alerts\nPages on-call.\n"})
    repo.commit("runbook", author=MALLORY)
    command = [sys.executable, "-m", "roadworthy", "check", "--diff", "base"]
    first = subprocess.run(command, cwd=repo.path, capture_output=True, timeout=TIME_LIMIT)
    assert first.returncode in (0, 1), first.stderr
    kept = repo.path / ".git" / "roadworthy"
    entries = [p for p in kept.iterdir() if p.suffix == ".json"]
    assert entries  # the first check kept the base's and the head's
    for entry in entries:  # what the archive's author put there instead
        entry.unlink()
        os.mkfifo(entry, 0o600)

    try:
        again = subprocess.run(command, cwd=repo.path, capture_output=True, timeout=TIME_LIMIT)
    except subprocess.TimeoutExpired:
        raise AssertionError(f"the check hung for {TIME_LIMIT} s on a planted FIFO") from None
    assert again.returncode == first.returncode, again.stderr

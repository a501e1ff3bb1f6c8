"""Where a change's ``--baseline FILE`` comes from: the base revision, never the change.

A baseline excuses the findings it records. Named on the command line (CI runs
``check --diff origin/main --baseline ci/baseline.json``), the file is no governance file the
policy knows of, so a pull request could record its own gate failure in it and pass. Read as the
base has it, as a ``--policy`` inside the repository is, an edit to it takes effect once it is
reviewed and merged, and the change that makes it is judged without it. A symlink is followed
inside the base's tree only: re-pointing it, or editing what it leads to, changes nothing here.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from roadworthy.errors import Location, UsageError
from roadworthy.records import NamedTuple
from roadworthy.workspace import git
from roadworthy.workspace.worktree import ArtifactError, decode

if TYPE_CHECKING:
    from roadworthy.workspace.changes import Sides


class BaseBaseline(NamedTuple):
    text: str | None  # None: the base has no such file
    label: str  # the base revision, as messages name it


def repository_path(explicit: str, root: Path, cwd: Path) -> str | None:
    """The repository path named on the command line, its symlinks not followed (the base's
    own links are what count, not the work tree's); None when the name is outside."""
    for folder in (str(cwd), os.path.realpath(cwd)):
        full = os.path.normpath(Path(folder) / explicit)
        for top in (str(root), os.path.realpath(root)):
            relative = os.path.relpath(full, top)
            if relative != ".." and not relative.startswith(f"..{os.sep}"):
                return Path(relative).as_posix()
    return None


def baseline_at_base(
    root: Path, path: str, sides_of: Callable[[git.ObjectReader], Sides]
) -> BaseBaseline:
    """The baseline at ``path`` as the base revision of the change has it. A file that cannot
    be read there (a symlink out of the repository, binary) is a usage error at the file."""
    objects = git.ObjectReader(root)
    try:
        base = sides_of(objects).base
        label = f"the base revision ({base.label})"
        if not base.exists(path):
            return BaseBaseline(None, label)
        try:
            return BaseBaseline(decode(path, base.read_bytes(path)), label)
        except ArtifactError as exc:
            where = Location(path, exc.line)
            raise UsageError(f"{where}: baseline: {exc.message} (in {label})") from None
    finally:
        objects.close()

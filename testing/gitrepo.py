"""Real git repositories for tests, made reproducible: pinned identity, dates, branch and config.

Commit N is dated BASE_DATE + N minutes unless a date is given, so the same sequence of
operations gives the same commit ids on every machine.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from collections.abc import Mapping
from pathlib import Path

AUTHOR = ("Ada Lovelace", "ada@example.com")
BASE_DATE = dt.datetime(2026, 11, 1, 12, 0, tzinfo=dt.timezone.utc)

# The environment every git command of a test runs in (also exported for roadworthy itself by
# tests/conftest.py): no user or system config can change what git does.
GIT_ENV = {
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": AUTHOR[0],
    "GIT_AUTHOR_EMAIL": AUTHOR[1],
    "GIT_COMMITTER_NAME": AUTHOR[0],
    "GIT_COMMITTER_EMAIL": AUTHOR[1],
    "GIT_TERMINAL_PROMPT": "0",
    "LC_ALL": "C",
}

Files = Mapping[str, "str | bytes | None"]


class GitRepo:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._commits = 0

    @classmethod
    def init(cls, path: Path, files: Files | None = None, *, message: str = "initial") -> GitRepo:
        path.mkdir(parents=True, exist_ok=True)
        repo = cls(path)
        repo.git("-c", "init.defaultBranch=main", "init", "-q")
        repo.git("config", "commit.gpgsign", "false")
        repo.git("config", "core.autocrlf", "false")
        if files:
            repo.write(files)
            repo.commit(message)
        return repo

    def git(self, *args: str, env: Mapping[str, str] | None = None, check: bool = True) -> str:
        full_env = {**os.environ, **GIT_ENV, **(env or {})}
        proc = subprocess.run(
            ["git", *args], cwd=self.path, env=full_env, capture_output=True, text=True, check=False
        )
        if check and proc.returncode != 0:
            raise AssertionError(f"git {' '.join(args)} failed: {proc.stderr.strip()}")
        return proc.stdout

    def write(self, files: Files) -> None:
        """Write files (None deletes one); does not stage."""
        for rel, content in files.items():
            target = self.path / rel
            if content is None:
                target.unlink()
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_text(content, encoding="utf-8", newline="\n")

    def add_all(self) -> None:
        self.git("add", "-A")

    def commit(
        self,
        message: str = "change",
        *,
        author: tuple[str, str] | None = None,
        date: dt.datetime | None = None,
        stage_all: bool = True,
        extra_args: tuple[str, ...] = (),
    ) -> str:
        if stage_all:
            self.add_all()
        self._commits += 1
        when = (date or BASE_DATE + dt.timedelta(minutes=self._commits)).isoformat()
        env = {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
        if author is not None:
            env |= {"GIT_AUTHOR_NAME": author[0], "GIT_AUTHOR_EMAIL": author[1]}
        self.git("commit", "-q", "--allow-empty", "-m", message, *extra_args, env=env)
        return self.head

    @property
    def head(self) -> str:
        return self.git("rev-parse", "HEAD").strip()


def files_of(folder: Path, *, text: bool = True) -> dict[str, str | bytes]:
    """Every file under ``folder`` by its POSIX path relative to it, as text (or bytes): a golden
    case's repository, to build a real one from and change."""
    return {
        p.relative_to(folder).as_posix(): p.read_text() if text else p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }

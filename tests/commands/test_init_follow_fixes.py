"""Following `init`'s fixes never makes things worse: on the demo repository, running
`roadworthy init --yes` removes the missing-artifact findings it answers and adds only findings
about the TODOs in the files it wrote ("fill in" findings the templates name)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from testing.gitrepo import GitRepo

ROOT = Path(__file__).resolve().parents[2]


def _findings(run_cli: Any, repo: GitRepo) -> set[tuple[str, str, str, int]]:
    result = run_cli("check", "--format", "json", "--as-of", "2026-11-21", cwd=repo.path)
    return {
        (f["code"], f["path"], f["message"], f["line"])
        for f in json.loads(result.out)["findings"]
        if f["waived_by"] is None
    }


def test_init_adds_only_fill_in_findings_in_the_files_it_wrote(tmp_path: Path, run_cli):
    target = tmp_path / "demo"
    shutil.copytree(ROOT / "fixtures" / "demo", target)
    repo = GitRepo.init(target)
    repo.commit("demo")
    before = _findings(run_cli, repo)
    result = run_cli("init", "--yes", cwd=repo.path)
    assert result.exit_code == 0, result.err
    written = {
        line.split("created ", 1)[1].strip()
        for line in (result.out + result.err).splitlines()
        if "created " in line
    }
    assert written, result.out + result.err
    repo.commit("init")
    after = _findings(run_cli, repo)
    assert {c for c, *_ in before - after} >= {"RW102", "RW103", "RW104"}  # what init answers
    for code, path, message, _line in sorted(after - before):
        # Every new finding is about a file init wrote, which still holds its TODOs.
        assert path in written, (code, path, message)
        assert "TODO" in (repo.path / path).read_text(), (code, path, message)

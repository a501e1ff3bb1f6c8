"""Golden end-to-end cases: each directory under tests/cases/<RULE-name>/<case>/ is one test.

A case holds ``repo/`` (the files of the first commit), optionally ``change/`` (an overlay
committed as a second commit; ``change/.deleted`` lists paths to remove; with a file ``staged``
in the case the overlay is only staged), ``args`` (extra arguments to ``roadworthy check``, one a
line), and the expected results: ``expected.txt`` (text output, the stderr summary and the exit
code) and ``expected.json``. ``pytest --update-golden`` rewrites them; review the diff.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from testing.gitrepo import GitRepo

CASES = Path(__file__).parent / "cases"
REPORT_SCHEMA = json.loads(
    (Path(__file__).parents[1] / "src/roadworthy/schemas/report.schema.json").read_text()
)


def _cases() -> list[pytest.param]:
    return [
        pytest.param(case, id=f"{case.parent.name}/{case.name}")
        for case in sorted(CASES.glob("*/*"))
        if (case / "repo").is_dir()
    ]


def build(case: Path, where: Path) -> GitRepo:
    # copy, not copy2: a file copied with its old modification time and an unchanged size looks
    # unchanged to git, and the change would silently not be committed.
    repo = GitRepo.init(where)
    shutil.copytree(case / "repo", where, dirs_exist_ok=True, copy_function=shutil.copy)
    repo.commit("initial")
    change = case / "change"
    if change.is_dir():
        deleted = change / ".deleted"
        for rel in deleted.read_text().split() if deleted.is_file() else ():
            (where / rel).unlink()
        shutil.copytree(
            change,
            where,
            dirs_exist_ok=True,
            ignore=shutil.ignore_patterns(".deleted"),
            copy_function=shutil.copy,
        )
        if (case / "staged").is_file():
            repo.add_all()
        else:
            repo.commit("change")
    return repo


def _args(case: Path) -> list[str]:
    path = case / "args"
    return [a for a in path.read_text().splitlines() if a.strip()] if path.is_file() else []


@pytest.mark.parametrize("case", _cases())
def test_case(case: Path, tmp_path: Path, run_cli, request: pytest.FixtureRequest) -> None:
    repo = build(case, tmp_path / "repo")
    args = _args(case)
    text = run_cli("check", *args, cwd=repo.path)
    as_json = run_cli("check", *args, "--format", "json", cwd=repo.path)
    assert text.exit_code == as_json.exit_code
    transcript = f"$ roadworthy check {' '.join(args)}".rstrip() + "\n"
    transcript += f"{text.out}{text.err}exit {text.exit_code}\n"
    got_json = json.loads(as_json.out) if as_json.out else None
    if got_json is not None:
        Draft202012Validator(REPORT_SCHEMA).validate(got_json)
        # Stable across releases: the version and the digest of the shipped presets.
        got_json["tool"]["version"] = "<version>"
        got_json["policy"]["digest"] = "<digest>"
    update = request.config.getoption("--update-golden")
    _compare(case / "expected.txt", transcript, update)
    if got_json is not None:
        _compare(case / "expected.json", json.dumps(got_json, indent=2) + "\n", update)


def _compare(path: Path, actual: str, update: bool) -> None:
    actual = actual.replace("\r\n", "\n")
    if update:
        path.write_text(actual, encoding="utf-8")
        return
    assert path.is_file(), f"{path} missing: run pytest --update-golden and review it"
    assert actual == path.read_text(encoding="utf-8")

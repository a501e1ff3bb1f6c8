from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the `testing` helper package

from testing.gitrepo import GIT_ENV, GitRepo  # noqa: E402

# The shared corpus of real third-party files sits beside the checkout in development and CI;
# tests that read it skip cleanly where it is absent (e.g. an sdist build).
CORPUS = ROOT.parent / "shared" / "corpus"
TODAY = "2026-11-21"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden", action="store_true", help="rewrite tests/cases expected files"
    )


@pytest.fixture(scope="session")
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip("shared corpus not available")
    return CORPUS


@pytest.fixture(scope="session")
def _user_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("xdg-cache")


@pytest.fixture(autouse=True)
def _pinned_environment(monkeypatch: pytest.MonkeyPatch, _user_cache: Path) -> None:
    # roadworthy runs git in-process during tests: keep the developer's git config, colours
    # and the real date out of every result, and the developer's cache folder (the tree
    # cache's key) untouched.
    for key, value in GIT_ENV.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("XDG_CACHE_HOME", str(_user_cache))
    monkeypatch.setenv("ROADWORTHY_TODAY", TODAY)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.delenv("PRE_COMMIT_FROM_REF", raising=False)
    monkeypatch.delenv("PRE_COMMIT_TO_REF", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")


@pytest.fixture()
def make_repo(tmp_path: Path) -> Callable[..., GitRepo]:
    counter = iter(range(1000))

    def make(
        files: dict[str, str | bytes | None] | None = None, name: str | None = None
    ) -> GitRepo:
        return GitRepo.init(tmp_path / (name or f"repo{next(counter)}"), files or {})

    return make


@dataclass
class Result:
    exit_code: int
    out: str
    err: str


@pytest.fixture()
def run_cli(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[..., Result]]:
    from roadworthy.cli import main

    def run(*argv: str, cwd: Path | None = None) -> Result:
        if cwd is not None:
            monkeypatch.chdir(cwd)
        capsys.readouterr()
        code = main(list(argv))
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    yield run


@pytest.fixture(scope="session")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # The real pre-commit keeps hook environments in PRE_COMMIT_HOME (default ~/.cache): one
    # store per session builds roadworthy's hook environment once (~10 s, STYLE.md §4.4) and
    # never touches the developer's cache.
    return tmp_path_factory.mktemp("pre-commit-home")

from __future__ import annotations

import json
import select
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from testing.gitrepo import GitRepo

HERE = Path(__file__).parent

# A small policy of our own, so these tests do not move with the shipped preset: a model card
# is required (error, governance), a rollback plan is expected (warning, operations).
POLICY = """\
version: 1
artifacts:
  model_card: [MODEL_CARD.md]
  rollback_plan: [ROLLBACK.md]
rules:
  ACME101:
    name: missing-model-card
    check: file-exists
    options: {artifact: model_card}
    dimension: governance
  ACME102:
    name: missing-rollback-plan
    check: file-exists
    options: {artifact: rollback_plan}
    dimension: operations
    severity: warning
"""
BROKEN_POLICY = POLICY.replace("severity: warning", "severity: fatal")
CARD = "# churn\n\nA model.\n"


@dataclass
class Org:
    root: Path  # the folder the scan runs in; targets are relative to it
    repos: dict[str, GitRepo]

    def url(self, name: str) -> str:
        return (self.root / name).as_uri()


def component(name: str, *, card: bool = True, rollback: bool = True) -> dict[str, str]:
    files = {f"models/{name}/model.onnx": "onnx"}
    if card:
        files[f"models/{name}/MODEL_CARD.md"] = CARD
    if rollback:
        files[f"models/{name}/ROLLBACK.md"] = "# Rollback\n\nRedeploy the previous tag.\n"
    return files


@pytest.fixture()
def org(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Org:
    """clean (ok), findings (an error), broken (invalid policy), plain (not git; a warning)."""
    root = tmp_path / "org"
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    repos = {
        "clean": GitRepo.init(root / "clean", {"roadworthy.yaml": POLICY, **component("churn")}),
        "findings": GitRepo.init(
            root / "findings", {"roadworthy.yaml": POLICY, **component("fraud", card=False)}
        ),
        "broken": GitRepo.init(
            root / "broken", {"roadworthy.yaml": BROKEN_POLICY, **component("churn")}
        ),
    }
    plain = root / "plain"
    for rel, text in {"roadworthy.yaml": POLICY, **component("ranker", rollback=False)}.items():
        (plain / rel).parent.mkdir(parents=True, exist_ok=True)
        (plain / rel).write_text(text)
    return Org(root, repos)


def read_report(folder: Path) -> dict:
    return json.loads((folder / "scan.json").read_text())


def by_target(report: dict) -> dict[str, dict]:
    return {r["target"]: r for r in report["repositories"]}


@dataclass
class HangServer:
    url: str
    process: subprocess.Popen[bytes]  # unbuffered: select() sees every line

    def next_event(self, timeout: float = 10.0) -> str | None:
        """``open`` or ``closed`` for the next connection event, None if none comes in time."""
        assert self.process.stdout is not None
        ready, _, _ = select.select([self.process.stdout], [], [], timeout)
        return self.process.stdout.readline().decode().strip() if ready else None


@pytest.fixture()
def hang_server() -> Iterator[Callable[[], HangServer]]:
    started: list[subprocess.Popen[bytes]] = []

    def start() -> HangServer:
        proc = subprocess.Popen(
            [sys.executable, str(HERE / "hang_server.py")], stdout=subprocess.PIPE, bufsize=0
        )
        started.append(proc)
        assert proc.stdout is not None
        port = proc.stdout.readline().decode().strip()
        return HangServer(f"http://127.0.0.1:{port}/org/hung.git", proc)

    yield start
    for proc in started:
        proc.kill()
        proc.communicate()

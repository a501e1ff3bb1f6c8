"""`scan --jobs`: cores the pool of repositories leaves idle check a large repository's
components, and the report does not change."""

from __future__ import annotations

import pytest

from roadworthy import forkpool
from roadworthy.scan.run import per_repository


@pytest.mark.parametrize(
    ("jobs", "repositories", "share"),
    [
        pytest.param(4, 1, 4, id="one-repository-all-cores"),
        pytest.param(4, 2, 2, id="two-share-four"),
        pytest.param(4, 3, 1, id="three-of-four-one-each"),
        pytest.param(4, 200, 1, id="many-one-each"),
        pytest.param(1, 1, 1, id="one-job"),
        pytest.param(2, 0, 2, id="nothing-to-scan"),
    ],
)
def test_per_repository_share(jobs: int, repositories: int, share: int) -> None:
    assert per_repository(jobs, repositories) == share


@pytest.mark.skipif(not forkpool.available(), reason="workers are forked on Linux")
def test_one_large_repository_is_checked_by_every_job(make_repo, run_cli, tmp_path, monkeypatch):
    calls = tmp_path / "pools"
    real = forkpool.run

    def counted(func, count, processes):  # runs in the scan's worker process: noted in a file
        with calls.open("a") as f:
            f.write(f"{processes}\n")
        return real(func, count, processes)

    monkeypatch.setattr(forkpool, "run", counted)
    files = {f"models/m{i:03d}/model.onnx": "weights\n" for i in range(210)}
    files |= {f"models/m{i:03d}/MODEL_CARD.md": "# Card\n" for i in range(0, 210, 3)}
    repo = make_repo(files, name="big")
    reports = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}"
        result = run_cli("scan", str(repo.path), "--jobs", jobs, "-q", "-o", str(out))
        assert result.exit_code == 1
        reports[jobs] = (out / "scan.json").read_bytes()
    assert calls.read_text() == "2\n"  # not with --jobs 1
    assert reports["2"] == reports["1"]
    assert b'"m209"' in reports["1"]

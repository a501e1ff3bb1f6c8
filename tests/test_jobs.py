"""``check --jobs``: a full check split among forked workers says exactly what one process says."""

from __future__ import annotations

import itertools
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from testing.gitrepo import GitRepo

from roadworthy import engine, forkpool

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "fixtures" / "demo"
GENERATOR = ROOT.parent / "shared" / "bench" / "gen_repo.py"
FORMATS = ("json", "sarif", "text", "github", "markdown", "junit")

pytestmark = pytest.mark.skipif(not forkpool.available(), reason="workers are forked on Linux")


@pytest.fixture(autouse=True)
def _crash_files_in_tmp(tmp_path, monkeypatch):
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))


@pytest.fixture()
def pools(monkeypatch) -> list[int]:
    """How many workers each forked evaluation asked for (the real pool runs)."""
    asked: list[int] = []
    real = forkpool.run

    def counted(func, count, workers):
        asked.append(workers)
        return real(func, count, workers)

    monkeypatch.setattr(forkpool, "run", counted)
    return asked


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    """The benchmark's generator at 220 components: over the threshold, as users have it."""
    if not GENERATOR.is_file():
        pytest.skip("benchmark generator not available")
    out = tmp_path_factory.mktemp("gen") / "repo"
    args = ["--out", str(out), "--files", "1500", "--components", "220"]
    subprocess.run([sys.executable, str(GENERATOR), *args], check=True, capture_output=True)
    return out


def demo(make_repo) -> GitRepo:
    repo = make_repo()
    shutil.copytree(DEMO, repo.path, dirs_exist_ok=True)
    repo.commit("demo")
    return repo


def reports(run_cli, cwd: Path, fmt: str, *extra: str) -> dict[int, tuple[int, str, str]]:
    out = {}
    for jobs in (1, 2, 4):
        result = run_cli("check", "--format", fmt, "--jobs", str(jobs), *extra, cwd=cwd)
        out[jobs] = (result.exit_code, result.out, result.err)
    return out


@pytest.mark.parametrize("fmt", FORMATS)
def test_demo_reports_the_same_for_every_jobs(fmt, make_repo, run_cli, pools, monkeypatch):
    monkeypatch.setattr(engine, "PARALLEL_FROM", 1)  # the demo is small: fork anyway
    got = reports(run_cli, demo(make_repo).path, fmt)
    assert pools == [2, 4]
    assert got[1][0] == 1 and got[1][1]
    assert got[2] == got[1]
    assert got[4] == got[1]


@pytest.mark.parametrize("fmt", ["json", "sarif", "text"])
def test_generated_repository_reports_the_same_for_every_jobs(fmt, generated, run_cli, pools):
    policy = str(ROOT / "bench" / "policy.yaml")
    got = reports(run_cli, generated, fmt, "--policy", policy)
    assert pools == [2, 4]  # 220 components: over the threshold without help
    assert got[2] == got[1]
    assert got[4] == got[1]
    if fmt == "json":
        report = json.loads(got[1][1])
        assert len(report["components"]) == 221  # one more in its second commit
        assert report["findings"]


def test_small_repository_stays_in_one_process(make_repo, run_cli, pools):
    result = run_cli("check", "--jobs", "4", cwd=demo(make_repo).path)
    assert result.exit_code == 1
    assert pools == []


SHARED_BROKEN = {
    "roadworthy.yaml": json.dumps(
        {
            "version": 1,
            "artifacts": {"model_card": ["MODEL_CARD.md"]},
            "rules": {
                "ACME301": {
                    "name": "contract-valid",
                    "check": "schema",
                    "options": {"paths": ["contract.yaml"], "schema": "shared/schema.yaml"},
                    "dimension": "data",
                }
            },
        }
    ),
    "shared/schema.yaml": "type: object\n  bad: [indent\n",  # every component reads it
    **{f"m{i:02d}/model.onnx": "weights\n" for i in range(12)},
    **{f"m{i:02d}/contract.yaml": "a: 1\n" for i in range(12)},
    "m05/contract.yaml": "a: [unclosed\n",  # its own unreadable file
    "m07/MODEL_CARD.md": "---\nrisk: [high\n---\n# Card\n",  # metadata it cannot read
}


def test_a_file_many_workers_fail_on_is_reported_once(make_repo, run_cli, pools, monkeypatch):
    monkeypatch.setattr(engine, "PARALLEL_FROM", 1)
    got = reports(run_cli, make_repo(SHARED_BROKEN).path, "json")
    assert pools == [2, 4]
    assert got[2] == got[1]
    assert got[4] == got[1]
    findings = json.loads(got[1][1])["findings"]
    unreadable = sorted((f["path"], f["component"]) for f in findings if f["code"] == "RW001")
    assert unreadable == [
        ("m05/contract.yaml", "m05"),
        ("m07/MODEL_CARD.md", "m07"),
        ("shared/schema.yaml", None),
    ]


def test_a_crash_in_a_worker_is_a_check_crash(make_repo, run_cli, pools, monkeypatch, tmp_path):
    from roadworthy.checks import file_exists

    real, parent = file_exists.check, os.getpid()

    def boom(component, ctx, options):
        if os.getpid() != parent:  # the first component a worker checks
            raise ZeroDivisionError("simulated bug in a check")
        return real(component, ctx, options)

    monkeypatch.setattr(file_exists, "check", boom)
    monkeypatch.setattr(engine, "PARALLEL_FROM", 1)
    files = {f"m{i:02d}/model.onnx": "weights\n" for i in range(12)}
    result = run_cli("check", "--jobs", "2", cwd=make_repo(files).path)
    assert pools == [2]
    assert result.exit_code == 3
    assert len(result.err.strip().splitlines()) == 1
    assert "CheckCrash: check 'file-exists' crashed" in result.err
    assert re.search(r"component=m\d\d\)", result.err)
    crash_files = list(tmp_path.glob("roadworthy-crash-*.log"))
    assert len(crash_files) == 1
    assert crash_files[0].name in result.err
    log = crash_files[0].read_text()
    assert "ZeroDivisionError: simulated bug in a check" in log
    assert "in boom" in log  # the worker's own traceback


def test_a_worker_that_dies_is_an_internal_error(make_repo, run_cli, pools, monkeypatch, tmp_path):
    from roadworthy.checks import file_exists

    real, parent = file_exists.check, os.getpid()

    def die(component, ctx, options):
        if os.getpid() != parent:
            os._exit(9)
        return real(component, ctx, options)

    monkeypatch.setattr(file_exists, "check", die)
    monkeypatch.setattr(engine, "PARALLEL_FROM", 1)
    files = {f"m{i:02d}/model.onnx": "weights\n" for i in range(4)}
    result = run_cli("check", "--jobs", "2", cwd=make_repo(files).path)
    assert result.exit_code == 3
    assert "ended without an answer (exit code 9)" in result.err
    assert len(list(tmp_path.glob("roadworthy-crash-*.log"))) == 1


@pytest.mark.parametrize("jobs", ["0", "-1", "-8"])
def test_jobs_below_one_is_a_usage_error(jobs, make_repo, run_cli):
    result = run_cli("check", "--jobs", jobs, cwd=make_repo({"m/model.onnx": "w\n"}).path)
    assert result.exit_code == 2
    assert result.err.strip() == f"roadworthy: --jobs {jobs}: must be at least 1"
    assert result.out == ""


def test_jobs_must_be_a_number(make_repo, run_cli):
    result = run_cli("check", "--jobs", "many", cwd=make_repo({"m/model.onnx": "w\n"}).path)
    assert result.exit_code == 2
    assert "argument -j/--jobs: invalid int value: 'many'" in result.err


def test_results_come_back_in_job_order_whatever_finishes_first():
    import time

    def slow_first(i: int) -> int:
        time.sleep(0.2 if i == 1 else 0)  # job 0 is this process's own
        return i * i

    assert forkpool.run(slow_first, 7, 3) == [i * i for i in range(7)]
    assert forkpool.run(slow_first, 1, 3) == [0]  # nothing left to fork for
    assert forkpool.run(slow_first, 0, 3) == []


def test_a_worker_goes_on_while_its_large_answer_waits_to_be_read(tmp_path):
    # The parent reads answers only between jobs of its own: a worker whose answer is larger
    # than the socket's buffer must start its next job meanwhile, not wait for the parent.
    import time

    log, parent = tmp_path / "log", os.getpid()

    def job(i: int) -> object:
        if os.getpid() == parent:
            if i:
                time.sleep(0.6)  # busy: no answer is read meanwhile
            with open(log, "a") as f:
                f.write(f"parent-done {i} {time.monotonic()}\n")
            return i
        with open(log, "a") as f:
            f.write(f"worker-start {i} {time.monotonic()}\n")
        return b"x" * (8 << 20)

    # Job 0 is the parent's before the fork; the worker is given jobs 1 and 2, the parent 3.
    results = forkpool.run(job, 4, 2)
    assert [len(r) if isinstance(r, bytes) else r for r in results] == [0, 8 << 20, 8 << 20, 3]
    when = {
        " ".join(line.split()[:2]): float(line.split()[2]) for line in log.read_text().splitlines()
    }
    assert when["worker-start 2"] < when["parent-done 3"], when


def test_a_file_one_component_cannot_parse_is_still_read_by_the_next(
    make_repo, run_cli, pools, monkeypatch
):
    # Every component validates against m11's model card, which is no YAML document; m11 itself
    # reads the card's front matter. What m11 finds must not depend on whether the components
    # before it were evaluated in the same process.
    files = {
        "roadworthy.yaml": SHARED_BROKEN["roadworthy.yaml"].replace(
            "shared/schema.yaml", "m11/MODEL_CARD.md"
        ),
        **{f"m{i:02d}/model.onnx": "weights\n" for i in range(12)},
        **{f"m{i:02d}/contract.yaml": "a: 1\n" for i in range(12)},
        "m11/MODEL_CARD.md": "---\nrisk: high\n---\n# Card\n\n---\nmore: [\n",
    }
    monkeypatch.setattr(engine, "PARALLEL_FROM", 1)
    got = reports(run_cli, make_repo(files).path, "json")
    assert pools == [2, 4]
    assert got[2] == got[1]
    assert got[4] == got[1]
    report = json.loads(got[1][1])
    assert [c["risk"] for c in report["components"] if c["name"] == "m11"] == ["high"]
    assert [f["path"] for f in report["findings"] if f["code"] == "RW001"] == ["m11/MODEL_CARD.md"]


# --- stopping: the real CLI in a process of its own, one component's check held ------------------

# Four components, one job each: this process checks m00 and forks two workers; the first
# takes m01 (held) and m02, the second m03, and then waits for more.
HELD = """
import sys, time
from roadworthy import engine
from roadworthy.checks import file_exists
from roadworthy.cli import main

real = file_exists.check

def held(component, ctx, options):
    if component.path == "m01":
        time.sleep(120)
    return real(component, ctx, options)

file_exists.check = held
engine.PARALLEL_FROM = 1
sys.exit(main(["check", "--jobs", "3"]))
"""


def children(pid: int) -> set[int]:
    out = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            out.add(int(stat.parent.name))
    return out


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return False
    return state != "Z"


def wait_until(condition, timeout: float = 20.0) -> bool:
    import time

    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.02)
    return False


@pytest.fixture()
def held_check(make_repo):
    """The CLI, started, with both workers forked; one is held in m01's check, the other idle."""
    import signal
    import time

    files = {f"m{i:02d}/model.onnx": "weights\n" for i in range(4)}
    repo = make_repo(files)
    proc = subprocess.Popen(
        [sys.executable, "-c", HELD],
        cwd=repo.path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,  # a terminal's process group of its own
    )
    workers: set[int] = set()
    try:
        assert wait_until(lambda: len(children(proc.pid)) == 2), "workers never started"
        workers = children(proc.pid)
        time.sleep(0.5)  # the other component is checked, and its worker waits for more
        yield proc, workers
    finally:
        for pid in [proc.pid, *workers]:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
        proc.communicate()


@pytest.mark.parametrize("how", ["SIGTERM", "Ctrl-C"])
def test_stopping_the_check_stops_its_workers(how, held_check):
    import signal

    proc, workers = held_check
    if how == "SIGTERM":
        os.kill(proc.pid, signal.SIGTERM)
    else:
        os.killpg(proc.pid, signal.SIGINT)  # the whole foreground group, as a terminal does
    out, err = proc.communicate(timeout=20)
    assert proc.returncode == 130
    assert err.decode().strip() == "roadworthy: interrupted"
    assert out == b""
    assert wait_until(lambda: not any(alive(w) for w in workers)), "a worker outlived the check"


def test_a_killed_check_leaves_no_idle_worker(held_check):
    import signal

    proc, workers = held_check
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=20)  # not communicate(): the held worker still has the same stdout
    # The idle worker sees its pipe end; the held one is in the middle of a check.
    assert wait_until(lambda: sum(alive(w) for w in workers) == 1), "the idle worker stayed"


def test_a_gate_judged_by_a_rule_in_a_worker_is_the_same(make_repo, run_cli, pools, monkeypatch):
    # With its findings waived (RW207's among them), the stage criteria the rule judged no
    # longer block: the report's gate must know the rule judged them, though a worker ran it.
    repo = make_repo()
    shutil.copytree(DEMO, repo.path, dirs_exist_ok=True)
    policy = repo.path / "roadworthy.yaml"
    policy.write_text(
        policy.read_text()
        + "  - id: churn-criteria\n"
        + "    rules: [stage-criteria-not-met, model-card-missing-section,\n"
        + "            runbook-missing-section, invalid-data-contract]\n"
        + "    component: churn-predictor\n"
        + '    owner: "@acme/growth"\n'
        + '    reason: "re-evaluation on the new window lands with GROW-7"\n'
        + "    expires: 2027-03-31\n"
    )
    repo.commit("demo, RW207 waived for churn-predictor")
    monkeypatch.setattr(engine, "PARALLEL_FROM", 1)
    got = reports(run_cli, repo.path, "json")
    assert pools == [2, 4]
    assert got[2] == got[1]
    assert got[4] == got[1]
    gates = {c["name"]: c["gate"] for c in json.loads(got[1][1])["components"]}
    assert gates["churn-predictor"]["verdict"] == "ready"
    assert [c["met"] for c in gates["churn-predictor"]["criteria"]] == [False, True]


@pytest.mark.parametrize("count", [1, 4, 8, 9, 100, 2001, 10001])
@pytest.mark.parametrize("jobs", [2, 3, 64])
def test_chunks_cover_every_component_once_and_shrink_to_the_end(count, jobs):
    """Guided chunks: the warm-up first, then a share of what is left, so the last chunks are
    small and no process is left with a large one while the others wait."""
    bounds = engine.chunk_bounds(count, jobs)
    sizes = [b - a for a, b in itertools.pairwise(bounds)]
    assert bounds[0] == 0 and bounds[-1] == count and all(s > 0 for s in sizes)
    assert sizes[0] == min(engine.WARM_UP, max(1, count // (jobs * 4)))
    assert sizes[1:] == sorted(sizes[1:], reverse=True)  # never larger than the one before
    assert all(s <= engine.LAST_CHUNK for s in sizes[-jobs:])  # the end: a few components each
    # A share of what is left, and never so many chunks that round trips add up.
    shares = [max(engine.LAST_CHUNK, (count - a) // (jobs * 4)) for a in bounds[1:-1]]
    assert all(s <= share for s, share in zip(sizes[1:], shares, strict=True))
    assert len(sizes) <= 2 + count // min(engine.LAST_CHUNK, max(1, count // (jobs * 4)))
    if count > engine.WARM_UP:
        assert len(sizes) > 1  # the workers have something to do


EXPIRED = """\
- clause: EU-AIA:Art.49
  statement: Registered in the EU database.
  attested_by: "@compliance"
  evidence: https://intranet.example/eu-db/credit
  attested: 2025-01-01
  expires: 2026-01-01
"""


def test_attestations_are_found_by_the_workers_as_by_one_process(
    make_repo, run_cli, pools, monkeypatch
):
    """Whether a component's folder holds an ATTESTATIONS.yaml is asked where the component is
    checked (in a worker): the same RW005 findings for every --jobs, the root's, a tracked
    one's, a malformed one's and one the index does not hold (on disk, as before)."""
    monkeypatch.setattr(engine, "PARALLEL_FROM", 1)
    repo = demo(make_repo)
    repo.write(
        {
            "models/credit-scoring/ATTESTATIONS.yaml": EXPIRED,
            "models/fraud-detector/ATTESTATIONS.yaml": "- clause: [not, a, clause]\n",
        }
    )
    repo.commit("attestations")
    (repo.path / "models/churn-predictor/ATTESTATIONS.yaml").write_text(EXPIRED)  # untracked
    got = reports(run_cli, repo.path, "json", "--as-of", "2026-12-06")
    assert pools == [2, 4]
    assert got[2] == got[1] and got[4] == got[1]
    found = {f["path"] for f in json.loads(got[1][1])["findings"] if f["code"] == "RW005"}
    assert {
        "models/credit-scoring/ATTESTATIONS.yaml",
        "models/fraud-detector/ATTESTATIONS.yaml",
        "models/churn-predictor/ATTESTATIONS.yaml",
    } <= found

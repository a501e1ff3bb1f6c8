"""examples/workflows/org-scan.yml: list once, scan a matrix of shards, merge into one artifact.

There is no JSON Schema for workflow files in the corpus (only for actions), so the test reads
the YAML and checks what would break a run: triggers, job order, the matrix against the
`--shard` argument, artifacts handed from job to job, and every `roadworthy` command line
against roadworthy's own argument parser.
"""

from __future__ import annotations

import fnmatch
import re
import shlex
from pathlib import Path

import pytest
import yaml

from roadworthy.cli import _parser

WORKFLOW = Path(__file__).parents[2] / "examples/workflows/org-scan.yml"
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


@pytest.fixture(scope="module")
def workflow() -> dict:
    data = yaml.safe_load(WORKFLOW.read_text())
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def steps(workflow: dict, job: str) -> list[dict]:
    return workflow["jobs"][job]["steps"]


def uses(workflow: dict, job: str, action: str) -> list[dict]:
    return [s.get("with", {}) for s in steps(workflow, job) if s.get("uses", "").startswith(action)]


def commands(workflow: dict, job: str, values: dict[str, str]) -> list[list[str]]:
    """The `roadworthy ...` commands of a job, with ${{ }} expressions replaced by values."""
    found = []
    for step in steps(workflow, job):
        script = EXPRESSION.sub(lambda m: values[m[1]], step.get("run", ""))
        for line in re.split(r"\n|\|\||>|&&", script):
            if line.strip().startswith("roadworthy "):
                found.append(shlex.split(line.replace('"$ORG"', "acme"))[1:])
    return found


def test_triggers(workflow: dict) -> None:
    (schedule,) = workflow["on"]["schedule"]
    assert len(schedule["cron"].split()) == 5
    assert "workflow_dispatch" in workflow["on"]
    assert workflow["permissions"] == {"contents": "read"}


def test_jobs_run_in_order(workflow: dict) -> None:
    jobs = workflow["jobs"]
    assert list(jobs) == ["list", "scan", "merge"]
    assert (jobs["scan"]["needs"], jobs["merge"]["needs"]) == ("list", "scan")
    assert "!cancelled()" in jobs["merge"]["if"]


def test_the_matrix_matches_the_shard_argument(workflow: dict) -> None:
    strategy = workflow["jobs"]["scan"]["strategy"]
    shards = strategy["matrix"]["shard"]
    assert shards == list(range(1, len(shards) + 1))
    assert strategy["fail-fast"] is False
    for k in shards:
        values = {"matrix.shard": str(k), "strategy.job-total": str(len(shards))}
        (scan,) = commands(workflow, "scan", values)
        args = _parser().parse_args(scan)
        assert args.shard == f"{k}/{len(shards)}"
        assert (args.command, args.targets) == ("scan", [])
        assert args.repos == "targets.txt" and args.output == "out"


def test_every_command_parses(workflow: dict) -> None:
    values = {"matrix.shard": "1", "strategy.job-total": "4"}
    (listing,) = commands(workflow, "list", values)
    args = _parser().parse_args(listing)
    assert (args.command, args.targets, args.github_org, args.list_only) == (
        "scan",
        [],
        "acme",
        True,
    )
    (merge,) = commands(workflow, "merge", values)
    args = _parser().parse_args(merge)
    assert (args.command, args.reports, args.output) == (
        "merge",
        ["shards/*/scan.json"],
        "org-readiness",
    )


def test_artifacts_flow_from_job_to_job(workflow: dict) -> None:
    (targets,) = uses(workflow, "list", "actions/upload-artifact@")
    (fetched,) = uses(workflow, "scan", "actions/download-artifact@")
    assert fetched["name"] == targets["name"] and targets["path"] == "targets.txt"
    (shard,) = uses(workflow, "scan", "actions/upload-artifact@")
    assert shard["path"] == "out/scan.json"
    (shards,) = uses(workflow, "merge", "actions/download-artifact@")
    names = [EXPRESSION.sub(str(k), shard["name"]) for k in (1, 2, 3, 4)]
    assert all(fnmatch.fnmatch(n, shards["pattern"]) for n in names)
    assert len(set(names)) == 4  # upload-artifact v4 needs a name per shard
    # download-artifact puts each artifact in <path>/<name>/: what `merge` globs
    assert all(
        fnmatch.fnmatch(f"{shards['path']}/{n}/scan.json", "shards/*/scan.json") for n in names
    )
    (dashboard,) = uses(workflow, "merge", "actions/upload-artifact@")
    assert dashboard["path"].rstrip("/") == "org-readiness"


def test_findings_do_not_fail_the_jobs_but_errors_do(workflow: dict) -> None:
    for job, command in (("scan", "roadworthy scan"), ("merge", "roadworthy merge")):
        (script,) = [s["run"] for s in steps(workflow, job) if command in s.get("run", "")]
        assert script.rstrip().endswith("|| [ $? -eq 1 ]")


def test_actions_are_pinned_to_a_commit(workflow: dict) -> None:
    # A tag can be moved to other code; tests/action/test_supply_chain.py checks the releases.
    for job in workflow["jobs"].values():
        for step in job["steps"]:
            if "uses" in step:
                assert re.fullmatch(r"actions/[a-z-]+@[0-9a-f]{40}", step["uses"]), step["uses"]

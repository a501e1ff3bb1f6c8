"""action.yml and the example workflow: valid, thin, injection-free, wired to the Python."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft7Validator
from testing.gitrepo import GitRepo

from .conftest import open_pr, parse_outputs, pull_request_event

ROOT = Path(__file__).resolve().parents[2]
ACTION = ROOT / "action.yml"
WORKFLOW = ROOT / "examples" / "workflows" / "pull-request.yml"
OUTPUTS = {"findings", "errors", "warnings", "verdict", "sarif-file", "category"}
_EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def action() -> dict[str, Any]:
    return load(ACTION)


def steps(action: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {step["id"]: step for step in action["runs"]["steps"]}


def test_action_is_valid_against_the_schema(corpus: Path, action: dict[str, Any]) -> None:
    schema = json.loads((corpus / "schemas" / "schemastore__github-action.json").read_text())
    Draft7Validator(schema).validate(action)


def test_action_is_a_thin_composite(action: dict[str, Any]) -> None:
    assert action["runs"]["using"] == "composite"
    by_id = steps(action)
    assert list(by_id) == ["python", "install", "check"]
    assert by_id["python"]["uses"].startswith("actions/setup-python@")
    assert by_id["python"]["with"]["update-environment"] is False  # the job's Python is untouched
    assert by_id["install"]["env"]["ACTION_PATH"] == "${{ github.action_path }}"
    assert '"$ACTION_PATH"' in by_id["install"]["run"]
    assert by_id["check"]["run"] == '"$ROADWORTHY_PYTHON" -m roadworthy action'


def test_no_expression_in_shell_text(action: dict[str, Any]) -> None:
    # Script injection: ${{ }} in `run:` is pasted into the script before bash reads it.
    for step in action["runs"]["steps"]:
        assert "${{" not in step.get("run", ""), step.get("name")


def test_every_input_reaches_the_python_by_environment(action: dict[str, Any]) -> None:
    env = steps(action)["check"]["env"]
    passed = {name: value for name, value in env.items() if name.startswith("INPUT_")}
    inputs = set(action["inputs"]) - {"python-version"}  # used by setup-python
    assert passed == {
        "INPUT_" + name.upper().replace("-", "_"): f"${{{{ inputs.{name} }}}}" for name in inputs
    }
    assert set(action["inputs"]) == {
        "policy", "mode", "base", "fail-on", "sarif-file", "category", "summary", "comment",
        "github-token", "python-version", "working-directory", "paths", "select", "ignore",
        "as-of",
    }  # fmt: skip
    assert action["inputs"]["github-token"]["default"] == "${{ github.token }}"
    assert action["inputs"]["python-version"]["default"] == "3.12"


def test_outputs_come_from_the_check_step(action: dict[str, Any]) -> None:
    assert set(action["outputs"]) == OUTPUTS
    for name, output in action["outputs"].items():
        assert output["value"] == f"${{{{ steps.check.outputs.{name} }}}}"


def test_the_check_step_runs_as_the_runner_would(
    action: dict[str, Any], credit_main: GitRepo, tmp_path: Path
) -> None:
    """The step's env: block, expressions evaluated, and its script run by bash."""
    pr = open_pr(credit_main, {"models/credit/ROLLBACK.md": None})
    event = tmp_path / "event.json"
    event.write_text(json.dumps(pull_request_event(pr)), encoding="utf-8")
    output, summary = tmp_path / "output", tmp_path / "summary"
    context = {
        **{
            f"inputs.{name}": str(spec.get("default", ""))
            for name, spec in action["inputs"].items()
        },
        "inputs.github-token": "",  # no API in this test
        "steps.install.outputs.python": sys.executable,
    }
    step = steps(action)["check"]
    env = {
        name: _EXPRESSION.sub(lambda m: context[m.group(1)], value)
        for name, value in step["env"].items()
    }
    env |= {
        "GITHUB_EVENT_NAME": "pull_request",
        "GITHUB_EVENT_PATH": str(event),
        "GITHUB_WORKSPACE": str(pr.repo.path),
        "GITHUB_OUTPUT": str(output),
        "GITHUB_STEP_SUMMARY": str(summary),
        "GITHUB_ACTIONS": "true",
    }
    base_env = {k: v for k, v in os.environ.items() if not k.startswith(("INPUT_", "GITHUB_"))}

    proc = subprocess.run(
        ["bash", "-e", "-c", step["run"]],
        cwd=pr.repo.path,
        env={**base_env, **env},
        capture_output=True,
        text=True,
        check=False,
    )

    assert proc.returncode == 1, proc.stderr
    assert "::error file=models/credit/model.onnx,line=1,title=RW402" in proc.stdout
    outputs = parse_outputs(output.read_text(encoding="utf-8"))
    assert set(outputs) == OUTPUTS
    assert outputs["sarif-file"] == str((pr.repo.path / "roadworthy.sarif").resolve())
    assert summary.read_text(encoding="utf-8").startswith("## roadworthy")


def test_the_actions_install_holds_every_package() -> None:
    # The Action installs roadworthy with pip from its checkout (not editable, as the tests run):
    # a subpackage missing from the explicit package list is missing at run time.
    tomllib = pytest.importorskip("tomllib")
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    src = ROOT / "src"
    found = {
        init.parent.relative_to(src).as_posix().replace("/", ".")
        for init in (src / "roadworthy").rglob("__init__.py")
    }
    assert sorted(found - listed) == []


# -- the example workflow ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def workflow() -> dict[str, Any]:
    return load(WORKFLOW)


def test_workflow_runs_on_pull_request_never_pull_request_target(workflow: dict[str, Any]) -> None:
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads the key `on` as true
    assert "pull_request" in triggers
    assert "pull_request_target" not in triggers
    text = WORKFLOW.read_text(encoding="utf-8")
    assert "never `pull_request_target`" in text and "write tokens" in text


def test_workflow_uses_the_action_as_documented(
    workflow: dict[str, Any], action: dict[str, Any]
) -> None:
    (job,) = workflow["jobs"].values()
    assert workflow["permissions"] == {"contents": "read"}
    assert job["permissions"]["contents"] == "read"
    assert job["permissions"]["security-events"] == "write"
    checkout, ours, upload = job["steps"]
    assert checkout["uses"].startswith("actions/checkout@")
    assert checkout["with"]["fetch-depth"] == 0
    assert ours["uses"].split("@")[0].endswith("/roadworthy")
    assert set(ours["with"]) <= set(action["inputs"])
    comments = str(ours["with"].get("comment", "false")).lower() == "true"
    assert (job["permissions"].get("pull-requests") == "write") == comments
    assert upload["uses"].startswith("github/codeql-action/upload-sarif@")
    assert upload["with"]["sarif_file"] == "${{ steps.roadworthy.outputs.sarif-file }}"
    assert "!cancelled()" in upload["if"]  # findings fail the step; the upload still runs

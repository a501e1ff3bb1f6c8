"""The Action's inputs for monorepos and rule selection (working-directory, paths, select,
ignore) and its category output, driven through ``roadworthy action`` with GitHub's documented
push and pull_request payloads and the job's files (GITHUB_OUTPUT, GITHUB_STEP_SUMMARY)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from testing.gitrepo import GitRepo

from .conftest import Job, open_pr, pull_request_event, push_event

Run = Callable[..., Job]
LAB_POLICY = "version: 1\nextends: [recommended]\nfail_on: never\n"


@pytest.fixture()
def monorepo(credit_main: GitRepo) -> GitRepo:
    """``models/credit`` (documented) and a second project ``labs/`` with an undocumented model
    and its own policy, which never fails."""
    credit_main.write(
        {"labs/roadworthy.yaml": LAB_POLICY, "labs/models/fraud/model.onnx": b"fraud-v1\n"}
    )
    credit_main.commit("a second project")
    return credit_main


def codes(job: Job) -> set[str]:
    assert job.sarif is not None
    return {r["ruleId"] for r in job.sarif["runs"][0]["results"]}


def paths(job: Job) -> set[str]:
    assert job.sarif is not None
    return {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].rsplit("/", 1)[0]
        for r in job.sarif["runs"][0]["results"]
    }


def test_everything_without_the_inputs(monorepo: GitRepo, run_action: Run) -> None:
    job = run_action(monorepo.path, push_event(monorepo), event_name="push")
    assert job.exit_code == 1, job.log
    assert paths(job) == {"labs/models/fraud"}


def test_working_directory_checks_that_project_under_its_own_policy(
    monorepo: GitRepo, run_action: Run
) -> None:
    job = run_action(
        monorepo.path, push_event(monorepo), event_name="push", working_directory="labs"
    )
    assert job.exit_code == 0, job.log  # labs/roadworthy.yaml: fail_on never
    assert paths(job) == {"labs/models/fraud"}
    assert int(job.outputs["findings"]) > 0


def test_working_directory_of_another_project_sees_none_of_labs(
    monorepo: GitRepo, run_action: Run
) -> None:
    job = run_action(
        monorepo.path, push_event(monorepo), event_name="push", working_directory="models"
    )
    assert job.exit_code == 0, job.log
    assert job.outputs["findings"] == "0"
    assert "| credit (models/credit) |" in job.summary
    assert "labs" not in job.summary


def test_paths_limit_the_components(monorepo: GitRepo, run_action: Run) -> None:
    job = run_action(
        monorepo.path, push_event(monorepo), event_name="push", paths="models/credit\n"
    )
    assert job.exit_code == 0, job.log
    assert job.outputs["findings"] == "0"


def test_paths_in_a_pull_request(credit_main: GitRepo, run_action: Run) -> None:
    pr = open_pr(
        credit_main,
        {"models/credit/ROLLBACK.md": None, "labs/models/fraud/model.onnx": b"fraud-v1\n"},
    )
    everything = run_action(pr.repo.path, pull_request_event(pr))
    assert paths(everything) == {"models/credit", "labs/models/fraud"}
    only = run_action(pr.repo.path, pull_request_event(pr), paths="models/credit")
    assert paths(only) == {"models/credit"}


@pytest.mark.parametrize(
    ("select", "ignore", "expected"),
    [
        pytest.param("RW103", "", {"RW103"}, id="select-one"),
        pytest.param("RW103, RW101", "RW101", {"RW103"}, id="select-then-ignore"),
        pytest.param("", "RW103 RW101", "rest", id="ignore-two"),
    ],
)
def test_select_and_ignore(
    monorepo: GitRepo, run_action: Run, select: str, ignore: str, expected: set[str] | str
) -> None:
    everything = codes(run_action(monorepo.path, push_event(monorepo), event_name="push"))
    assert {"RW101", "RW103"} <= everything
    job = run_action(
        monorepo.path, push_event(monorepo), event_name="push", select=select, ignore=ignore
    )
    wanted = everything - {"RW101", "RW103"} if expected == "rest" else expected
    assert codes(job) == wanted
    assert int(job.outputs["findings"]) == len(job.sarif["runs"][0]["results"])  # type: ignore[index]
    assert job.sarif is not None
    listed = {rule["id"] for rule in job.sarif["runs"][0]["tool"]["driver"]["rules"]}
    assert wanted <= listed and not (listed & ({"RW101", "RW103"} - wanted))


def test_ignoring_every_error_passes(monorepo: GitRepo, run_action: Run) -> None:
    everything = codes(run_action(monorepo.path, push_event(monorepo), event_name="push"))
    job = run_action(
        monorepo.path, push_event(monorepo), event_name="push", ignore=",".join(everything)
    )
    assert job.exit_code == 0, job.log
    assert job.outputs["verdict"] == "green"


@pytest.mark.parametrize(
    ("inputs", "message"),
    [
        pytest.param({"select": "RW103 RW999"}, "input select: RW999 is not a rule", id="select"),
        pytest.param({"ignore": "rw103"}, "input ignore: rw103 is not a rule", id="case"),
        pytest.param(
            {"working_directory": "../elsewhere"},
            "input working-directory: '../elsewhere' is not a folder of the workspace",
            id="outside",
        ),
        pytest.param(
            {"working_directory": "nowhere"},
            "input working-directory: 'nowhere' is not a folder of the checkout",
            id="missing",
        ),
        pytest.param({"paths": "models/nothing"}, "no such file or directory", id="paths"),
    ],
)
def test_bad_inputs_are_usage_errors(
    monorepo: GitRepo, run_action: Run, inputs: dict[str, str], message: str
) -> None:
    job = run_action(monorepo.path, push_event(monorepo), event_name="push", **inputs)
    assert job.exit_code == 2
    (line,) = job.out.splitlines()
    assert line.startswith("::error title=roadworthy::") and message in line
    assert message.split(":")[0] in job.summary


def test_the_category_output_is_the_sarifs(
    monorepo: GitRepo, run_action: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_WORKFLOW", "CI")
    monkeypatch.setenv("GITHUB_JOB", "models")
    job = run_action(monorepo.path, push_event(monorepo), event_name="push")
    assert job.sarif is not None
    assert job.outputs["category"] == job.sarif["runs"][0]["automationDetails"]["id"]
    assert job.outputs["category"] == "roadworthy/CI/models/"
    given = run_action(monorepo.path, push_event(monorepo), event_name="push", category="rw/a")
    assert given.outputs["category"] == "rw/a/"


def test_full_mode_links_files_to_the_pushed_commit(monorepo: GitRepo, run_action: Run) -> None:
    job = run_action(monorepo.path, push_event(monorepo), event_name="push")
    blob = f"https://github.com/acme-ml/credit-scoring/blob/{monorepo.head}/labs/models/fraud/"
    assert f"]({blob}" in job.summary


def test_as_of_judges_dates_on_that_day_and_a_bad_date_is_refused(credit_main, run_action):
    """The same commit judged as of two days: a card reviewed on 2026-10-01 is fresh in 2026,
    stale (RW204) in 2028. A date that is not one is exit 2 before anything runs."""
    from tests.action.conftest import push_event

    fresh = run_action(credit_main.path, push_event(credit_main), as_of="2026-12-01")
    stale = run_action(credit_main.path, push_event(credit_main), as_of="2028-01-01")
    codes = lambda job: {r["ruleId"] for r in job.sarif["runs"][0]["results"]}  # noqa: E731
    assert "RW204" not in codes(fresh) and "RW204" in codes(stale), (fresh.log, stale.log)
    bad = run_action(credit_main.path, push_event(credit_main), as_of="soon")
    assert bad.exit_code == 2
    assert "input as-of: 'soon' is not a date (YYYY-MM-DD)" in bad.out + bad.err


def test_ignore_cannot_hide_a_rule_the_policy_locks(credit_main, run_action):
    """The workflow comes from the pull request for pull_request events: its `ignore` input
    must not hide what the policy locks (RW406-RW409 are locked by roadworthy itself)."""
    from tests.action.conftest import open_pr, pull_request_event

    pr = open_pr(
        credit_main,
        {
            "roadworthy.yaml": "version: 1\nextends: [recommended]\nrules:\n  RW104: {enabled: false}\n"
        },
    )
    job = run_action(pr.repo.path, pull_request_event(pr), ignore="RW406 RW407 RW401")
    shown = {r["ruleId"] for r in job.sarif["runs"][0]["results"]}
    assert {"RW406", "RW407"} <= shown, job.log
    assert job.exit_code == 1

"""`roadworthy scan` on real repositories made in a temporary folder."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from .conftest import POLICY, Org, by_target, component, read_report

NO_COMPONENTS = {"components": 0, "blocked": 0, "blocked_by": {}}
SCHEMA = json.loads(
    (Path(__file__).parents[2] / "src/roadworthy/schemas/scan.schema.json").read_text()
)


def validate(report: dict) -> None:
    Draft202012Validator.check_schema(SCHEMA)
    Draft202012Validator(SCHEMA).validate(report)


def test_rows_statuses_and_totals(org: Org, run_cli, tmp_path: Path) -> None:
    targets = ["clean", "findings", "broken", "plain", "missing"]
    urls = [org.url("clean"), org.url("absent")]
    result = run_cli(
        "scan", *targets, *urls, "--cache", str(tmp_path / "cache"), "-o", "out", cwd=org.root
    )
    assert result.exit_code == 1  # findings and error rows
    report = read_report(org.root / "out")
    validate(report)
    rows = by_target(report)
    assert list(rows) == sorted([*targets, *urls])
    assert {t: r["status"] for t, r in rows.items()} == {
        "clean": "ok",
        "findings": "findings",
        "broken": "error",
        "plain": "ok",  # a warning only: below the default fail-on (error)
        "missing": "error",
        org.url("clean"): "ok",
        org.url("absent"): "error",
    }
    assert rows["missing"]["error"] == "missing: no such folder"
    assert rows[org.url("absent")]["error"].startswith("cannot clone: ")
    assert rows["broken"]["error"].startswith("roadworthy.yaml:16:5: rules.ACME102.severity")
    assert rows["broken"]["head"] == org.repos["broken"].head  # the commit is known
    assert rows["plain"]["head"] is None
    assert rows[org.url("clean")]["head"] == rows["clean"]["head"] == org.repos["clean"].head
    assert report["totals"] == {
        "repositories": {"total": 7, "ok": 3, "findings": 1, "no-models": 0, "error": 3},
        "components": {"total": 4, "red": 1, "yellow": 1, "green": 2},
        "findings": {"findings": 2, "errors": 1, "warnings": 1, "waived": 0},
        # A component without a stage is held to the strictest (autonomous); only the red one
        # is blocked, by the rule whose error it has.
        "stages": {
            **dict.fromkeys(("shadow", "advisory", "supervised"), NO_COMPONENTS),
            "autonomous": {"components": 4, "blocked": 1, "blocked_by": {"ACME101": 1}},
        },
        "coverage": {},  # no policy extends a framework preset
    }
    assert rows["broken"]["stages"] is None  # not checked: nothing known
    assert report["complete"] is True and report["shard"] is None


def test_findings_rows_carry_components_and_findings(org: Org, run_cli) -> None:
    run_cli("scan", "findings", "plain", "-o", "out", "--quiet", cwd=org.root)
    rows = by_target(read_report(org.root / "out"))
    findings = rows["findings"]
    assert [c["name"] for c in findings["components"]] == ["fraud"]
    assert findings["components"][0]["readiness"]["governance"] == "red"
    assert findings["components"][0]["readiness"]["operations"] == "green"
    assert [(f["code"], f["severity"]) for f in findings["findings"]] == [("ACME101", "error")]
    assert findings["findings"][0]["fix"]
    assert findings["readiness"]["governance"] == "red"
    assert rows["plain"]["readiness"]["operations"] == "yellow"
    assert findings["policy"]["sources"] == ["roadworthy.yaml"]


def test_csv_has_a_row_per_component_and_per_error(org: Org, run_cli) -> None:
    run_cli("scan", "clean", "findings", "missing", "-o", "out", "-q", cwd=org.root)
    rows = list(csv.DictReader(io.StringIO((org.root / "out/scan.csv").read_text())))
    assert [(r["target"], r["status"], r["component"]) for r in rows] == [
        ("clean", "ok", "churn"),
        ("findings", "findings", "fraud"),
        ("missing", "error", ""),
    ]
    fraud = rows[1]
    assert (fraud["governance"], fraud["operations"], fraud["errors"], fraud["warnings"]) == (
        "red",
        "green",
        "1",
        "0",
    )
    assert rows[2]["error"] == "missing: no such folder"


def test_repository_without_components_still_gets_a_row(org: Org, run_cli) -> None:
    org.repos["empty"] = org.repos["clean"].init(org.root / "empty", {"README.md": "docs\n"})
    run_cli("scan", "empty", "-o", "out", "-q", cwd=org.root)
    rows = list(csv.DictReader(io.StringIO((org.root / "out/scan.csv").read_text())))
    assert [(r["target"], r["component"], r["data"], r["errors"]) for r in rows] == [
        ("empty", "", "green", "0")
    ]


@pytest.mark.parametrize(
    ("args", "expected"),
    (
        pytest.param(["clean"], 0, id="all-ok"),
        pytest.param(["clean", "plain"], 0, id="warnings-below-fail-on"),
        pytest.param(["clean", "plain", "--fail-on", "warning"], 1, id="fail-on-warning"),
        pytest.param(["findings", "--fail-on", "never"], 0, id="fail-on-never"),
        pytest.param(["clean", "missing"], 1, id="an-error-row-fails"),
        pytest.param(["clean", "--shard", "3/2"], 2, id="bad-shard"),
        pytest.param(["clean", "--jobs", "0"], 2, id="bad-jobs"),
    ),
)
def test_exit_codes(org: Org, run_cli, args: list[str], expected: int) -> None:
    assert run_cli("scan", *args, "-o", "out", "-q", cwd=org.root).exit_code == expected


def test_no_targets_is_a_usage_error(org: Org, run_cli) -> None:
    result = run_cli("scan", "-o", "out", cwd=org.root)
    assert result.exit_code == 2
    assert "no repositories to scan" in result.err


def test_output_folder_is_required(org: Org, run_cli) -> None:
    result = run_cli("scan", "clean", cwd=org.root)
    assert (result.exit_code, "-o DIR" in result.err) == (2, True)


def test_help_documents_the_exit_codes(run_cli) -> None:
    result = run_cli("scan", "--help")
    assert result.exit_code == 0
    assert "could not be cloned, read or" in result.out
    assert "130  interrupted" in result.out


def test_repos_file_with_comments(org: Org, run_cli) -> None:
    (org.root / "targets.txt").write_text(
        "# the organisation\n\nclean   # the good one\nfindings\n  \n# plain\n"
    )
    result = run_cli("scan", "--repos", "targets.txt", "--list-only", cwd=org.root)
    assert (result.exit_code, result.out) == (0, "clean\nfindings\n")


def test_targets_are_normalised_and_deduplicated(org: Org, run_cli) -> None:
    result = run_cli(
        "scan", "./clean/", "clean", org.url("clean") + "/", "--list-only", cwd=org.root
    )
    assert result.out.splitlines() == ["clean", org.url("clean")]


def test_quiet_prints_nothing_and_progress_is_plain_off_a_terminal(org: Org, run_cli) -> None:
    quiet = run_cli("scan", "clean", "findings", "-o", "out", "--quiet", cwd=org.root)
    assert (quiet.out, quiet.err) == ("", "")
    loud = run_cli("scan", "clean", "findings", "-o", "out", cwd=org.root)
    assert "\r" not in loud.err and "\x1b" not in loud.err
    assert loud.err.splitlines()[-1].startswith("roadworthy: 2 repositories: 1 ok, 1 with")


def test_default_policy_for_repositories_without_one(org: Org, run_cli, tmp_path: Path) -> None:
    bare = org.repos["clean"].init(org.root / "bare", component("churn", rollback=False))
    default = tmp_path / "org-default.yaml"
    default.write_text(POLICY.replace("severity: warning", "severity: error"))
    run_cli("scan", "bare", "clean", "--policy", str(default), "-o", "out", "-q", cwd=org.root)
    rows = by_target(read_report(org.root / "out"))
    assert rows["bare"]["policy"]["sources"] == [str(default)]
    assert rows["bare"]["status"] == "findings"  # the default's rollback rule is an error
    assert rows["clean"]["policy"]["sources"] == ["roadworthy.yaml"]  # its own wins
    assert bare.head == rows["bare"]["head"]


def test_broken_organisation_policy_is_a_usage_error(org: Org, run_cli, tmp_path) -> None:
    default = tmp_path / "org-default.yaml"
    default.write_text("version: 1\nrules: [oops]\n")
    result = run_cli("scan", "clean", "--policy", str(default), "-o", "out", cwd=org.root)
    assert result.exit_code == 2
    assert f"{default}:2:" in result.err
    assert not (org.root / "out").exists()


def test_a_subfolder_target_checks_only_its_components(org: Org, run_cli) -> None:
    org.repos["mono"] = org.repos["clean"].init(
        org.root / "mono",
        {"roadworthy.yaml": POLICY, **component("a"), **component("b", card=False)},
    )
    run_cli("scan", "mono/models/a", "-o", "out", "-q", cwd=org.root)
    row = by_target(read_report(org.root / "out"))["mono/models/a"]
    assert [c["name"] for c in row["components"]] == ["a"]
    assert row["status"] == "ok"


def test_csv_cells_a_spreadsheet_would_run_are_neutralised(org: Org, run_cli) -> None:
    files = {"roadworthy.yaml": POLICY, **component("=HYPERLINK(1)")}
    org.repos["sheet"] = org.repos["clean"].init(org.root / "sheet", files)
    run_cli("scan", "sheet", "-o", "out", "-q", cwd=org.root)
    rows = list(csv.DictReader(io.StringIO((org.root / "out/scan.csv").read_text())))
    assert [r["component"] for r in rows] == ["'=HYPERLINK(1)"]
    assert by_target(read_report(org.root / "out"))["sheet"]["components"][0]["name"] == (
        "=HYPERLINK(1)"  # the JSON keeps the name as it is
    )


def test_a_policy_symlinked_outside_the_repository_is_not_read(
    org: Org, run_cli, tmp_path: Path
) -> None:
    (tmp_path / "elsewhere.yaml").write_text('version: 1\nsecret_api_key: "AKIA-SECRET"\n')
    repo = org.repos["clean"].init(org.root / "linked", component("churn"))
    (repo.path / "roadworthy.yaml").symlink_to(tmp_path / "elsewhere.yaml")
    repo.commit("link the policy")
    run_cli("scan", "linked", "-o", "out", "-q", cwd=org.root)
    row = by_target(read_report(org.root / "out"))["linked"]
    assert row["error"].startswith("roadworthy.yaml: ")
    assert "is a symlink out of the repository" in row["error"]
    for name in ("scan.json", "scan.csv", "scan.html"):
        assert "secret_api_key" not in (org.root / "out" / name).read_text()


def test_a_repository_without_a_model_is_no_models_never_green(
    org: Org, run_cli, tmp_path: Path
) -> None:
    from testing.gitrepo import GitRepo

    GitRepo.init(org.root / "webapp", {"README.md": "# a web app\n", "app.py": "print(1)\n"})
    result = run_cli(
        "scan", "webapp", "clean", "--cache", str(tmp_path / "c"), "-o", "out", cwd=org.root
    )
    assert result.exit_code == 0, result.err  # nothing failed: no model is not a failure
    report = read_report(org.root / "out")
    validate(report)
    rows = by_target(report)
    assert rows["webapp"]["status"] == "no-models"
    assert rows["clean"]["status"] == "ok"
    assert report["totals"]["repositories"]["no-models"] == 1
    html = (org.root / "out" / "scan.html").read_text()
    row = html[html.index('data-status="no-models"') :].split("</tbody>")[0]
    assert "c-green" not in row and "no-models" in row


def test_as_of_judges_every_repository_on_that_day(org: Org, run_cli, tmp_path: Path) -> None:
    from testing.gitrepo import GitRepo

    from tests.change.conftest import base_files

    GitRepo.init(org.root / "credit", base_files())  # card reviewed 2026-10-01, recommended

    def codes(day: str) -> set[str]:
        out = tmp_path / day
        run_cli("scan", "credit", "--as-of", day, "--cache", str(tmp_path / "c"), "-o", str(out),
                cwd=org.root)  # fmt: skip
        return {f["code"] for f in by_target(read_report(out))["credit"]["findings"]}

    assert "RW204" not in codes("2026-12-01")
    assert "RW204" in codes("2031-01-01")  # the card's review is years old by then
    bad = run_cli("scan", "credit", "--as-of", "soon", cwd=org.root)
    assert bad.exit_code == 2 and "not a date" in bad.err

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from testing.gitrepo import GitRepo

from roadworthy.findings import Severity
from roadworthy.reporters import workflow_commands as github

from .conftest import finding, report

COMMAND = re.compile(r"::(error|warning) file=([^,:]+),line=(\d+),title=([^,:]+)::(.*)")


def _ranked(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The order GitHub gets them in: errors, then warnings; change control first, then by code."""

    def key(f: dict[str, Any]) -> tuple[bool, str, str, int]:
        return (not f["code"].startswith("RW4"), f["code"], f["path"], f["line"])

    errors = sorted((f for f in findings if f["severity"] == "error"), key=key)
    warnings = sorted((f for f in findings if f["severity"] != "error"), key=key)
    return errors[:10] + warnings[:10]


def test_one_annotation_per_active_finding_up_to_githubs_limits(
    sample_repo: GitRepo, sample_json: dict[str, Any], check: Callable[..., str]
) -> None:
    out = check(sample_repo, "github")
    lines = out.splitlines()
    active = [f for f in sample_json["findings"] if f["waived_by"] is None]
    shown = _ranked(active)
    hidden = len(active) - len(shown)
    assert hidden > 0  # the sample has more than ten errors
    assert lines[-1] == (
        f"::notice title=roadworthy::{hidden} more finding{'s' if hidden != 1 else ''} not shown "
        "as annotations (GitHub shows 10 errors and 10 warnings per step): see the job summary "
        "or the SARIF report"
    )
    assert len(lines) - 1 == len(shown)
    for line, expected in zip(lines, shown, strict=False):
        match = COMMAND.fullmatch(line)
        assert match, line
        kind, path, number, title, message = match.groups()
        assert kind == expected["severity"]
        assert path == expected["path"]
        assert int(number) == expected["line"]
        assert title == f"{expected['code']} {expected['name']}"
        assert message == github.escape_data(f"{expected['message']}\nfix: {expected['fix']}")
    assert "models/churn/model.onnx,line=1,title=RW104" not in out  # waived


def test_exact_command_for_a_warning() -> None:
    out = github.render(
        report(
            finding(
                "link to 'x.md' does not resolve",
                path="models/fraud/RUNBOOK.md",
                line=4,
                code="RW206",
                name="broken-link",
                severity=Severity.WARNING,
                fix="add models/fraud/x.md",
            )
        )
    )
    assert out == (
        "::warning file=models/fraud/RUNBOOK.md,line=4,title=RW206 broken-link::"
        "link to 'x.md' does not resolve%0Afix: add models/fraud/x.md\n"
    )


@pytest.mark.parametrize(
    ("raw", "data", "prop"),
    [
        pytest.param("100%", "100%25", "100%25", id="percent-first"),
        pytest.param("a\r\nb", "a%0D%0Ab", "a%0D%0Ab", id="cr-lf"),
        pytest.param("k: v, w", "k: v, w", "k%3A v%2C w", id="colon-comma"),
        pytest.param("%0A", "%250A", "%250A", id="already-escaped-looking"),
        pytest.param("spaß ü ✓", "spaß ü ✓", "spaß ü ✓", id="unicode"),
    ],
)
def test_escaping_follows_the_actions_toolkit(raw: str, data: str, prop: str) -> None:
    assert github.escape_data(raw) == data
    assert github.escape_property(raw) == prop


def test_properties_and_message_escaped_in_a_command() -> None:
    out = github.render(
        report(finding("50% done:\nnext, later", path="we,ird:name.md", fix=None, line=0))
    )
    assert out == (
        "::error file=we%2Cird%3Aname.md,line=1,title=RW103 missing-rollback-plan::"
        "50%25 done:%0Anext, later\n"
    )
    assert out.count("\n") == 1


def test_waived_and_empty_reports_print_nothing() -> None:
    assert github.render(report()) == ""
    assert github.render(report(finding(waived_by="w1"))) == ""


def test_chosen_inside_github_actions(
    sample_repo: GitRepo, run_cli: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    result = run_cli("check", cwd=sample_repo.path)
    assert result.out.startswith("::error file=models/churn/model.onnx,line=1,title=RW101")
    explicit = run_cli("check", "--format", "text", cwd=sample_repo.path)
    assert explicit.out.startswith(".github/CODEOWNERS:2: error RW302")


def test_change_control_findings_are_annotated_first_and_the_rest_counted():
    many = [finding(code="RW101", path=f"models/m{i:02d}/model.onnx") for i in range(14)]
    last = finding(code="RW401", name="unapproved-material-change", path="zz/model.onnx")
    warnings = [
        finding(code="RW204", path=f"w{i}.md", severity=Severity.WARNING) for i in range(12)
    ]
    out = github.render(report(*many, last, *warnings)).splitlines()
    assert out[0].startswith("::error file=zz/model.onnx,line=1,title=RW401")
    assert sum(line.startswith("::error ") for line in out) == 10
    assert sum(line.startswith("::warning ") for line in out) == 10
    assert out[-1].startswith("::notice title=roadworthy::7 more findings not shown")


def test_ten_or_fewer_of_each_are_all_shown_without_a_notice():
    findings = [finding(code="RW101", path=f"m{i}/x.onnx") for i in range(10)]
    out = github.render(report(*findings)).splitlines()
    assert len(out) == 10 and not any("::notice" in line for line in out)

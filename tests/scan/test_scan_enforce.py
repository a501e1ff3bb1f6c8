"""--enforce: an organisation policy (outside every repository) whose locked rules bind all."""

from __future__ import annotations

from pathlib import Path

import pytest
from testing.gitrepo import GitRepo

from .conftest import POLICY, Org, by_target, component, read_report

# The organisation's file extends a file next to it: both live outside the repositories.
ORG_POLICY = """\
version: 1
extends: [base.yaml]
rules:
  ORG101: {locked: true}
"""
ORG_BASE = """\
version: 1
artifacts:
  oncall_runbook: [RUNBOOK.md]
rules:
  ORG101:
    name: missing-oncall-runbook
    check: file-exists
    options: {artifact: oncall_runbook}
    dimension: operations
"""


@pytest.fixture()
def enforce(tmp_path: Path) -> Path:
    folder = tmp_path / "org-policies"
    folder.mkdir()
    (folder / "base.yaml").write_text(ORG_BASE)
    (folder / "org.yaml").write_text(ORG_POLICY)
    return folder / "org.yaml"


def with_runbook(name: str) -> dict[str, str]:
    return {**component(name), f"models/{name}/RUNBOOK.md": "# Runbook\n\nPage @ml-oncall.\n"}


def scan(run_cli, org: Org, enforce: Path, *targets: str):
    return run_cli("scan", *targets, "--enforce", str(enforce), "-o", "out", "-q", cwd=org.root)


def test_a_repository_cannot_disable_a_locked_rule(org: Org, run_cli, enforce: Path) -> None:
    weakened = POLICY + "  ORG101: {enabled: false}\n"
    GitRepo.init(org.root / "weak", {"roadworthy.yaml": weakened, **with_runbook("a")})
    GitRepo.init(org.root / "good", {"roadworthy.yaml": POLICY, **with_runbook("b")})
    result = scan(run_cli, org, enforce, "weak", "good", "clean")
    rows = by_target(read_report(org.root / "out"))
    assert result.exit_code == 1
    assert rows["weak"]["status"] == "error"
    assert rows["weak"]["error"] == (
        f"roadworthy.yaml:17:12: rules.ORG101.enabled: ORG101 is locked by {enforce}; "
        "only its severity can be raised"
    )
    assert rows["good"]["status"] == "ok"
    assert rows["good"]["policy"]["sources"] == [
        str(enforce.with_name("base.yaml")),
        str(enforce),
        "roadworthy.yaml",
    ]
    # `clean` satisfies its own policy but not the organisation's runbook rule
    assert rows["clean"]["status"] == "findings"
    assert [f["code"] for f in rows["clean"]["findings"]] == ["ORG101"]


def test_a_repository_cannot_lower_a_locked_rule(org: Org, run_cli, enforce: Path) -> None:
    lowered = POLICY + "  ORG101: {severity: warning}\n"
    GitRepo.init(org.root / "low", {"roadworthy.yaml": lowered, **component("a")})
    scan(run_cli, org, enforce, "low")
    row = by_target(read_report(org.root / "out"))["low"]
    assert row["status"] == "error"
    assert row["error"].endswith("its severity cannot be lowered to warning")


def test_a_repository_cannot_waive_a_locked_rule(org: Org, run_cli, enforce: Path) -> None:
    waived = POLICY + (
        "waivers:\n  - {rules: [ORG101], paths: ['**'], owner: '@me', reason: later,"
        " expires: 2027-01-31}\n"
    )
    GitRepo.init(org.root / "waiver", {"roadworthy.yaml": waived, **component("a")})
    scan(run_cli, org, enforce, "waiver")
    row = by_target(read_report(org.root / "out"))["waiver"]
    assert row["status"] == "error"
    assert "cannot be waived" in row["error"]


def test_locked_rules_bind_repositories_without_a_policy(org: Org, run_cli, enforce: Path) -> None:
    GitRepo.init(org.root / "bare", component("ranker"))
    scan(run_cli, org, enforce, "bare")
    row = by_target(read_report(org.root / "out"))["bare"]
    assert row["status"] == "findings"
    assert "ORG101" in {f["code"] for f in row["findings"]}
    assert row["policy"]["sources"][-1] == "(no policy file)"


def test_an_invalid_enforce_file_stops_the_scan(org: Org, run_cli, tmp_path: Path) -> None:
    bad = tmp_path / "org.yaml"
    bad.write_text("version: 1\nextends: [nowhere.yaml]\n")
    result = run_cli("scan", "clean", "--enforce", str(bad), "-o", "out", cwd=org.root)
    assert result.exit_code == 2
    assert "nowhere.yaml not found" in result.err
    assert not (org.root / "out").exists()

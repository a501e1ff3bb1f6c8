"""``freshness``: a review date older than ``max_age_days`` is a finding; a future one an error.

Today is pinned to 2026-11-21 (tests/conftest.py).
"""

from __future__ import annotations

import json

import pytest

CODE = "ACME101"
W = "placeholder weights\n"
CARD = "m/MODEL_CARD.md"


def card(reviewed: str) -> dict[str, str]:
    text = f"---\ntitle: Lead scorer\nlast_reviewed: {reviewed}\n---\n# Lead scorer\n"
    return {"m/model.onnx": W, CARD: text}


@pytest.mark.parametrize(
    ("reviewed", "expected"),
    (
        pytest.param("2026-11-21", [], id="today"),
        pytest.param("2025-11-21", [], id="exactly-365-days"),
        pytest.param("2025-11-20", [(CODE, CARD, 3)], id="366-days"),
        pytest.param("2019-01-01", [(CODE, CARD, 3)], id="years-old"),
        pytest.param("2026-11-22", [(CODE, CARD, 3)], id="tomorrow"),
        pytest.param("someday", [], id="not-a-date-is-left-to-front-matter"),
        pytest.param("[2026-01-01]", [], id="a-list-is-left-to-front-matter"),
    ),
)
def test_card_date(lint, reviewed, expected):
    assert lint(card(reviewed), "freshness", {}) == expected


@pytest.mark.parametrize(
    ("reviewed", "severity"),
    (
        pytest.param("2024-01-01", "warning", id="stale-takes-the-rule-severity"),
        pytest.param("2027-01-01", "error", id="future-is-always-an-error"),
    ),
)
def test_severity(lint_json, reviewed, severity):
    found = lint_json(card(reviewed), "freshness", {}, severity="warning")
    assert [(f["code"], f["severity"], f["component"]) for f in found] == [(CODE, severity, "m")]


@pytest.mark.parametrize(
    ("reviewed", "exit_code"),
    (
        pytest.param("2024-01-01", 0, id="stale-warning-passes"),
        pytest.param("2027-01-01", 1, id="future-error-fails"),
    ),
)
def test_exit_code(make_repo, run_cli, reviewed, exit_code):
    policy = {
        "version": 1,
        "artifacts": {"model_card": ["MODEL_CARD.md"]},
        "rules": {
            CODE: {
                "name": "under-test",
                "check": "freshness",
                "dimension": "governance",
                "severity": "warning",
            }
        },
    }
    repo = make_repo({**card(reviewed), "roadworthy.yaml": json.dumps(policy)})
    assert run_cli("check", cwd=repo.path).exit_code == exit_code


@pytest.mark.parametrize(
    ("max_age", "expected"),
    (
        pytest.param(30, [(CODE, CARD, 3)], id="30-days"),
        pytest.param(90, [], id="90-days"),
    ),
)
def test_max_age_days(lint, max_age, expected):
    assert lint(card("2026-09-01"), "freshness", {"max_age_days": max_age}) == expected


def test_other_key(lint):
    text = "---\naudited: 2024-02-02\nlast_reviewed: 2026-11-01\n---\n# Card\n"
    files = {"m/model.onnx": W, CARD: text}
    # Only last_reviewed and version are metadata keys; other keys are read with paths.
    assert lint(files, "freshness", {"key": "audited"}) == []
    options = {"key": "audited", "paths": ["MODEL_CARD.md"]}
    assert lint(files, "freshness", options) == [(CODE, CARD, 2)]


def test_yaml_artifact(lint):
    files = {
        "m/model.onnx": W,
        "m/monitoring.yaml": "dashboard: grafana/leads\nlast_reviewed: 2024-05-05\n",
    }
    options = {"paths": ["monitoring.yaml"]}
    assert lint(files, "freshness", options) == [(CODE, "m/monitoring.yaml", 2)]


def test_date_from_component_yaml(lint):
    files = {"m/model.onnx": W, "m/component.yaml": "stage: shadow\nlast_reviewed: 2024-05-05\n"}
    assert lint(files, "freshness", {}) == [(CODE, "m/component.yaml", 2)]


def test_date_from_the_policy_points_at_its_declare_entry(make_repo, run_cli):
    policy = {
        "version": 1,
        "components": {"declare": [{"path": "m", "last_reviewed": "2024-05-05"}]},
        "rules": {CODE: {"name": "under-test", "check": "freshness", "dimension": "governance"}},
    }
    repo = make_repo({"m/model.onnx": W, "roadworthy.yaml": json.dumps(policy)})
    result = run_cli("check", "--format", "json", cwd=repo.path)
    found = json.loads(result.out)["findings"]
    assert [(f["code"], f["path"], f["line"]) for f in found] == [(CODE, "roadworthy.yaml", 1)]


def test_declared_date_wins_over_the_card(make_repo, run_cli):
    policy = {
        "version": 1,
        "artifacts": {"model_card": ["MODEL_CARD.md"]},
        "components": {"declare": [{"path": "m", "last_reviewed": "2026-10-10"}]},
        "rules": {CODE: {"name": "under-test", "check": "freshness", "dimension": "governance"}},
    }
    files = {**card("2019-01-01"), "roadworthy.yaml": json.dumps(policy)}
    result = run_cli("check", "--format", "json", cwd=make_repo(files).path)
    assert json.loads(result.out)["findings"] == []

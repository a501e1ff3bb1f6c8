"""The engine: which rules apply to which component, stamping, RW001/RW004, readiness, crashes."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from roadworthy import engine, pipeline
from roadworthy.policy.load import load_policy
from roadworthy.workspace.worktree import WorkTree

W = "placeholder weights\n"


@pytest.fixture(autouse=True)
def _crash_files_in_tmp(tmp_path, monkeypatch):
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))


def card(**meta: str) -> str:
    front = "".join(f"{k}: {v}\n" for k, v in meta.items())
    return f"---\n{front}---\n# Card\n"


def scoped_policy(applies_to: dict) -> str:
    rule = {
        "name": "missing-fairness-review",
        "check": "file-exists",
        "options": {"paths": ["FAIRNESS.md"]},
        "dimension": "governance",
        "applies_to": applies_to,
    }
    return json.dumps(
        {
            "version": 1,
            "risks": ["minimal", "limited", "high"],
            "artifacts": {"model_card": ["MODEL_CARD.md"]},
            "rules": {"ACME201": rule},
        }
    )


COMPONENTS = {
    "shadow-minimal/model.onnx": W,
    "shadow-minimal/MODEL_CARD.md": card(stage="shadow", risk="minimal"),
    "advisory-limited/model.onnx": W,
    "advisory-limited/MODEL_CARD.md": card(stage="advisory", risk="limited"),
    "supervised-high/model.onnx": W,
    "supervised-high/MODEL_CARD.md": card(stage="supervised", risk="high"),
    "teams/x/autonomous-high/model.onnx": W,
    "teams/x/autonomous-high/MODEL_CARD.md": card(stage="autonomous", risk="high"),
    "undeclared/model.onnx": W,  # no card: autonomous, limited
}


def run_json(run_cli, root: Path, *args: str) -> dict:
    result = run_cli("check", "--format", "json", *args, cwd=root)
    assert result.exit_code in (0, 1), result.err
    return json.loads(result.out)


@pytest.mark.parametrize(
    ("applies_to", "expected"),
    (
        pytest.param(
            {},
            [
                "advisory-limited",
                "shadow-minimal",
                "supervised-high",
                "autonomous-high",
                "undeclared",
            ],
            id="everything",
        ),
        pytest.param({"stage": ["shadow"]}, ["shadow-minimal"], id="stage"),
        pytest.param(
            {"min_stage": "supervised"},
            ["supervised-high", "autonomous-high", "undeclared"],
            id="min-stage-and-undeclared-is-autonomous",
        ),
        pytest.param({"risk": ["high"]}, ["supervised-high", "autonomous-high"], id="risk"),
        pytest.param(
            {"min_risk": "limited"},
            ["advisory-limited", "supervised-high", "autonomous-high", "undeclared"],
            id="min-risk-and-undeclared-is-limited",
        ),
        pytest.param(
            {"risk": ["high", "minimal"], "min_stage": "supervised"},
            ["supervised-high", "autonomous-high"],
            id="risk-and-stage",
        ),
        pytest.param(
            {"stage": ["shadow", "advisory"], "min_stage": "advisory"},
            ["advisory-limited"],
            id="stage-and-min-stage-intersect",
        ),
        pytest.param({"paths": ["teams/**"]}, ["autonomous-high"], id="paths"),
        pytest.param({"paths": ["*-high"]}, ["supervised-high"], id="paths-star-one-level"),
        pytest.param(
            {"components": ["undeclared", "shadow-minimal"]},
            ["shadow-minimal", "undeclared"],
            id="components",
        ),
        pytest.param({"components": ["nope"]}, [], id="unknown-component-name"),
    ),
)
def test_scope(make_repo, run_cli, applies_to, expected):
    repo = make_repo({**COMPONENTS, "roadworthy.yaml": scoped_policy(applies_to)})
    report = run_json(run_cli, repo.path)
    found = [f["component"] for f in report["findings"] if f["code"] == "ACME201"]
    order = {f["component"]: f["path"] for f in report["findings"]}
    assert sorted(found) == sorted(expected)
    assert [order[c] for c in found] == sorted(order[c] for c in found)  # sorted by path


def test_findings_sorted_by_path_line_code(make_repo, run_cli):
    files = {
        "b/model.onnx": W,
        "a/model.onnx": W,
        "a/MODEL_CARD.md": "---\nversion: 1.10\nlast_reviewed: never\n---\n# A\n",
    }
    report = run_json(run_cli, make_repo(files).path)
    keys = [(f["path"], f["line"], f["code"]) for f in report["findings"]]
    assert keys == sorted(keys)
    assert len(keys) > 5


# --- metadata -------------------------------------------------------------------------------------


def test_metadata_precedence_declare_card_sidecar(make_repo, run_cli):
    files = {
        "m/model.onnx": W,
        "m/MODEL_CARD.md": card(stage="supervised", risk="high"),
        "m/component.yaml": "stage: shadow\nrisk: minimal\nversion: '9.9.9'\n",
        "roadworthy.yaml": "version: 1\nextends: [recommended]\n"
        "components:\n  declare:\n    - {path: m, stage: advisory}\n",
    }
    (component,) = run_json(run_cli, make_repo(files).path)["components"]
    assert (component["stage"], component["risk"]) == ("advisory", "high")


def test_metadata_from_sidecar(make_repo, run_cli):
    files = {"m/model.onnx": W, "m/component.yaml": "stage: shadow\nrisk: minimal\n"}
    (component,) = run_json(run_cli, make_repo(files).path)["components"]
    assert (component["stage"], component["risk"]) == ("shadow", "minimal")


def test_metadata_from_model_yaml(make_repo, run_cli):
    files = {"m/model.yaml": "name: m\nstage: advisory\nrisk: high\n"}
    (component,) = run_json(run_cli, make_repo(files).path)["components"]
    assert (component["path"], component["stage"], component["risk"]) == ("m", "advisory", "high")


def test_defaults(make_repo, run_cli):
    (component,) = run_json(run_cli, make_repo({"m/model.onnx": W}).path)["components"]
    assert (component["stage"], component["risk"]) == ("autonomous", "limited")


@pytest.mark.parametrize(
    ("meta", "line"),
    (
        pytest.param({"title": "Churn", "stage": "production"}, 3, id="stage"),
        pytest.param({"owners": "{boss: '@dana'}"}, 2, id="owners-role"),
    ),
)
def test_invalid_metadata_points_at_its_key(make_repo, run_cli, meta, line):
    files = {"m/model.onnx": W, "m/MODEL_CARD.md": card(**meta)}
    report = run_json(run_cli, make_repo(files).path)
    rw004 = [(f["path"], f["line"]) for f in report["findings"] if f["code"] == "RW004"]
    assert rw004 == [("m/MODEL_CARD.md", line)]


def test_invalid_metadata_falls_back_to_the_default(make_repo, run_cli):
    files = {"m/model.onnx": W, "m/MODEL_CARD.md": card(stage="production", risk="extreme")}
    report = run_json(run_cli, make_repo(files).path)
    component = report["components"][0]
    assert (component["stage"], component["risk"]) == ("autonomous", "limited")
    assert sorted(f["code"] for f in report["findings"] if f["code"] == "RW004") == ["RW004"] * 2


def test_invalid_metadata_in_sidecar(make_repo, run_cli):
    files = {"m/model.onnx": W, "m/component.yaml": "owner: x\nstage: prod\n"}
    report = run_json(run_cli, make_repo(files).path)
    assert [(f["path"], f["code"]) for f in report["findings"] if f["code"] == "RW004"] == [
        ("m/component.yaml", "RW004")
    ]


def test_custom_risk_tiers(make_repo, run_cli):
    files = {
        "m/model.onnx": W,
        "m/MODEL_CARD.md": card(risk="critical"),
        "roadworthy.yaml": "version: 1\nextends: [recommended]\nrisks: [low, critical]\n",
    }
    report = run_json(run_cli, make_repo(files).path)
    assert report["components"][0]["risk"] == "critical"
    assert "RW004" not in {f["code"] for f in report["findings"]}


# --- unparseable artifacts ---------------------------------------------------------------------


def test_rw001_once_per_file_however_many_rules_read_it(make_repo, run_cli):
    files = {"m/model.onnx": W, "m/MODEL_CARD.md": b"\x00\x01\x02"}
    report = run_json(run_cli, make_repo(files).path)
    rw001 = [(f["path"], f["component"]) for f in report["findings"] if f["code"] == "RW001"]
    assert rw001 == [("m/MODEL_CARD.md", "m")]


def test_one_broken_component_does_not_stop_the_others(make_repo, run_cli):
    files = {
        "a/model.onnx": W,
        "a/MODEL_CARD.md": b"\x00binary\x00",
        "a/data_contract.yaml": "a: [\n",
        "b/model.onnx": W,
    }
    report = run_json(run_cli, make_repo(files).path)
    by_component = {}
    for f in report["findings"]:
        by_component.setdefault(f["component"], set()).add(f["code"])
    assert by_component["a"] >= {"RW001"}
    assert by_component["b"] >= {"RW101", "RW102", "RW103", "RW104", "RW301"}


def test_unparseable_shared_file_has_no_component(make_repo, run_cli):
    files = {"a/model.onnx": W, "b/model.onnx": W, "CODEOWNERS": b"\xff\xfe\x00"}
    report = run_json(run_cli, make_repo(files).path)
    rw001 = [(f["path"], f["component"]) for f in report["findings"] if f["code"] == "RW001"]
    assert rw001 == [("CODEOWNERS", None)]


# --- tuning built-in and preset rules ------------------------------------------------------------


@pytest.mark.parametrize(
    ("rules", "codes", "exit_code"),
    (
        pytest.param("", ["RW004", "RW102"], 1, id="default"),
        pytest.param("  RW004: {enabled: false}\n", ["RW102"], 1, id="rw004-disabled"),
        pytest.param("  RW102: {enabled: false}\n", ["RW004"], 1, id="preset-rule-disabled"),
        pytest.param(
            "  RW004: {severity: warning}\n  RW102: {severity: warning}\n",
            ["RW004", "RW102"],
            0,
            id="warnings-pass",
        ),
    ),
)
def test_rule_overrides(make_repo, run_cli, rules, codes, exit_code):
    text = (
        "---\nversion: '1.0.0'\nlast_reviewed: 2026-10-01\nstage: shadow\nrisk: extreme\n"
        "owners: ['@a']\n---\n## Intended use\nx.\n## Limitations\nx.\n## Training data\nx.\n"
        "## Evaluation\nx.\n"
    )
    policy = "version: 1\nextends: [recommended]\n" + ("rules:\n" + rules if rules else "")
    files = {"m/model.onnx": W, "m/MODEL_CARD.md": text, "roadworthy.yaml": policy}
    repo = make_repo(files)
    result = run_cli("check", "--format", "json", cwd=repo.path)
    assert sorted(f["code"] for f in json.loads(result.out)["findings"]) == codes
    assert result.exit_code == exit_code


# --- readiness --------------------------------------------------------------------------------


def test_readiness_per_dimension(make_repo, run_cli):
    files = {
        "m/model.onnx": W,
        "m/MODEL_CARD.md": (
            "---\nversion: '1.0.0'\nlast_reviewed: 2024-01-01\nstage: shadow\nowners: ['@a']\n---\n"
            "## Intended use\nx.\n## Limitations\nx.\n## Training data\nx.\n## Evaluation\nx.\n"
        ),
    }
    report = run_json(run_cli, make_repo(files).path)
    assert report["components"][0]["readiness"] == {
        "data": "red",  # RW102 missing-data-contract (error)
        "integration": "green",
        "governance": "yellow",  # RW204 stale-model-card (warning)
        "operations": "green",
        "organization": "green",
    }
    assert report["summary"]["verdict"] == "red"


# --- crashes -------------------------------------------------------------------------------------


def test_a_crashing_check_exits_3_with_a_crash_file(make_repo, run_cli, monkeypatch, tmp_path):
    from roadworthy.checks import file_exists

    def boom(component, ctx, options):
        raise ZeroDivisionError("simulated bug in a check")

    monkeypatch.setattr(file_exists, "check", boom)
    repo = make_repo({"m/model.onnx": W})
    result = run_cli("check", cwd=repo.path)
    assert result.exit_code == 3
    assert "Traceback" not in result.err
    assert "file-exists" in result.err
    assert len(result.err.strip().splitlines()) == 1
    crash_files = list(tmp_path.glob("roadworthy-crash-*.log"))
    assert len(crash_files) == 1
    assert crash_files[0].name in result.err
    log = crash_files[0].read_text()
    assert "ZeroDivisionError: simulated bug in a check" in log
    assert "Traceback" in log
    assert "argv ['check']" in log


def test_debug_shows_the_traceback(make_repo, run_cli, monkeypatch):
    from roadworthy.checks import file_exists

    def boom(component, ctx, options):
        raise ZeroDivisionError("simulated bug")

    monkeypatch.setattr(file_exists, "check", boom)
    repo = make_repo({"m/model.onnx": W})
    with pytest.raises(engine.CheckCrash):
        run_cli("--debug", "check", cwd=repo.path)


# --- the API without the CLI -------------------------------------------------------------------


def test_run_directly(make_repo):
    repo = make_repo({"m/model.onnx": W, "roadworthy.yaml": scoped_policy({})})
    located = pipeline.locate([], repo.path)
    policy = pipeline.load_repository_policy(located, None, repo.path)
    tree = WorkTree(repo.path, is_git=True)
    report = engine.run(engine.Inputs(policy, tree, dt.date(2026, 11, 21), "repo"))
    assert [(f.code, f.path, f.line) for f in report.findings] == [("ACME201", "m/model.onnx", 1)]
    assert [c.name for c in report.components] == ["m"]


def test_run_with_only(make_repo):
    repo = make_repo({"a/model.onnx": W, "b/model.onnx": W})
    policy = load_policy(pipeline.file_reader(repo.path), None)
    tree = WorkTree(repo.path, is_git=True)
    report = engine.run(engine.Inputs(policy, tree, dt.date(2026, 11, 21), "repo", ("b",)))
    assert {f.component for f in report.findings} == {"b"}


def test_readiness_is_the_colour_of_each_dimensions_findings():
    # `readiness` colours every dimension in one pass; it must say what `colour` says of each
    # dimension's findings, the policy's own dimensions after the five, in order of appearance.
    import random

    from roadworthy.findings import DIMENSIONS, Finding, Severity, colour, readiness

    rng = random.Random(5)
    for _ in range(300):
        findings = [
            Finding(
                path="m/x",
                line=1,
                code="X1",
                name="x",
                severity=rng.choice(list(Severity)),
                message="m",
                fix=None,
                component="m",
                dimension=rng.choice([*DIMENSIONS, "privacy", "cost"]),
                waived_by=rng.choice([None, None, "W1"]),
            )
            for _ in range(rng.randrange(0, 8))
        ]
        dimensions = list(dict.fromkeys([*DIMENSIONS, *(f.dimension for f in findings)]))
        expected = {d: colour(f for f in findings if f.dimension == d) for d in dimensions}
        got = readiness(findings)
        assert list(got.items()) == list(expected.items())

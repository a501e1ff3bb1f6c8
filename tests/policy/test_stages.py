"""The policy's ``stages``: criteria per stage and risk, and every mistake located."""

from __future__ import annotations

import json

import pytest
from jsonschema import Draft202012Validator

from roadworthy.policy.load import load_policy

from .test_load import HEAD, single

STAGES = """stages:
  advisory: {evaluation: {metrics: {auc: ">= 0.80"}, min_samples: 1000}}
  supervised:
    evaluation: {metrics: {auc: ">= 0.85", recall: "> 0.8"}, window_days: 30}
    for_risk:
      high: {evaluation: {metrics: {auc: ">= 0.90"}, window_days: 60}}
"""


def _policy(text: str):
    return load_policy({"roadworthy.yaml": text}.get, "roadworthy.yaml")


def test_criteria_per_stage_and_risk() -> None:
    policy = _policy(HEAD + STAGES)
    assert policy.criteria("shadow", "high") is None
    advisory = policy.criteria("advisory", "high")
    assert advisory is not None
    assert [(m, str(t)) for m, t in advisory.metrics] == [("auc", ">= 0.80")]
    assert advisory.min_samples == 1000
    limited = policy.criteria("supervised", "limited")
    high = policy.criteria("supervised", "high")
    assert limited is not None and high is not None
    assert [(m, str(t)) for m, t in limited.metrics] == [("auc", ">= 0.85"), ("recall", "> 0.8")]
    # A risk's criteria are merged over the stage's: metric by metric, other keys replaced.
    assert [(m, str(t)) for m, t in high.metrics] == [("auc", ">= 0.90"), ("recall", "> 0.8")]
    assert (limited.window_days, high.window_days) == (30, 60)


def test_requires_per_stage_and_risk() -> None:
    stages = (
        "stages:\n  autonomous:\n    requires: [RW104, RW103]\n"
        "    for_risk: {minimal: {evaluation: {window_days: 9}}, high: {requires: [RW101]}}\n"
    )
    policy = _policy(HEAD + stages)
    assert policy.requires("autonomous", "limited") == ("RW103", "RW104")
    # Carried into a risk's criteria that leave it out; replaced where a risk sets its own.
    assert policy.requires("autonomous", "minimal") == ("RW103", "RW104")
    assert policy.requires("autonomous", "high") == ("RW101",)
    assert policy.requires("supervised", "high") == ()
    # A stage that only requires rules asks nothing of an evaluation.
    assert policy.criteria("autonomous", "limited") is None


@pytest.mark.parametrize(
    ("stages", "line", "words"),
    (
        pytest.param(
            "stages:\n  advisory: {evaluation: {metrics: {auc: '0.80'}}}\n",
            4,
            ["stages.advisory.evaluation.metrics.auc", "is not a comparison with a number"],
            id="threshold-without-comparison",
        ),
        pytest.param(
            "stages:\n  production: {evaluation: {window_days: 3}}\n",
            4,  # a key that is not a stage is reported at the key itself
            ["production"],
            id="unknown-stage",
        ),
        pytest.param(
            "stages:\n  advisory: {for_risk: {extreme: {evaluation: {window_days: 3}}}}\n",
            4,
            ["stages.advisory.for_risk", "unknown risk 'extreme'"],
            id="unknown-risk",
        ),
        pytest.param(
            "stages:\n  advisory: {evaluation: {window_days: 0}}\n",
            4,
            ["window_days"],
            id="window-not-positive",
        ),
        pytest.param(
            "stages:\n  autonomous:\n    requires:\n      - RW103\n      - RW999\n",
            7,  # the unknown code's own line, not the list's
            ["stages.autonomous.requires[1]", "unknown rule 'RW999'"],
            id="requires-unknown-code",
        ),
        pytest.param(
            "stages:\n  autonomous: {requires: [missing-runbook]}\n",
            4,
            ["requires[0]", "missing-runbook"],
            id="requires-a-name-not-a-code",
        ),
        pytest.param(
            "stages:\n  autonomous: {for_risk: {high: {requires: [RW104, RW411]}}}\n",
            4,
            ["stages.autonomous.for_risk.high.requires[1]", "RW411 judges readiness itself"],
            id="requires-the-signoff-rule",
        ),
        pytest.param(
            "stages:\n  autonomous: {requires: [RW207]}\n",
            4,
            ["requires[0]", "RW207 judges readiness itself"],
            id="requires-the-criteria-rule",
        ),
        pytest.param(
            "rules:\n  RW104: {enabled: false}\nstages:\n  autonomous: {requires: [RW104]}\n",
            6,
            ["requires[0]", "RW104 is disabled in this policy"],
            id="requires-a-disabled-rule",
        ),
    ),
)
def test_stage_mistakes_are_located(make_repo, run_cli, stages, line, words) -> None:
    path, at, message = single(make_repo, run_cli, HEAD + stages)
    assert (path, at) == ("roadworthy.yaml", line)
    for word in words:
        assert word in message


def test_schema_evaluation_prints_the_report_format(run_cli, tmp_path) -> None:
    result = run_cli("schema", "evaluation", cwd=tmp_path)
    assert result.exit_code == 0
    schema = json.loads(result.out)
    Draft202012Validator.check_schema(schema)
    assert schema["$id"].endswith("evaluation-1.json")
    path = run_cli("schema", "--path", "evaluation", cwd=tmp_path).out.strip()
    assert path.endswith("evaluation.schema.json")
    assert run_cli("schema", cwd=tmp_path).out != result.out  # the policy's, by default

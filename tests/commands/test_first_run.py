"""What a first run on a repository offers a person: the findings counted per rule
(``--statistics``) and a run narrowed to some rules (``--select`` / ``--ignore``), through the
real CLI on real git repositories."""

from __future__ import annotations

import pytest

W = "placeholder weights\n"
STALE_CARD = (
    "---\nversion: '1.0.0'\nlast_reviewed: 2024-01-01\nstage: shadow\nowners: ['@acme/ml']\n---\n"
    "## Intended use\nRanking.\n## Limitations\nEnglish only.\n"
    "## Training data\nClick logs.\n## Evaluation\nNDCG 0.41.\n"
)


def three_components() -> dict[str, str]:
    """a and b: no card (so stage autonomous), contract or owner; c: a stale card, no contract."""
    return {"a/model.onnx": W, "b/model.onnx": W, "c/model.onnx": W, "c/MODEL_CARD.md": STALE_CARD}


def codes(out: str) -> list[str]:
    return [line.split()[2] for line in out.splitlines() if not line.startswith(" ")]


def test_statistics_count_each_rule_most_first(make_repo, run_cli):
    result = run_cli("check", "--statistics", cwd=make_repo(three_components()).path)
    assert result.exit_code == 1
    assert result.out.splitlines() == [
        "3  RW102  missing-data-contract  error",
        "2  RW101  missing-model-card     error",
        "2  RW103  missing-rollback-plan  error",
        "2  RW104  missing-runbook        error",
        "2  RW301  unowned-component      error",
        "1  RW204  stale-model-card       warning",
    ]
    assert result.err == "roadworthy: 12 findings (11 errors, 1 warning) in 3 components\n"


def test_statistics_go_to_the_output_file(make_repo, run_cli):
    repo = make_repo(three_components())
    result = run_cli("check", "--statistics", "-o", "stats.txt", cwd=repo.path)
    assert result.out == ""
    assert (repo.path / "stats.txt").read_text().startswith("3  RW102  missing-data-contract")


def test_statistics_are_text_only(make_repo, run_cli):
    result = run_cli(
        "check", "--statistics", "--format", "json", cwd=make_repo(three_components()).path
    )
    assert result.exit_code == 2
    assert "--statistics" in result.err


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        pytest.param(["--select", "RW101"], ["RW101", "RW101"], id="code"),
        pytest.param(["--select", "stale-model-card"], ["RW204"], id="name"),
        pytest.param(["--select", "RW2,RW3"], ["RW301", "RW301", "RW204"], id="prefixes"),
        pytest.param(
            ["--ignore", "RW1", "--ignore", "unowned-component"], ["RW204"], id="ignore-repeated"
        ),
        pytest.param(
            ["--select", "RW1", "--ignore", "RW102,RW103,RW104"],
            ["RW101", "RW101"],
            id="ignore-narrows",
        ),
        pytest.param(
            ["--ignore", "RW1", "--select", "RW102"],
            ["RW102", "RW102", "RW102"],
            id="longer-select-wins",
        ),
    ],
)
def test_select_and_ignore(make_repo, run_cli, args, expected):
    result = run_cli("check", *args, cwd=make_repo(three_components()).path)
    assert sorted(codes(result.out)) == sorted(expected)


def test_only_selected_rules_decide_the_exit_code(make_repo, run_cli):
    repo = make_repo(three_components())
    assert run_cli("check", "--select", "RW204", cwd=repo.path).exit_code == 0
    assert (
        run_cli("check", "--select", "RW204", "--fail-on", "warning", cwd=repo.path).exit_code == 1
    )


def test_an_unknown_selector_is_a_usage_error_naming_each(make_repo, run_cli):
    result = run_cli(
        "check", "--select", "RW9", "--ignore", "stale-card", cwd=make_repo(three_components()).path
    )
    assert result.exit_code == 2
    assert "'RW9'" in result.err
    assert "'stale-card' (did you mean stale-model-card?)" in result.err


def test_a_waiver_of_an_ignored_rule_is_not_reported_unused(make_repo, run_cli):
    policy = (
        "version: 1\nextends: [recommended]\nwaivers:\n  - id: no-contracts\n    rules: [RW102]\n"
        "    paths: ['**']\n    owner: '@acme/ml'\n    reason: contracts in the registry\n"
        "    expires: 2099-01-01\n"
    )
    repo = make_repo({**three_components(), "roadworthy.yaml": policy})
    result = run_cli("check", "--ignore", "RW102", cwd=repo.path)
    assert "RW002" not in result.out
    assert "RW102" not in result.out


def test_a_rule_the_organisation_locked_runs_anyway(make_repo, run_cli):
    policy = "version: 1\nextends: [recommended]\nrules:\n  RW101: {locked: true}\n"
    repo = make_repo({**three_components(), "roadworthy.yaml": policy})
    result = run_cli("check", "--ignore", "RW101", cwd=repo.path)
    assert "RW101" in codes(result.out)
    assert "RW101 missing-model-card is locked by the policy and runs anyway" in result.err


def test_select_applies_in_diff_mode(make_repo, run_cli):
    repo = make_repo(three_components())
    repo.write({"d/model.onnx": W})
    repo.commit("add d")
    result = run_cli("check", "--diff", "HEAD~1", "--select", "RW101", cwd=repo.path)
    assert codes(result.out) == ["RW101"]

"""A check that finds no component says so in one line: what it looked for and what excludes
skipped, exit 0, instead of "0 findings in 0 components"."""

from __future__ import annotations

import pytest

W = "placeholder weights\n"


def last_line(result) -> str:
    lines = result.err.splitlines()
    assert len(lines) == 1, result.err
    return lines[0]


def test_a_repository_without_models(make_repo, run_cli):
    repo = make_repo({"src/app.py": "print('hi')\n", "README.md": "# app\n"})
    result = run_cli("check", cwd=repo.path)
    assert result.exit_code == 0
    assert result.out == ""
    line = last_line(result)
    assert line.startswith("roadworthy: no model component found: looked for weights files (*.onnx")
    assert "MLflow MLmodel, model.yaml, DVC-tracked weights" in line
    assert line.endswith("; nothing was excluded")


def test_only_test_data_and_examples(make_repo, run_cli):
    repo = make_repo({"tests/data/tiny.onnx": W, "examples/mnist/mnist_cnn.pt": W})
    result = run_cli("check", "--format", "json", cwd=repo.path)
    assert result.exit_code == 0
    assert last_line(result).endswith(
        "; 2 model-looking files skipped as excluded (examples/, tests/); "
        "`roadworthy check --show-excluded` lists them and how to include them"
    )


@pytest.mark.parametrize(
    ("policy", "looked_for"),
    [
        pytest.param(
            "components:\n  markers: ['**/*.onnx', '**/MLmodel']\n",
            "looked for files matching **/*.onnx, **/MLmodel;",
            id="own-markers",
        ),
        pytest.param(
            "components:\n  markers: ['a/*.onnx', 'b/*.onnx', 'c/*.onnx', 'd/*.onnx', 'e/*.pt']\n",
            "looked for files matching a/*.onnx, b/*.onnx, c/*.onnx, d/*.onnx and 1 more;",
            id="many-markers",
        ),
        pytest.param(
            "components:\n  markers: []\n",
            "looked for the components declared in the policy only (components.markers is empty);",
            id="declared-only",
        ),
    ],
)
def test_says_what_the_policy_looks_for(make_repo, run_cli, policy, looked_for):
    repo = make_repo({"roadworthy.yaml": "version: 1\n" + policy, "src/app.py": "x\n"})
    result = run_cli("check", cwd=repo.path)
    assert result.exit_code == 0
    assert f"roadworthy: no model component found: {looked_for}" in last_line(result)


def test_repository_findings_keep_the_usual_summary(make_repo, run_cli):
    # No component, but something to report: the counts matter more than what was looked for.
    repo = make_repo({".github/CODEOWNERS": "[unclosed @team\n"})
    result = run_cli("check", cwd=repo.path)
    assert "in 0 components" in last_line(result)


def test_a_change_keeps_the_usual_summary(make_repo, run_cli):
    repo = make_repo({"src/app.py": "x\n"})
    (repo.path / "src" / "app.py").write_text("y\n")
    repo.git("add", "-A")
    result = run_cli("check", "--staged", cwd=repo.path)
    assert last_line(result) == "roadworthy: 0 findings (0 errors, 0 warnings) in 0 components"

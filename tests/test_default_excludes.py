"""The recommended preset's default excludes: test data, examples, docs, vendored code and
virtual environments are not components; a repository takes a folder back with
``components.include``; a run says what it skipped, and ``--show-excluded`` lists it."""

from __future__ import annotations

import json

import pytest

W = "placeholder weights\n"
MODEL = {"models/churn/model.onnx": W}


def components(run_cli, repo) -> list[str]:
    result = run_cli("check", "--format", "json", cwd=repo.path)
    assert result.exit_code in (0, 1), result.err
    return [c["path"] for c in json.loads(result.out)["components"]]


@pytest.mark.parametrize(
    "path",
    [
        pytest.param("tests/data/model.onnx", id="tests"),
        pytest.param("pkg/test/resources/echo.mar", id="test-deep"),
        pytest.param("onnx/backend/test/data/node/model.onnx", id="onnx-test-data"),
        pytest.param("testdata/tiny.pt", id="testdata"),
        pytest.param("model_archiver/integ_tests/regular/vocab.pt", id="suffix-test"),
        pytest.param("src/test_models/tiny.pkl", id="prefix-test"),
        pytest.param("fixtures/demo/model.onnx", id="fixtures"),
        pytest.param("examples/mnist/mnist_cnn.pt", id="examples"),
        pytest.param("example_models/joblib/model/model.joblib", id="example-models"),
        pytest.param("docs/samples/v2/model.onnx", id="docs"),
        pytest.param("lib/documentation/examples/cats.h5", id="documentation"),
        pytest.param("samples/model.onnx", id="samples"),
        pytest.param("qa/model.onnx", id="qa"),
        pytest.param("benchmarks/resnet/model.onnx", id="benchmarks"),
        pytest.param("third_party/onnx/model.onnx", id="third-party"),
        pytest.param("vendor/x/model.onnx", id="vendor"),
        pytest.param("web/node_modules/onnxruntime-web/model.onnx", id="node-modules"),
        pytest.param(".venv/lib/python3.11/site-packages/x/model.pt", id="dot-venv"),
        pytest.param("venv/lib/model.pt", id="venv"),
        pytest.param("mlruns/8530/1c00447556/artifacts/model/MLmodel", id="mlflow-run"),
        pytest.param("mlartifacts/1/abc/artifacts/model/model.pkl", id="mlflow-artifacts"),
        pytest.param("wandb/run-20240101/files/model.h5", id="wandb-run"),
        pytest.param("lightning_logs/version_0/checkpoints/last.ckpt", id="lightning-logs"),
    ],
)
def test_model_looking_files_in_excluded_folders_are_not_components(make_repo, run_cli, path):
    repo = make_repo({**MODEL, path: W})
    assert components(run_cli, repo) == ["models/churn"]


@pytest.mark.parametrize(
    "path",
    [
        pytest.param("contest/model.onnx", id="contest"),
        pytest.param("latest/model.onnx", id="latest"),
        pytest.param("vendors/model.onnx", id="vendors"),
        pytest.param("documents/model.onnx", id="documents"),
        pytest.param("attestation/model.onnx", id="attestation"),
        pytest.param("ab-testing/model.onnx", id="ab-testing"),
        pytest.param("yaml-test-suite/model.onnx", id="hyphenated-test"),
        pytest.param("zoo/test.onnx", id="file-named-test"),
    ],
)
def test_names_that_only_contain_an_excluded_word_are_searched(make_repo, run_cli, path):
    repo = make_repo({**MODEL, path: W})
    folder = path.rpartition("/")[0]
    assert folder in components(run_cli, repo)


def test_excludes_are_relative_to_the_checked_repository(make_repo, run_cli, tmp_path):
    # The repository itself sits in folders named like excludes (a checkout under tests/, the
    # bundled demo under fixtures/): only paths inside it count.
    repo = make_repo({"models/churn/model.onnx": W}, name="tests/fixtures/examples/demo")
    assert components(run_cli, repo) == ["models/churn"]


def test_include_takes_a_folder_back(make_repo, run_cli):
    policy = "version: 1\nextends: [recommended]\ncomponents:\n  include: ['examples/prod/**']\n"
    repo = make_repo(
        {
            "roadworthy.yaml": policy,
            "examples/prod/model.onnx": W,
            "examples/toy/model.onnx": W,
        }
    )
    assert components(run_cli, repo) == ["examples/prod"]


def test_a_declared_component_keeps_its_markers_in_an_excluded_folder(make_repo, run_cli):
    policy = "version: 1\nextends: [recommended]\ncomponents:\n  declare: [{path: docs/demo}]\n"
    repo = make_repo({"roadworthy.yaml": policy, "docs/demo/model.onnx": W})
    result = run_cli("check", "--format", "json", cwd=repo.path)
    paths = {f["path"] for f in json.loads(result.out)["findings"] if f["code"] == "RW101"}
    assert paths == {"docs/demo/model.onnx"}  # anchored on its marker, not on the policy
    assert "excluded" not in result.err


def test_a_policy_of_its_own_has_only_its_own_excludes(make_repo, run_cli):
    repo = make_repo({"roadworthy.yaml": "version: 1\n", "tests/m/model.onnx": W})
    assert components(run_cli, repo) == ["tests/m"]


def test_the_summary_counts_what_was_skipped(make_repo, run_cli):
    repo = make_repo(
        {**MODEL, "tests/a/model.onnx": W, "tests/b/model.pt": W, "docs/c/model.onnx": W}
    )
    result = run_cli("check", cwd=repo.path)
    assert result.err.splitlines()[1] == (
        "roadworthy: 3 model-looking files skipped as excluded (tests/, docs/); "
        "`roadworthy check --show-excluded` lists them and how to include them"
    )


def test_show_excluded_lists_each_file_and_how_to_include_it(make_repo, run_cli):
    repo = make_repo({**MODEL, "tests/a/model.onnx": W, "examples/b/model.pt": W})
    result = run_cli("check", "--show-excluded", cwd=repo.path)
    assert result.err.splitlines()[2:] == [
        "roadworthy: 2 model-looking files skipped as excluded:",
        "  examples/b/model.pt  (exclude **/examples/**)",
        "  tests/a/model.onnx  (exclude **/tests/**)",
        "roadworthy: to check one, take it back in roadworthy.yaml: "
        'components: {include: ["examples/**"]}',
    ]


def test_show_excluded_with_a_path_lists_what_is_under_it(make_repo, run_cli):
    repo = make_repo({**MODEL, "a/tests/model.onnx": W, "b/tests/model.pt": W})
    result = run_cli("check", "--show-excluded", "b", cwd=repo.path)
    assert "  b/tests/model.pt  (exclude **/tests/**)" in result.err.splitlines()
    assert "a/tests/model.onnx" not in result.err


def test_show_excluded_is_for_a_check_of_the_repository(make_repo, run_cli):
    repo = make_repo(MODEL)
    result = run_cli("check", "--show-excluded", "--staged", cwd=repo.path)
    assert result.exit_code == 2
    assert "--show-excluded" in result.err


def test_an_include_pattern_that_cannot_match_is_a_policy_error(make_repo, run_cli):
    policy = "version: 1\ncomponents:\n  include: ['[z-a]/**']\n"
    repo = make_repo({"roadworthy.yaml": policy, **MODEL})
    result = run_cli("check", cwd=repo.path)
    assert result.exit_code == 2
    assert "roadworthy.yaml:3:" in result.err
    assert "components.include[0]: '[z-a]/**' is not a valid pattern" in result.err


def test_one_skipped_file_is_it(make_repo, run_cli):
    repo = make_repo({**MODEL, "docs/c/model.onnx": W})
    result = run_cli("check", "--show-excluded", cwd=repo.path)
    lines = result.err.splitlines()
    assert lines[1].endswith("`roadworthy check --show-excluded` lists it and how to include it")
    assert lines[2] == "roadworthy: 1 model-looking file skipped as excluded:"


def test_an_excluded_file_is_named_as_a_file(make_repo, run_cli):
    policy = "version: 1\nextends: [recommended]\ncomponents:\n  exclude: ['**/legacy.pkl']\n"
    repo = make_repo({"roadworthy.yaml": policy, **MODEL, "old/legacy.pkl": W})
    result = run_cli("check", "--show-excluded", cwd=repo.path)
    lines = result.err.splitlines()
    assert "skipped as excluded (old/legacy.pkl);" in lines[1]
    assert lines[3:] == [
        "  old/legacy.pkl  (exclude **/legacy.pkl)",
        'roadworthy: to check one, take it back in roadworthy.yaml: components: {include: ["old/legacy.pkl"]}',
    ]

"""The command line: exit codes, --fail-on, --output, colour, and the small commands."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from roadworthy import __version__
from roadworthy.cli import main

W = "placeholder weights\n"
ROOT = Path(__file__).resolve().parents[1]
REPORT_SCHEMA = json.loads((ROOT / "src/roadworthy/schemas/report.schema.json").read_text())
CARD = (
    "---\nversion: '1.0.0'\nlast_reviewed: {reviewed}\nstage: shadow\nowners: ['@acme/ml']\n---\n"
    "## Intended use\nRanking.\n## Limitations\nEnglish only.\n"
    "## Training data\nClick logs.\n## Evaluation\nNDCG 0.41.\n"
)
CONTRACT = "apiVersion: v3.0.2\nkind: DataContract\nid: clicks\nversion: 1.0.0\nstatus: active\n"


@pytest.fixture(autouse=True)
def _crash_files_in_tmp(tmp_path, monkeypatch):
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))


def clean(reviewed: str = "2026-10-01") -> dict[str, str]:
    return {
        "m/model.onnx": W,
        "m/MODEL_CARD.md": CARD.format(reviewed=reviewed),
        "m/data_contract.yaml": CONTRACT,
    }


def with_warning() -> dict[str, str]:
    return clean(reviewed="2024-01-01")  # RW204 stale-model-card: a warning


def with_error() -> dict[str, str]:
    files = clean()
    del files["m/data_contract.yaml"]  # RW102: an error
    return files


# --- exit codes ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("files", "args", "exit_code"),
    (
        pytest.param(clean(), [], 0, id="clean"),
        pytest.param(with_warning(), [], 0, id="warning-passes-by-default"),
        pytest.param(with_error(), [], 1, id="error"),
        pytest.param(clean(), ["--fail-on", "warning"], 0, id="clean-fail-on-warning"),
        pytest.param(with_warning(), ["--fail-on", "warning"], 1, id="warning-fail-on-warning"),
        pytest.param(with_error(), ["--fail-on", "never"], 0, id="error-fail-on-never"),
        pytest.param(with_warning(), ["--fail-on", "error"], 0, id="warning-fail-on-error"),
        pytest.param(with_error(), ["--fail-on", "error"], 1, id="error-fail-on-error"),
    ),
)
def test_exit_codes(make_repo, run_cli, files, args, exit_code):
    repo = make_repo(files)
    for fmt in ("text", "json"):
        result = run_cli("check", "--format", fmt, *args, cwd=repo.path)
        assert result.exit_code == exit_code, result.err


@pytest.mark.parametrize(
    ("fail_on", "args", "exit_code"),
    (
        pytest.param("warning", [], 1, id="policy-fail-on-warning"),
        pytest.param("warning", ["--fail-on", "error"], 0, id="command-line-wins"),
        pytest.param("never", [], 0, id="policy-never"),
    ),
)
def test_fail_on_in_the_policy(make_repo, run_cli, fail_on, args, exit_code):
    policy = f"version: 1\nextends: [recommended]\nfail_on: {fail_on}\n"
    repo = make_repo({**with_warning(), "roadworthy.yaml": policy})
    assert run_cli("check", *args, cwd=repo.path).exit_code == exit_code


@pytest.mark.parametrize(
    "argv",
    (
        pytest.param(["check", "--fail-on", "sometimes"], id="bad-choice"),
        pytest.param(["check", "--format", "yaml"], id="unknown-format"),
        pytest.param(["check", "--bogus"], id="unknown-option"),
        pytest.param(["frobnicate"], id="unknown-command"),
        pytest.param([], id="no-command"),
    ),
)
def test_usage_errors_exit_2(make_repo, run_cli, argv):
    result = run_cli(*argv, cwd=make_repo(clean()).path)
    assert result.exit_code == 2
    assert result.err
    assert "Traceback" not in result.err


def test_invalid_policy_exits_2(make_repo, run_cli):
    repo = make_repo({**clean(), "roadworthy.yaml": "version: 1\nextends: [nope]\n"})
    result = run_cli("check", cwd=repo.path)
    assert result.exit_code == 2
    assert result.err.startswith("roadworthy.yaml:2:")


def test_path_that_does_not_exist(make_repo, run_cli):
    result = run_cli("check", "no/such/folder", cwd=make_repo(clean()).path)
    assert result.exit_code == 2
    assert "no/such/folder" in result.err


def test_path_outside_the_repository(make_repo, run_cli, tmp_path):
    repo = make_repo(clean())
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = run_cli("check", "m", str(elsewhere), cwd=repo.path)
    assert result.exit_code == 2
    assert "not inside the repository" in result.err


def test_paths_in_two_repositories(make_repo, run_cli):
    a, b = make_repo(clean(), name="a"), make_repo(clean(), name="b")
    result = run_cli("check", str(a.path / "m"), str(b.path / "m"), cwd=a.path)
    assert result.exit_code == 2


def test_bad_pinned_date(make_repo, run_cli, monkeypatch):
    monkeypatch.setenv("ROADWORTHY_TODAY", "21.11.2026")
    result = run_cli("check", cwd=make_repo(clean()).path)
    assert result.exit_code == 2
    assert "ROADWORTHY_TODAY" in result.err


def test_crash_exits_3(make_repo, run_cli, monkeypatch):
    from roadworthy import pipeline

    def boom(repo, policy, **_):
        raise RuntimeError("simulated")

    monkeypatch.setattr(pipeline, "check", boom)
    result = run_cli("check", cwd=make_repo(clean()).path)
    assert result.exit_code == 3
    assert "Traceback" not in result.err
    assert "RuntimeError: simulated" in result.err


def test_interrupt_exits_130(make_repo, run_cli, monkeypatch):
    from roadworthy import pipeline

    def interrupted(repo, policy, **_):
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline, "check", interrupted)
    result = run_cli("check", cwd=make_repo(clean()).path)
    assert result.exit_code == 130


# --- repositories that are not what one expects -------------------------------------------------


def test_empty_repository_without_commits(tmp_path, run_cli):
    from testing.gitrepo import GitRepo

    repo = GitRepo.init(tmp_path / "empty")
    result = run_cli("check", "--format", "json", cwd=repo.path)
    assert result.exit_code == 0, result.err
    report = json.loads(result.out)
    assert (report["components"], report["findings"]) == ([], [])


def test_plain_folder(tmp_path, run_cli):
    root = tmp_path / "plain"
    (root / "m").mkdir(parents=True)
    for rel, text in with_error().items():
        (root / rel).write_text(text)
    result = run_cli("check", "--format", "json", cwd=root)
    assert result.exit_code == 1
    assert [f["code"] for f in json.loads(result.out)["findings"]] == ["RW102"]


def test_run_from_a_subfolder_checks_only_that_part(make_repo, run_cli):
    repo = make_repo({**clean(), "other/model.onnx": W})
    result = run_cli("check", "--format", "json", cwd=repo.path / "m")
    assert [c["path"] for c in json.loads(result.out)["components"]] == ["m"]


# --- output ------------------------------------------------------------------------------------


def test_text_output(make_repo, run_cli):
    result = run_cli("check", cwd=make_repo(with_error()).path)
    assert result.out.splitlines() == [
        "m/model.onnx:1: error RW102 missing-data-contract: no data_contract.yaml, datacontract.yaml,"
        " *.odcs.yaml or *.odcs.yml in m",
        "    fix: add m/data_contract.yaml (`roadworthy init` writes a template)",
    ]
    assert result.err == "roadworthy: 1 finding (1 error, 0 warnings) in 1 component\n"


def test_json_output_is_valid_and_stable(make_repo, run_cli):
    repo = make_repo({**with_error(), "n/model.pt": W})
    first = run_cli("check", "--format", "json", cwd=repo.path)
    second = run_cli("check", "--format", "json", cwd=repo.path)
    assert first.out == second.out
    report = json.loads(first.out)
    Draft202012Validator(REPORT_SCHEMA).validate(report)
    assert list(report) == ["schema_version", "tool", "policy", "components", "findings", "summary"]
    assert list(report["findings"][0]) == [
        "code", "name", "severity", "component", "path", "line", "message", "fix", "dimension",
        "waived_by",
    ]  # fmt: skip
    assert report["tool"] == {"name": "roadworthy", "version": __version__}
    assert str(repo.path) not in first.out


@pytest.mark.parametrize("fmt", ("text", "json"))
def test_output_file(make_repo, run_cli, tmp_path, fmt):
    repo = make_repo(with_error())
    target = tmp_path / "reports" / f"report.{fmt}"
    result = run_cli("check", "--format", fmt, "--output", str(target), cwd=repo.path)
    assert result.exit_code == 1
    assert result.out == ""
    assert "1 finding" in result.err
    written = target.read_text()
    plain = run_cli("check", "--format", fmt, cwd=repo.path).out
    assert written == plain


@pytest.mark.parametrize(
    "target",
    (
        pytest.param("m", id="a-directory"),
        pytest.param("/proc/no-such-folder/report.txt", id="cannot-be-created"),
    ),
)
def test_unusable_output_file_is_a_usage_error(make_repo, run_cli, target):
    # Exit 3 means "a bug in roadworthy"; an --output the user cannot write is exit 2.
    result = run_cli("check", "--output", target, cwd=make_repo(with_error()).path)
    assert result.exit_code == 2, result.err
    assert "internal error" not in result.err


def test_output_file_relative_to_the_working_directory(make_repo, run_cli):
    repo = make_repo(with_error())
    run_cli("check", "--format", "json", "--output", "out/report.json", cwd=repo.path / "m")
    assert json.loads((repo.path / "m" / "out" / "report.json").read_text())["findings"]


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("no_color", "coloured"),
    (
        pytest.param(None, True, id="terminal"),
        pytest.param("1", False, id="no-color"),
        pytest.param("", True, id="empty-no-color-is-unset"),
    ),
)
def test_colour_only_on_a_terminal(make_repo, monkeypatch, no_color, coloured):
    repo = make_repo(with_error())
    if no_color is None:
        monkeypatch.delenv("NO_COLOR", raising=False)
    else:
        monkeypatch.setenv("NO_COLOR", no_color)
    monkeypatch.chdir(repo.path)
    terminal = Terminal()
    monkeypatch.setattr(sys, "stdout", terminal)
    assert main(["check"]) == 1
    assert ("\033[" in terminal.getvalue()) is coloured


def test_no_colour_when_piped(make_repo, run_cli, monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    result = run_cli("check", cwd=make_repo(with_error()).path)
    assert "\033[" not in result.out + result.err


def test_no_colour_in_json_or_output_files(make_repo, monkeypatch, tmp_path):
    repo = make_repo(with_error())
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.chdir(repo.path)
    monkeypatch.setattr(sys, "stdout", Terminal())
    main(["check", "--format", "json"])
    assert "\033[" not in sys.stdout.getvalue()
    main(["check", "--output", str(tmp_path / "r.txt")])
    assert "\033[" not in (tmp_path / "r.txt").read_text()


# --- small commands ------------------------------------------------------------------------------


def test_version(run_cli, tmp_path):
    result = run_cli("--version", cwd=tmp_path)
    assert result.exit_code == 0
    assert result.out.strip() == f"roadworthy {__version__}"


def test_rule_lists_all_rules(run_cli, tmp_path):
    result = run_cli("rule", cwd=tmp_path)
    assert result.exit_code == 0
    codes = [line.split()[0] for line in result.out.splitlines() if not line.startswith(" ")]
    assert codes == sorted(codes)
    expected = {"RW001", "RW002", "RW003", "RW004", "RW105", "RW302"}
    expected |= {f"RW10{i}" for i in range(1, 5)} | {f"RW20{i}" for i in range(1, 7)} | {"RW301"}
    assert expected <= set(codes)
    assert "missing-rollback-plan" in result.out


@pytest.mark.parametrize("key", ("RW103", "rw103", "missing-rollback-plan"))
def test_rule_page(run_cli, tmp_path, key):
    result = run_cli("rule", key, cwd=tmp_path)
    assert result.exit_code == 0
    assert result.out.startswith("# RW103 missing-rollback-plan")
    for heading in ("## What it checks", "## Why it matters", "## How to fix"):
        assert heading in result.out


def test_rule_listing_fits_a_100_column_terminal(run_cli, tmp_path):
    lines = run_cli("rule", cwd=tmp_path).out.splitlines()
    assert max(len(line) for line in lines) < 100
    assert "RW405  model-changed-without-card-update  (error, governance)" in lines


def test_every_builtin_rule_has_a_page(run_cli, tmp_path):
    for line in run_cli("rule", cwd=tmp_path).out.splitlines():
        if line.startswith(" "):
            continue
        code = line.split()[0]
        page = run_cli("rule", code, cwd=tmp_path)
        assert page.exit_code == 0
        assert page.out.startswith(f"# {code} ")


def test_unknown_rule(run_cli, tmp_path):
    result = run_cli("rule", "missing-rollback", cwd=tmp_path)
    assert result.exit_code == 2
    assert "missing-rollback-plan" in result.err  # did you mean
    assert run_cli("rule", "RW999", cwd=tmp_path).exit_code == 2


def test_schema_is_a_json_schema_that_accepts_the_preset(run_cli, tmp_path):
    from roadworthy.formats import yamlio

    result = run_cli("schema", cwd=tmp_path)
    assert result.exit_code == 0
    schema = json.loads(result.out)
    Draft202012Validator.check_schema(schema)
    for preset in sorted((ROOT / "policies").glob("*.yaml")):
        data = yamlio.load(preset.read_text()).data
        errors = list(Draft202012Validator(schema).iter_errors(data))
        assert errors == [], preset.name


def test_schema_path(run_cli, tmp_path):
    result = run_cli("schema", "--path", cwd=tmp_path)
    assert result.exit_code == 0
    assert json.loads(Path(result.out.strip()).read_text()) == json.loads(
        run_cli("schema", cwd=tmp_path).out
    )


def test_validate_policy_from_elsewhere(make_repo, run_cli, tmp_path):
    repo = make_repo({"ci/policy.yaml": "version: 1\nextends: [recommended]\n"})
    result = run_cli("validate-policy", str(repo.path / "ci" / "policy.yaml"), cwd=tmp_path)
    assert result.exit_code == 0, result.err
    assert result.out.startswith("ci/policy.yaml: valid")


def test_python_dash_m(make_repo):
    import subprocess

    repo = make_repo(with_error())
    proc = subprocess.run(
        [sys.executable, "-m", "roadworthy", "check"], cwd=repo.path, capture_output=True, text=True
    )
    assert proc.returncode == 1
    assert proc.stdout.startswith("m/model.onnx:1: error RW102")


def test_a_run_collects_garbage_seldom_and_gives_the_threshold_back(make_repo, monkeypatch):
    """The collector passes once per GC_THRESHOLD[0] objects during a run (a pass per 700 was
    a tenth of a diff-mode check), and a caller in the same process gets its own back, even
    when the run fails."""
    import gc

    from roadworthy import cli

    seen: list[tuple[int, ...]] = []
    real = cli._main

    def spy(argv):
        seen.append(gc.get_threshold())
        return real(argv)

    monkeypatch.setattr(cli, "_main", spy)
    before = gc.get_threshold()
    repo = make_repo({"models/a/model.yaml": "name: a\n"})
    monkeypatch.chdir(repo.path)
    assert cli.main(["check", "--format", "json"]) in (0, 1)
    assert seen == [cli.GC_THRESHOLD]
    assert gc.get_threshold() == before != cli.GC_THRESHOLD

    def crash(argv):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "_main", crash)
    with pytest.raises(KeyboardInterrupt):
        cli.main(["check"])
    assert gc.get_threshold() == before


# --- the program's way out (cli.run) ------------------------------------------------------------


def _program(*args: str, **kwargs):
    """The installed `roadworthy` program, started the way a shell starts it."""
    import subprocess

    return subprocess.run([sys.executable, "-m", "roadworthy", *args], **kwargs)


def test_a_large_report_reaches_a_pipe_whole(make_repo, run_cli):
    """`run` leaves by os._exit: the report, far larger than a pipe's buffer, is all written
    first, the same bytes as a run inside this process."""
    files = {f"models/m{i:03}/model.onnx": W for i in range(300)}
    repo = make_repo(files)
    proc = _program("check", "--format", "json", cwd=repo.path, capture_output=True)
    inside = run_cli("check", "--format", "json", cwd=repo.path)
    assert proc.returncode == inside.exit_code == 1
    assert len(proc.stdout) > 256 * 1024
    assert proc.stdout.decode() == inside.out


def test_a_reader_that_goes_away_ends_the_run_quietly(make_repo):
    """`roadworthy check | head -c 1`: exit 141, as a shell reports a writer its reader left,
    and no traceback or "Exception ignored" on stderr."""
    import subprocess

    repo = make_repo({f"models/m{i:03}/model.onnx": W for i in range(300)})
    with subprocess.Popen(
        [sys.executable, "-m", "roadworthy", "check", "--format", "json"],
        cwd=repo.path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        assert proc.stdout.read(1) == b"{"
        proc.stdout.close()
        err = proc.stderr.read().decode()
        code = proc.wait()
    assert code == 141, err
    assert "Traceback" not in err and "Exception ignored" not in err


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_output_that_cannot_be_written_is_not_a_pass(make_repo):
    """A full disk under the report: exit 2 and why, never 1 with half a report."""
    repo = make_repo({f"models/m{i:03}/model.onnx": W for i in range(50)})
    with open("/dev/full", "wb") as full:
        proc = _program("check", cwd=repo.path, stdout=full, stderr=-1, text=True)
    assert proc.returncode == 2
    assert proc.stderr.splitlines()[-1] == (
        "roadworthy: the output could not be written: No space left on device"
    )


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("asked", [["--version"], ["--help"], ["check", "--help"]])
def test_version_or_help_that_cannot_be_written_is_not_a_success(tmp_path, asked):
    # argparse's own printing swallows the error: it exited 0 having written nothing.
    with open("/dev/full", "wb") as full:
        proc = _program(*asked, cwd=tmp_path, stdout=full, stderr=-1, text=True)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr == "roadworthy: the output could not be written: No space left on device\n"


def test_help_to_a_reader_that_goes_away_ends_quietly(tmp_path):
    import subprocess

    with subprocess.Popen(
        [sys.executable, "-m", "roadworthy", "--help"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        bufsize=0,
    ) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.close()  # before it writes: its write meets no reader
        err = proc.stderr.read().decode()
        code = proc.wait()
    assert code == 141, err
    assert "Traceback" not in err and "Exception ignored" not in err


def test_atexit_callbacks_still_run(tmp_path):
    """What a library registers with atexit (tempfile's clean-ups) runs before os._exit."""
    code = (
        "import atexit, sys\n"
        "from roadworthy.cli import run\n"
        "atexit.register(lambda: print('callback ran', file=sys.stderr))\n"
        "sys.argv = ['roadworthy', '--version']\n"
        "run()\n"
    )
    import subprocess

    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True
    )
    assert proc.returncode == 0
    assert proc.stdout == f"roadworthy {__version__}\n"
    assert proc.stderr == "callback ran\n"


@pytest.mark.parametrize(
    ("error", "code", "said"),
    (
        pytest.param(BrokenPipeError(32, "Broken pipe"), 141, "", id="reader-gone"),
        pytest.param(
            OSError(28, "No space left on device"),
            2,
            "roadworthy: the output could not be written: No space left on device\n",
            id="disk-full",
        ),
    ),
)
def test_output_left_in_the_buffer_that_cannot_be_written(monkeypatch, capsys, error, code, said):
    """What is still buffered when the run ends is flushed by `leave`, and its failure decides
    the exit code as a failure during the run would."""
    from roadworthy import cli

    class Unwritable(io.StringIO):
        def flush(self) -> None:
            raise error

    def exit_(status: int) -> None:
        raise SystemExit(status)

    monkeypatch.setattr(sys, "stdout", Unwritable())
    monkeypatch.setattr(cli.os, "_exit", exit_)
    with pytest.raises(SystemExit) as ended:
        cli.leave(1)
    assert ended.value.code == code
    assert capsys.readouterr().err == said

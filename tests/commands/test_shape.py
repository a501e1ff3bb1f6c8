"""Every subcommand has the same shape: argv → a frozen options object → run → exit code."""

from __future__ import annotations

import argparse
import dataclasses
import subprocess
import sys

import pytest

from roadworthy import cli
from roadworthy.reporters import REPORTERS

ARGV = {
    "check": ["check", "--staged"],
    "rule": ["rule", "RW101"],
    "init": ["init", "--dry-run"],
    "scan": ["scan", "some/folder"],
    "merge": ["merge", "a.json", "-o", "out"],
    "approve": ["approve", "credit", "--by", "@alice"],
    "bom": ["bom", "--as-of", "2026-12-01", "-o", "bom.json"],
    "validate-policy": ["validate-policy", "roadworthy.yaml"],
    "action": ["action"],
    "schema": ["schema", "--path"],
    "evidence": ["evidence", "--framework", "iso-42001"],
}


def test_every_command_has_an_example_here():
    assert set(ARGV) == set(cli.COMMANDS)


@pytest.mark.parametrize("name", sorted(ARGV))
def test_argv_becomes_frozen_options(name):
    args = cli._parser().parse_args(ARGV[name])
    assert args.command == name
    options = args.from_args(args)
    names = (
        [f.name for f in dataclasses.fields(options)]
        if dataclasses.is_dataclass(options)
        else options._fields
    )
    with pytest.raises(AttributeError):  # a NamedTuple or a frozen dataclass: immutable
        setattr(options, names[0], None)
    assert callable(args.run)
    # The namespace does not travel: no options object holds it.
    assert not any(isinstance(getattr(options, n), argparse.Namespace) for n in names)


def test_format_choices_are_the_registered_reporters():
    parser = cli._parser()
    with pytest.raises(SystemExit):
        parser.parse_args(["check", "--format", "html"])
    for name in REPORTERS:
        assert parser.parse_args(["check", "--format", name]).format == name


def test_the_command_line_loads_no_pipeline_to_print_its_version():
    code = (
        "import sys; from roadworthy.cli import main\n"
        "try: main(['--version'])\nexcept SystemExit: pass\n"
        "heavy = ('roadworthy.pipeline', 'roadworthy.engine', 'roadworthy.policy.load', 'yaml',"
        " 'jsonschema', 'git', 'roadworthy.scan.run', 'roadworthy.github.job', 'cyclonedx',"
        " 'spdx_python_model')\n"
        "print(sorted(m for m in heavy if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"


@pytest.mark.parametrize("name", sorted(ARGV))
def test_a_named_command_parses_as_with_every_command(name):
    # Only the named subcommand's module is imported and built; it must parse the same.
    argv = ["--debug", *ARGV[name]]
    alone, every = cli._parser(argv).parse_args(argv), cli._parser().parse_args(argv)
    assert alone.from_args(alone) == every.from_args(every)
    assert (alone.run, alone.command, alone.debug) == (every.run, every.command, every.debug)


def _commands_loaded_by(code: str) -> str:
    """The command modules a fresh interpreter has imported after running ``code``."""
    code += "\nprint(sorted(m for m in sys.modules if m.startswith('roadworthy.commands.')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return out.stdout.strip().splitlines()[-1]


def test_check_imports_no_other_command():
    code = (
        "import sys; from roadworthy.cli import _parser\n"
        "_parser(['check', '--staged']).parse_args(['check', '--staged'])"
    )
    assert _commands_loaded_by(code) == "['roadworthy.commands.check']"


def test_help_and_a_mistyped_command_still_list_every_command(run_cli):
    result = run_cli("chek")
    assert result.exit_code == 2
    assert "invalid choice: 'chek'" in result.err and "'evidence'" in result.err


def test_version_imports_no_command():
    code = (
        "import sys; from roadworthy.cli import main\n"
        "try: main(['--version'])\nexcept SystemExit: pass"
    )
    assert _commands_loaded_by(code) == "[]"


@pytest.mark.parametrize("mode", [["--diff", "base"], ["--staged"]])
def test_a_diff_or_staged_check_loads_nothing_it_does_not_use(make_repo, mode):
    # A pre-commit hook starts roadworthy once per commit: what a small check imports is its
    # start-up. These come with workers, crash reports and temporary files, not with a check.
    repo = make_repo({"models/m/model.onnx": "w\n", "models/m/MODEL_CARD.md": "# M\n"})
    repo.git("branch", "base")
    repo.write({"models/m/model.onnx": "w2\n"})
    if mode[0] == "--diff":
        repo.commit("retrain")
    else:
        repo.add_all()
    code = (
        "import sys; from roadworthy.cli import main\n"
        f"code = main(['check', *{mode!r}, '--format', 'json'])\n"
        "unused = ('shutil', 'tempfile', 'pickle', 'traceback', 'bz2', 'lzma')\n"
        "print(sorted(m for m in unused if m in sys.modules), file=sys.stderr)\n"
        "sys.exit(code)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=repo.path, capture_output=True, text=True, check=False
    )
    assert out.returncode in (0, 1), out.stderr
    assert out.stderr.strip().splitlines()[-1] == "[]"

"""The table of check kinds: every module in roadworthy/checks is in it under its own KIND, and
a run imports only the kinds its policy names."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import roadworthy.checks as package
from roadworthy.checks import CHECKS

NOT_KINDS = {"base"}


def test_every_check_module_is_registered_under_its_kind():
    modules = {m.name for m in pkgutil.iter_modules(package.__path__)} - NOT_KINDS
    registered = {CHECKS[kind].__name__.rsplit(".", 1)[1]: kind for kind in CHECKS}
    assert set(registered) == modules
    for module, kind in registered.items():
        assert kind == CHECKS[kind].KIND, module
    assert "no-such-kind" not in CHECKS and CHECKS.get("no-such-kind") is None


def test_a_policy_imports_only_the_kinds_it_names(tmp_path):
    (tmp_path / "roadworthy.yaml").write_text(
        "version: 1\nartifacts:\n  model_card: [MODEL_CARD.md]\nrules:\n"
        "  XY101: {name: card, check: file-exists, options: {artifact: model_card},"
        " dimension: governance}\n"
    )
    (tmp_path / "models" / "m").mkdir(parents=True)
    (tmp_path / "models" / "m" / "model.onnx").write_bytes(b"w")
    code = (
        "import sys; from roadworthy.cli import main\n"
        "code = main(['check', '--format', 'json'])\n"
        "print(sorted(m for m in sys.modules if m.startswith('roadworthy.checks.')),"
        " file=sys.stderr)\n"
        "sys.exit(code)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert out.returncode == 1, out.stderr
    loaded = eval(out.stderr.strip().splitlines()[-1])  # a list of module names, printed above
    assert "roadworthy.checks.file_exists" in loaded
    assert "roadworthy.checks.evaluation" not in loaded and "roadworthy.checks.links" not in loaded

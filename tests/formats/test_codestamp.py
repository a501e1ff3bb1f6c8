"""codestamp: a kept result's key names the installed libraries by distribution and version,
without importing them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from roadworthy.formats import codestamp


def test_installed_libraries_are_named_with_their_version() -> None:
    import jsonschema_rs
    import yaml

    assert codestamp.stamp("yaml", "PyYAML").lower() == f"pyyaml-{yaml.__version__}"
    assert codestamp.stamp("jsonschema_rs", "jsonschema_rs").startswith("jsonschema_rs-")
    assert codestamp.stamp("roadworthy_no_such_module", "nothing") == "absent"
    assert jsonschema_rs is not None


def test_a_new_version_is_a_new_digest(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "own.py").write_text("x = 1\n")
    monkeypatch.setattr(codestamp, "stamp", lambda module, dist: "lib-1.0")
    before = codestamp.digest((tmp_path / "own.py",), (("lib", "lib"),))
    monkeypatch.setattr(codestamp, "stamp", lambda module, dist: "lib-1.1")
    assert codestamp.digest((tmp_path / "own.py",), (("lib", "lib"),)) != before
    (tmp_path / "own.py").write_text("x = 2\n")
    assert codestamp.digest((tmp_path / "own.py",), (("lib", "lib"),)) != before


def test_stamping_imports_nothing() -> None:
    script = (
        "import sys\nfrom roadworthy.formats import codestamp\n"
        "codestamp.stamp('yaml', 'PyYAML'); codestamp.stamp('jsonschema_rs', 'jsonschema_rs')\n"
        "print(sorted(m for m in ('yaml', 'jsonschema_rs') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_a_source_installed_without_its_text_is_stood_for_by_roadworthys_version(
    tmp_path: Path, monkeypatch
) -> None:
    missing = (tmp_path / "gone.py",)
    monkeypatch.setattr(codestamp, "stamp", lambda module, dist: f"{dist}-1.0")
    before = codestamp.digest(missing)
    monkeypatch.setattr(codestamp, "stamp", lambda module, dist: f"{dist}-1.1")
    assert codestamp.digest(missing) != before

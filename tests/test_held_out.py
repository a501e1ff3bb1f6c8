"""The held-out set: layout snapshots of public repositories that are not in the real-repos
corpus, kept beside the tests (``tests/data/held_out/``) so discovery is judged on layouts it was
not tuned on. Each snapshot is rebuilt as a git repository and checked with zero configuration.

``LABELS.json`` gives, per snapshot, the component roots its owner expects (the corpus's format),
``_names`` the name each should carry and ``_why`` the reasoning; ``SOURCES.md`` where each
snapshot comes from.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from testing.gitrepo import GitRepo

HELD_OUT = Path(__file__).resolve().parent / "data" / "held_out"
LABELS = json.loads((HELD_OUT / "LABELS.json").read_text(encoding="utf-8"))

# Cases that expose a discovery bug: the reason names it; strict, so a fix makes them fail.
KNOWN_BUGS: dict[str, str] = {}


def _cases() -> list[pytest.param]:
    cases = []
    for name in sorted(n for n in LABELS if not n.startswith("_")):
        marks = (
            [pytest.mark.xfail(strict=True, reason=KNOWN_BUGS[name])] if name in KNOWN_BUGS else []
        )
        cases.append(pytest.param(name, id=name, marks=marks))
    return cases


def rebuild(name: str, parent: Path) -> Path:
    """The snapshot as a clone would show it: recorded texts as they are, every other file (a
    binary or large one, or prose the licence does not let us keep) as a small placeholder."""
    doc = json.loads((HELD_OUT / name / "snapshot.json").read_text(encoding="utf-8"))
    files: dict[str, str | bytes | None] = {
        path: doc["contents"].get(path, b"\x00placeholder\x00" + path.encode())
        for path in doc["paths"]
    }
    # The folder carries the repository's name, as a clone's would: a root component is named
    # after it.
    where = parent / name.split("__", 1)[1]
    GitRepo.init(where, files, message=f"snapshot of {doc['source']} at {doc['commit'][:12]}")
    return where


@pytest.mark.parametrize("name", _cases())
def test_components_are_the_ones_the_owner_expects(name, tmp_path, run_cli):
    result = run_cli("check", "--format", "json", cwd=rebuild(name, tmp_path))
    assert result.exit_code in (0, 1), result.err
    found = {c["path"]: c["name"] for c in json.loads(result.out)["components"]}
    assert sorted(found) == sorted(LABELS[name])
    assert found == LABELS["_names"][name]


def test_every_snapshot_is_labelled_and_sourced():
    folders = sorted(p.name for p in HELD_OUT.iterdir() if p.is_dir())
    sources = (HELD_OUT / "SOURCES.md").read_text(encoding="utf-8")
    assert folders == sorted(n for n in LABELS if not n.startswith("_"))
    assert sorted(LABELS["_names"]) == folders == sorted(LABELS["_why"])
    for folder in folders:
        doc = json.loads((HELD_OUT / folder / "snapshot.json").read_text(encoding="utf-8"))
        assert doc["source"] in sources, folder
        assert doc["commit"] in sources, folder
        assert set(doc["contents"]) <= set(doc["paths"]), folder

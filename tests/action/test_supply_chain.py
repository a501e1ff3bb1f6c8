"""The Action's supply chain (issue 12, point 6), read from the files a user copies: third-party
actions pinned by full commit SHA with the release in a comment and on current majors; the
Action's dependencies installed from the hashed requirements it ships; the org-scan example
installing roadworthy from the action's own repository at a pinned release, never by name from
the package index."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[2]
ACTION = ROOT / "action.yml"
WORKFLOWS = sorted((ROOT / "examples" / "workflows").glob("*.yml"))
REQUIREMENTS = ROOT / "action" / "requirements.txt"
OWN = "roadworthy-dev/roadworthy"  # the Action itself, which a user pins as they choose
# `uses: owner/repo[/path]@<40 hex> # vMAJOR[.MINOR[.PATCH]]`
_PINNED = re.compile(
    r"uses:\s*(?P<action>[\w.-]+/[\w./-]+)@(?P<sha>[0-9a-f]{40})\s+#\s+v(?P<v>[\d.]+)"
)
_USES = re.compile(r"^\s*(?:-\s+)?uses:\s*(\S+)", re.MULTILINE)
# Majors that are current: older ones run on deprecated Node versions or are deprecated themselves.
CURRENT = {
    "actions/setup-python": 6,
    "actions/checkout": 5,
    "github/codeql-action/upload-sarif": 4,
}
FILES = [ACTION, *WORKFLOWS]


def load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


def steps(document: dict[str, Any]) -> list[dict[str, Any]]:
    if "runs" in document:
        return list(document["runs"]["steps"])
    return [step for job in document["jobs"].values() for step in job["steps"]]


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_third_party_actions_are_pinned_by_commit_with_the_release(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    used = _USES.findall(text)
    assert used, "nothing to check"
    for line in text.splitlines():
        match = _USES.match(line)
        if match is None or match.group(1).startswith((OWN, "<your-org>/", "./", "docker://")):
            continue
        pinned = _PINNED.search(line)
        assert pinned is not None, f"{path.name}: not pinned by commit with `# vX.Y.Z`: {line}"


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_pinned_actions_are_on_current_majors(path: Path) -> None:
    for pinned in _PINNED.finditer(path.read_text(encoding="utf-8")):
        wanted = CURRENT.get(pinned["action"])
        if wanted is not None:
            assert int(pinned["v"].split(".")[0]) >= wanted, pinned.group(0)


def test_the_examples_use_setup_python_6_and_upload_sarif_4() -> None:
    text = "\n".join(p.read_text(encoding="utf-8") for p in WORKFLOWS)
    found = {m["action"]: int(m["v"].split(".")[0]) for m in _PINNED.finditer(text)}
    assert found["actions/setup-python"] == 6
    assert found["github/codeql-action/upload-sarif"] == 4
    action = {m["action"] for m in _PINNED.finditer(ACTION.read_text(encoding="utf-8"))}
    assert action == {"actions/setup-python"}


def _pip_installs(run: str) -> list[list[str]]:
    """Every `pip install` command of a script, as words (bash arrays expanded by name)."""
    arrays = dict(re.findall(r"^\s*(\w+)=\((.*)\)\s*$", run, re.MULTILINE))
    out = []
    for line in run.splitlines():
        if re.match(r"^\s*\w+=\(", line):
            continue  # the array's definition, not a command
        for name, words in arrays.items():
            line = line.replace(f'"${{{name}[@]}}"', words)
        words = shlex.split(line, comments=True) if "pip" in line else []
        if "pip" in words and "install" in words:
            out.append(words)
    return out


def _checked(install: list[str]) -> bool:
    """Hash-checked requirements, or nothing from an index at all."""
    return ("--require-hashes" in install and "-r" in install) or "--no-index" in install


def test_the_action_installs_dependencies_by_hash_and_itself_from_its_checkout() -> None:
    (install,) = [s for s in steps(load(ACTION)) if s.get("id") == "install"]
    commands = _pip_installs(install["run"])
    assert len(commands) == 2
    hashed, own = commands
    assert "--require-hashes" in hashed and "--only-binary" in hashed
    assert hashed[hashed.index("-r") + 1] == "$ACTION_PATH/action/requirements.txt"
    assert {"--no-deps", "--no-index", "--no-build-isolation"} <= set(own)
    assert own[-1] == "$ACTION_PATH"


@pytest.mark.parametrize("path", WORKFLOWS, ids=[p.name for p in WORKFLOWS])
def test_no_workflow_installs_from_the_index_unchecked(path: Path) -> None:
    for step in steps(load(path)):
        for install in _pip_installs(step.get("run", "")):
            assert _checked(install), f"{path.name}: {' '.join(install)}"
            assert "roadworthy" not in install, "roadworthy by name from the index"


def test_org_scan_installs_roadworthy_from_its_repository_at_a_pinned_release() -> None:
    workflow = load(ROOT / "examples" / "workflows" / "org-scan.yml")
    assert workflow["env"]["ROADWORTHY_REPOSITORY"] == OWN
    ref = str(workflow["env"]["ROADWORTHY_REF"])
    # A full commit, or a release tag: never a branch, whose code moves under the token.
    assert re.fullmatch(r"[0-9a-f]{40}|v\d+\.\d+\.\d+", ref), ref
    for name, job in workflow["jobs"].items():
        checkout = next(
            s for s in job["steps"] if str(s.get("uses", "")).startswith("actions/checkout@")
        )
        assert checkout["with"]["repository"] == "${{ env.ROADWORTHY_REPOSITORY }}", name
        assert checkout["with"]["ref"] == "${{ env.ROADWORTHY_REF }}", name
        assert checkout["with"]["persist-credentials"] is False, name
        runs = "\n".join(s.get("run", "") for s in job["steps"])
        installs = _pip_installs(runs)
        assert [i[i.index("-r") + 1] for i in installs if "-r" in i] == [
            ".roadworthy/action/requirements.txt"
        ], name
        assert any(i[-1] == "./.roadworthy" and "--no-index" in i for i in installs), name
    pr = (ROOT / "examples" / "workflows" / "pull-request.yml").read_text(encoding="utf-8")
    assert f"uses: {OWN}@" in pr  # the same repository the Action comes from


# -- the hashed requirements ---------------------------------------------------------------------


def _requirements() -> dict[str, list[tuple[Requirement, list[str]]]]:
    """requirements.txt: each name → its pinned requirements (one per marker) with hashes."""
    joined = REQUIREMENTS.read_text(encoding="utf-8").replace("\\\n", " ")
    out: dict[str, list[tuple[Requirement, list[str]]]] = {}
    for line in joined.splitlines():
        line = line.split(" #", 1)[0].strip()
        if not line or line.startswith("#"):
            continue
        spec, *options = line.split(" --hash=")
        requirement = Requirement(spec.strip())
        out.setdefault(requirement.name.lower().replace("_", "-"), []).append(
            (requirement, [o.strip() for o in options])
        )
    return out


def test_every_requirement_is_pinned_with_hashes() -> None:
    requirements = _requirements()
    assert requirements
    for name, pins in requirements.items():
        for requirement, hashes in pins:
            (specifier,) = requirement.specifier
            assert specifier.operator == "==", name
            assert hashes and all(re.fullmatch(r"sha256:[0-9a-f]{64}", h) for h in hashes), name


def test_requirements_cover_pyproject_and_the_build_backend() -> None:
    tomllib = pytest.importorskip("tomllib")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    wanted = [
        Requirement(r)
        for r in (*project["project"]["dependencies"], *project["build-system"]["requires"])
    ]
    requirements = _requirements()
    for want in wanted:
        pins = requirements.get(want.name.lower().replace(".", "-").replace("_", "-"))
        assert pins, f"{want.name} is not in action/requirements.txt"
        for requirement, _ in pins:
            version = Version(next(iter(requirement.specifier)).version)
            assert want.specifier.contains(version), f"{requirement} does not satisfy {want}"
    source = (ROOT / "action" / "requirements.in").read_text(encoding="utf-8")
    listed = {Requirement(line).name for line in source.splitlines() if line and line[0] != "#"}
    assert listed == {w.name for w in wanted}

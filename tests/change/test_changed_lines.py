"""Change-control findings land on a changed line (issue 12, point 3): GitHub code scanning shows
a pull request's alert only when its location is in the diff. Real repositories, the real CLI,
SARIF checked against the official 2.1.0 schema."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft7Validator
from testing.gitrepo import GitRepo

from tests.change.conftest import MALLORY, base_files, card

POINTER = "version https://git-lfs.github.com/spec/v1\noid sha256:{oid}\nsize {size}\n"
RUNBOOK_V2 = "# Runbook\n\n## Alerts\nDrift above 0.15 pages on-call.\n\n## Escalation\nOn-call, then @alice.\n"
TRAIN = "# training run\nhyperparameters:\n  lr: 0.01\n  depth: 6\nnotes: first\n"
KEYED_POLICY = """\
version: 1
extends: [recommended]
people: {"@alice": [alice@example.com]}
change_control:
  material:
    - name: training-config
      paths: ["**/train.yaml"]
"""


def sarif(run_cli: Any, repo: GitRepo, corpus: Path | None = None) -> list[dict[str, Any]]:
    result = run_cli("check", "--diff", "base", "--format", "sarif", cwd=repo.path)
    assert result.exit_code == 1, result.err
    data = json.loads(result.out)
    if corpus is not None:
        schema = json.loads((corpus / "schemas" / "schemastore__sarif-2.1.0.json").read_text())
        Draft7Validator(schema).validate(data)
    results: list[dict[str, Any]] = data["runs"][0]["results"]
    return results


def where(results: list[dict[str, Any]], code: str) -> tuple[str, dict[str, int]]:
    (hit,) = [r for r in results if r["ruleId"] == code]
    physical = hit["locations"][0]["physicalLocation"]
    return physical["artifactLocation"]["uri"], physical["region"]


def repo_with(make_repo: Any, **extra: str | bytes) -> GitRepo:
    files = base_files()
    files.update(extra)
    repo: GitRepo = make_repo(files)
    repo.git("branch", "base")
    return repo


def test_lfs_pointer_points_at_the_new_oid(make_repo: Any, run_cli: Any, corpus: Path) -> None:
    repo = repo_with(
        make_repo, **{"models/credit/weights.bin": POINTER.format(oid="a" * 64, size=9)}
    )
    repo.write(
        {
            "models/credit/weights.bin": POINTER.format(oid="b" * 64, size=9),
            "models/credit/MODEL_CARD.md": card("1.1.0"),
        }
    )
    repo.commit("new LFS weights", author=MALLORY)
    path, region = where(sarif(run_cli, repo, corpus), "RW401")
    oid_line = f"oid sha256:{'b' * 64}"
    assert path == "models/credit/weights.bin"
    assert region == {
        "startLine": 2,
        "startColumn": len("oid ") + 1,
        "endLine": 2,
        "endColumn": len(oid_line) + 1,
    }


def test_lfs_pointer_with_only_a_new_size_points_at_size(make_repo: Any, run_cli: Any) -> None:
    repo = repo_with(
        make_repo, **{"models/credit/weights.bin": POINTER.format(oid="a" * 64, size=9)}
    )
    repo.write(
        {
            "models/credit/weights.bin": POINTER.format(oid="a" * 64, size=10),
            "models/credit/MODEL_CARD.md": card("1.1.0"),
        }
    )
    repo.commit("same oid, other size", author=MALLORY)
    _, region = where(sarif(run_cli, repo), "RW401")
    assert (region["startLine"], region["startColumn"]) == (3, len("size ") + 1)


def test_text_file_points_at_the_first_changed_hunk(
    make_repo: Any, run_cli: Any, corpus: Path
) -> None:
    repo = repo_with(make_repo, **{"roadworthy.yaml": KEYED_POLICY})
    changed = TRAIN.replace("  lr: 0.01\n  depth: 6\n", "  lr: 0.02\n  depth: 8\n")
    repo.write({"models/credit/train.yaml": changed, "models/credit/MODEL_CARD.md": card("1.1.0")})
    repo.commit("tune", author=MALLORY)
    path, region = where(sarif(run_cli, repo, corpus), "RW401")
    assert path == "models/credit/train.yaml"
    assert region == {"startLine": 3, "endLine": 4}  # lr and depth, lines 3-4


def test_binary_weights_point_at_the_file(make_repo: Any, run_cli: Any) -> None:
    repo = repo_with(make_repo, **{"models/credit/model.onnx": b"\x08\x01\x00onnx-v1"})
    repo.write(
        {
            "models/credit/model.onnx": b"\x08\x02\x00onnx-v2",
            "models/credit/MODEL_CARD.md": card("1.1.0"),
        }
    )
    repo.commit("binary weights", author=MALLORY)
    path, region = where(sarif(run_cli, repo), "RW401")
    assert (path, region) == ("models/credit/model.onnx", {"startLine": 1})


def test_version_and_card_findings_point_at_the_change(make_repo: Any, run_cli: Any) -> None:
    # RW404 (the version line did not change) and RW405 (the card did not change) point at the
    # changed LFS pointer line; the fix still says where the version is.
    repo = repo_with(
        make_repo, **{"models/credit/weights.bin": POINTER.format(oid="a" * 64, size=9)}
    )
    repo.write({"models/credit/weights.bin": POINTER.format(oid="c" * 64, size=9)})
    repo.commit("weights only", author=MALLORY)
    results = sarif(run_cli, repo)
    for code in ("RW401", "RW404", "RW405"):
        path, region = where(results, code)
        assert (path, region["startLine"]) == ("models/credit/weights.bin", 2), code
    (bump,) = [r for r in results if r["ruleId"] == "RW404"]
    assert "raise version in models/credit/MODEL_CARD.md (line 2)" in bump["message"]["text"]


def test_annotations_carry_the_columns(make_repo: Any, run_cli: Any) -> None:
    repo = repo_with(
        make_repo, **{"models/credit/weights.bin": POINTER.format(oid="a" * 64, size=9)}
    )
    repo.write(
        {
            "models/credit/weights.bin": POINTER.format(oid="d" * 64, size=9),
            "models/credit/MODEL_CARD.md": card("1.1.0"),
        }
    )
    repo.commit("new LFS weights", author=MALLORY)
    result = run_cli("check", "--diff", "base", "--format", "github", cwd=repo.path)
    end = len(f"oid sha256:{'d' * 64}") + 1
    assert (
        f"::error file=models/credit/weights.bin,line=2,col=5,endColumn={end},title=RW401"
        in result.out
    )


@pytest.mark.parametrize(
    ("new", "line", "end"),
    [
        pytest.param(TRAIN.replace("notes: first\n", "notes: second\n"), 5, None, id="last-line"),
        pytest.param(TRAIN.replace("  depth: 6\n", ""), 3, None, id="deletion-follows-line-3"),
        pytest.param(TRAIN + "extra: 1\nmore: 2\n", 6, 7, id="appended-lines"),
    ],
)
def test_hunk_positions(make_repo: Any, run_cli: Any, new: str, line: int, end: int | None) -> None:
    repo = repo_with(make_repo, **{"roadworthy.yaml": KEYED_POLICY})
    # Any byte of train.yaml is material here: keys are not configured, so the whole file is.
    repo.write({"models/credit/train.yaml": new, "models/credit/MODEL_CARD.md": card("1.1.0")})
    repo.commit("edit", author=MALLORY)
    _, region = where(sarif(run_cli, repo), "RW401")
    assert region.get("startLine") == line
    assert region.get("endLine") == end


def test_breaking_contract_change_points_at_its_first_changed_line(
    make_repo: Any, run_cli: Any
) -> None:
    from tests.change.conftest import CONTRACT

    repo = repo_with(make_repo)
    # The version stays 1.0.0 (line 4, unchanged); the removed property was line 10, so the
    # deletion shows after line 9.
    broken = CONTRACT.replace("      - {name: amount, logicalType: number}\n", "")
    repo.write({"models/credit/data_contract.yaml": broken})
    repo.commit("drop amount", author=MALLORY)
    results = sarif(run_cli, repo)
    path, region = where(results, "RW403")
    assert (path, region) == ("models/credit/data_contract.yaml", {"startLine": 9})
    (rw403,) = [r for r in results if r["ruleId"] == "RW403"]
    assert "data_contract.yaml (line 4)" in rw403["message"]["text"]


def test_a_deleted_artifact_points_at_a_changed_line_of_its_component(
    make_repo: Any, run_cli: Any
) -> None:
    repo = repo_with(make_repo)
    repo.write({"models/credit/ROLLBACK.md": None, "models/credit/RUNBOOK.md": RUNBOOK_V2})
    repo.commit("drop the rollback plan, edit the runbook", author=MALLORY)
    path, region = where(sarif(run_cli, repo), "RW402")
    assert (path, region) == ("models/credit/RUNBOOK.md", {"startLine": 4})


def test_a_deletion_alone_points_at_the_component(make_repo: Any, run_cli: Any) -> None:
    repo = repo_with(make_repo)
    repo.write({"models/credit/ROLLBACK.md": None})
    repo.commit("drop the rollback plan", author=MALLORY)
    path, region = where(sarif(run_cli, repo), "RW402")
    assert (path, region) == ("models/credit/model.onnx", {"startLine": 1})


def test_first_hunk_agrees_with_git_diff(tmp_path: Path) -> None:
    """The in-process hunk is git's: random edits of a card-sized file, compared with
    ``git diff -U0`` of the same two blobs in a real repository."""
    import random
    import re
    import subprocess

    from roadworthy.change.location import first_hunk
    from roadworthy.workspace import git

    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    rng = random.Random(7)
    base = [f"line {i} {'x' * (i % 5)}" for i in range(40)]
    objects = git.ObjectReader(tmp_path)
    try:
        for _ in range(25):
            new = list(base)
            for _ in range(rng.randint(1, 3)):
                at = rng.randrange(len(new) + 1)
                op = rng.choice(["insert", "delete", "replace"])
                if op == "insert":
                    new.insert(at, f"new {rng.random():.3f}")
                elif at < len(new) and op == "delete":
                    del new[at]
                elif at < len(new):
                    new[at] = "changed"
            blobs = [
                subprocess.run(
                    ["git", "hash-object", "-w", "--stdin"],
                    input=("\n".join(lines) + "\n").encode(),
                    cwd=tmp_path,
                    capture_output=True,
                    check=True,
                )
                .stdout.decode()
                .strip()
                for lines in (base, new)
            ]
            diff = subprocess.run(
                ["git", "diff", "-U0", "--no-color", *blobs], cwd=tmp_path, capture_output=True
            ).stdout.decode()
            hunk = re.search(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@", diff, re.MULTILINE)
            expected = (
                None if hunk is None else (int(hunk[1]), 1 if hunk[2] is None else int(hunk[2]))
            )
            assert first_hunk(objects, *blobs) == expected, (new, diff)
    finally:
        objects.close()

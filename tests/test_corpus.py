"""The shared corpus of real third-party files, each placed into a component as the artifact it
could be: roadworthy never crashes on any of them, and real data contracts validate.

One repository holds a component per corpus file (built once per session); CODEOWNERS variants
get a small repository each, since a repository has one CODEOWNERS.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from testing.gitrepo import GIT_ENV, GitRepo

from roadworthy.cli import main

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
REPORT_SCHEMA = json.loads((ROOT / "src/roadworthy/schemas/report.schema.json").read_text())
W = "placeholder weights\n"

# Which artifact each corpus folder's files could be (file name inside the component).
PLACEMENT = {
    "model-cards": ["MODEL_CARD.md"],
    "data-contracts": ["data_contract.yaml"],
    "runbooks": ["RUNBOOK.md"],
    "yaml-edge-cases": ["data_contract.yaml", "component.yaml"],
    "dvc": ["data_contract.yaml"],
    "mlflow": ["MLmodel", "model.yaml"],
    "misc-config": ["data_contract.yaml"],
    "lfs": [],  # pointers become the weights; the rest a data contract (below)
}

# Data contracts that SOURCES.md does not mark INVALID but that are not valid against the
# official JSON Schema of the version they declare (checked with jsonschema against
# ../shared/corpus/schemas/): RW202 is the right answer for them.
UPSTREAM_INVALID = {
    # apiVersion v3.0.2, but servers[0] lacks 'account'/'schema' and quality rules lack 'query'.
    "dccli__fixtures__changelog__unit__changelog_unit_v1.yaml",
    "dccli__fixtures__changelog__unit__changelog_unit_v2.yaml",
    # A lint fixture for exactly this: a non-standard top-level key (unevaluatedProperties).
    "dccli__fixtures__lint__odcs_with_extra_top_level.yaml",
    # ODCS main-branch examples that declare v3.0.2 but use v3.1 forms (timestamp logical
    # type, quality without 'rule', team as an object); valid against v3.1.0, not v3.0.2.
    "odcs__main__examples__data-types__all-data-types.odcs.yaml",
    "odcs__main__examples__quality__column-completeness.odcs.yaml",
    "odcs__main__examples__stakeholders__basic-four-dpo.odcs.yaml",
}
# Documentation snippets of ODCS v2.2, not whole contracts: no apiVersion (or a bare list), so no
# standard to validate against.
FRAGMENTS = {
    "odcs__v2.2.0__examples__schema__table-column.yaml",
    "odcs__v2.2.2__examples__quality__column-validity.yaml",
    "odcs__v2.2.2__examples__sla__database-table-sla.yaml",
}


def marked_invalid() -> set[str]:
    """Files whose SOURCES.md note starts with INVALID, MALFORMED or NEGATIVE."""
    if not CORPUS.is_dir():
        return set()
    out = set()
    for line in (CORPUS / "SOURCES.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 6 or not cells[0].startswith("`"):
            continue
        if re.match(r"(INVALID|MALFORMED|NEGATIVE)\b", cells[-1]):
            out.add(cells[0].strip("`"))
    return out


def corpus_files(folder: str) -> list[Path]:
    if not CORPUS.is_dir():
        return []
    return sorted(p for p in (CORPUS / folder).iterdir() if p.is_file())


@contextlib.contextmanager
def pinned(cwd: Path):
    with pytest.MonkeyPatch.context() as mp:
        for key, value in GIT_ENV.items():
            mp.setenv(key, value)
        mp.setenv("ROADWORTHY_TODAY", "2026-11-21")
        mp.setenv("NO_COLOR", "1")
        mp.delenv("GITHUB_ACTIONS", raising=False)
        mp.chdir(cwd)
        yield


def run(cwd: Path, *argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with pinned(cwd), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["check", *argv])
    return code, out.getvalue(), err.getvalue()


def build_corpus_repo(where: Path) -> GitRepo:
    files: dict[str, bytes | str] = {}
    for folder, names in PLACEMENT.items():
        for source in corpus_files(folder):
            data = source.read_bytes()
            base = f"{folder}/{source.name}"
            if folder == "lfs" and source.name.endswith(".lfs-pointer"):
                files[f"{base}/{source.name.removesuffix('.lfs-pointer')}"] = data
                continue
            if "MLmodel" not in names and "model.yaml" not in names:
                files[f"{base}/model.onnx"] = W
            for name in names or ["data_contract.yaml"]:
                files[f"{base}/{name}"] = data
    # Cards that embed the YAML edge cases as their front matter.
    for source in corpus_files("yaml-edge-cases"):
        text = source.read_bytes().decode("utf-8", "replace")
        text = text.removeprefix("---\n")  # its own start marker would close the front matter
        files[f"front-matter/{source.name}/model.onnx"] = W
        files[f"front-matter/{source.name}/MODEL_CARD.md"] = f"---\n{text}\n---\n# Card\n"
    # Folders are named after corpus files (`mct__testdata__...`): the preset's excludes would
    # skip some, and here every file must become a component.
    files["roadworthy.yaml"] = "version: 1\nextends: [recommended]\ncomponents: {include: ['**']}\n"
    repo = GitRepo.init(where)
    repo.write(files)
    repo.commit("corpus")
    return repo


@pytest.fixture(scope="session")
def corpus_run(corpus, tmp_path_factory) -> dict[str, tuple[int, str, str]]:
    repo = build_corpus_repo(tmp_path_factory.mktemp("corpus") / "repo")
    return {
        "json": run(repo.path, "--format", "json"),
        "text": run(repo.path),
    }


@pytest.fixture(scope="session")
def corpus_report(corpus_run) -> dict:
    return json.loads(corpus_run["json"][1])


@pytest.mark.parametrize("fmt", ("json", "text"))
def test_never_crashes(corpus_run, fmt):
    code, out, err = corpus_run[fmt]
    assert code in (0, 1), err
    assert "Traceback" not in out + err
    assert "internal error" not in err


def test_report_is_valid(corpus_report):
    Draft202012Validator(REPORT_SCHEMA).validate(corpus_report)


def test_every_file_became_a_component(corpus_report):
    paths = {c["path"] for c in corpus_report["components"]}
    for folder in PLACEMENT:
        for source in corpus_files(folder):
            if not source.name.endswith(".lfs-pointer"):
                assert f"{folder}/{source.name}" in paths


def findings_of(report: dict, path: str) -> set[str]:
    """The codes of the findings of the component at ``path``."""
    (name,) = [c["name"] for c in report["components"] if c["path"] == path]
    return {f["code"] for f in report["findings"] if f["component"] == name}


CONTRACTS = [p.name for p in corpus_files("data-contracts")]


@pytest.mark.parametrize("name", CONTRACTS)
def test_data_contract(corpus_report, name):
    codes = findings_of(corpus_report, f"data-contracts/{name}")
    assert "RW001" not in codes
    invalid = name in marked_invalid() or name in UPSTREAM_INVALID or name in FRAGMENTS
    assert ("RW202" in codes) is invalid


def test_invalid_marks_were_found():
    # Guards the SOURCES.md parsing above: the corpus marks these four contracts INVALID.
    if not CORPUS.is_dir():
        pytest.skip("shared corpus not available")
    assert {
        "dccli__fixtures__lint__invalid.odcs.yaml",
        "dccli__fixtures__lint__invalid_datacontract.yaml",
        "dccli__fixtures__lint__invalid_multiple_errors.odcs.yaml",
        "dccli__fixtures__lint__invalid_multiple_schema_errors.odcs.yaml",
    } <= marked_invalid()


# libyaml (PyYAML's C parser) accepts these; the value it builds is harmless plain data.
LIBYAML_LENIENT = {"yaml-test-suite__DK95-01__tabs-that-look-like-indentation__INVALID.yaml"}


@pytest.mark.parametrize(
    "name",
    [
        p.name
        for p in corpus_files("yaml-edge-cases")
        if "__INVALID" in p.name and p.name not in LIBYAML_LENIENT
    ],
)
def test_invalid_yaml_is_rw001(corpus_report, name):
    assert "RW001" in findings_of(corpus_report, f"yaml-edge-cases/{name}")
    assert "RW001" in findings_of(corpus_report, f"front-matter/{name}")


def test_lfs_pointers_are_components(corpus_report):
    pointers = [p.name for p in corpus_files("lfs") if p.name.endswith(".lfs-pointer")]
    paths = {c["path"] for c in corpus_report["components"]}
    for name in pointers:
        if name.removesuffix(".lfs-pointer").endswith(".onnx"):
            assert f"lfs/{name}" in paths


@pytest.mark.parametrize("source", corpus_files("codeowners"), ids=lambda p: p.name)
def test_codeowners(corpus, make_repo, source):
    repo = make_repo(
        {".github/CODEOWNERS": source.read_bytes(), "models/churn/model.onnx": W, "src/app.py": ""}
    )
    for args in ([], ["--format", "json"]):
        code, out, err = run(repo.path, *args)
        assert code in (0, 1), err
        assert "Traceback" not in out + err

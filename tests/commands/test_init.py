"""``roadworthy init``: what it writes, what ``check`` says about it, and what it never touches."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from testing.gitrepo import GitRepo

from roadworthy.templates import scaffold as init

Run = Callable[..., Any]
MODELS = {"models/fraud/model.onnx": b"\x08\x01onnx", "models/churn/MLmodel": "flavors: {}\n"}
WRITTEN = [
    "roadworthy.yaml",
    "models/churn/MODEL_CARD.md",
    "models/churn/data_contract.yaml",
    "models/churn/RUNBOOK.md",
    "models/churn/ROLLBACK.md",
    "models/fraud/MODEL_CARD.md",
    "models/fraud/data_contract.yaml",
    "models/fraud/RUNBOOK.md",
    "models/fraud/ROLLBACK.md",
]


def _findings(run_cli: Run, root: Path) -> tuple[int, list[dict[str, Any]]]:
    result = run_cli("check", "--format", "json", cwd=root)
    assert result.exit_code in (0, 1), result.err
    return result.exit_code, json.loads(result.out)["findings"]


def _line_of(path: Path, pattern: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if re.match(pattern, line))


def test_dry_run_lists_and_writes_nothing(make_repo: Callable[..., GitRepo], run_cli: Run) -> None:
    repo = make_repo(MODELS)
    result = run_cli("init", "--dry-run", cwd=repo.path)
    assert result.exit_code == 0
    assert result.out.splitlines() == [f"would create {path}" for path in WRITTEN]
    assert "dry run: nothing written" in result.err
    assert repo.git("status", "--porcelain") == ""


def test_writes_the_policy_and_each_components_missing_artifacts(
    make_repo: Callable[..., GitRepo], run_cli: Run
) -> None:
    repo = make_repo(MODELS)
    result = run_cli("init", cwd=repo.path)
    assert result.exit_code == 0, result.err
    assert result.out.splitlines() == [f"created {path}" for path in WRITTEN]
    assert "wrote 9 files" in result.err
    for path in WRITTEN:
        assert (repo.path / path).is_file()
    card = (repo.path / "models/fraud/MODEL_CARD.md").read_text(encoding="utf-8")
    assert card.startswith("---\n# Read by roadworthy")
    assert "# Model card: fraud\n" in card
    assert "risk: TODO           # the risk tier: minimal, limited or high\n" in card
    assert "`models/fraud`" in card


def test_fresh_repository_shows_only_fill_in_findings(
    make_repo: Callable[..., GitRepo], run_cli: Run
) -> None:
    repo = make_repo(MODELS)
    run_cli("init", cwd=repo.path)
    repo.commit("roadworthy init")
    exit_code, findings = _findings(run_cli, repo.path)
    assert exit_code == 1
    got = sorted((f["code"], f["path"], f["line"], f["message"]) for f in findings)
    expected = []
    for name, marker in (("churn", "MLmodel"), ("fraud", "model.onnx")):
        folder = repo.path / "models" / name
        card, runbook, contract = (
            f"models/{name}/MODEL_CARD.md",
            f"models/{name}/RUNBOOK.md",
            f"models/{name}/data_contract.yaml",
        )
        source = f"(from {card})"
        expected += [
            (
                "RW004",
                card,
                _line_of(folder / "MODEL_CARD.md", "owners:"),
                "owners has 'TODO', which is not a handle (@user, @org/team or an e-mail) "
                + source,
            ),
            (
                "RW004",
                card,
                _line_of(folder / "MODEL_CARD.md", "risk:"),
                f"risk 'TODO' is not a risk tier of the policy {source}",
            ),
            (
                "RW004",
                card,
                _line_of(folder / "MODEL_CARD.md", "stage:"),
                f"stage 'TODO' is not a stage {source}",
            ),
        ]
        for key, shape in (
            ("version", "a PEP 440 or semver version"),
            ("last_reviewed", "a date (YYYY-MM-DD)"),
        ):
            line = _line_of(folder / "MODEL_CARD.md", f"{key}:")
            expected.append(("RW203", card, line, f"front matter '{key}' is 'TODO', not {shape}"))
        for section in ("Intended use", "Limitations", "Training data", "Evaluation"):
            line = _line_of(folder / "MODEL_CARD.md", f"## {section}$")
            message = f"model card section '{section}' is empty or only a placeholder"
            expected.append(("RW201", card, line, message))
        for section in ("Alerts", "Escalation"):
            line = _line_of(folder / "RUNBOOK.md", f"## {section}$")
            message = f"runbook section '{section}' is empty or only a placeholder"
            expected.append(("RW205", runbook, line, message))
        odcs = "not valid against ODCS v3.1.0"
        for pattern, where in (
            ("id:", "id: None is not of type 'string'"),
            ("version:", "version: None is not of type 'string'"),
            ("  purpose:", "description.purpose: None is not of type 'string'"),
        ):
            line = _line_of(folder / "data_contract.yaml", pattern)
            expected.append(("RW202", contract, line, f"{odcs}: {where}"))
        line = _line_of(folder / "data_contract.yaml", " +logicalType: TODO")
        types = ", ".join(
            f'"{t}"' for t in ("string", "date", "timestamp", "time", "number", "integer", "object")
        )
        types += ', "array", "boolean"'
        expected.append(
            (
                "RW202",
                contract,
                line,
                f'{odcs}: schema[0].properties[0].logicalType: "TODO" is not one of: {types}',
            )
        )
        expected.append(
            (
                "RW301",
                f"models/{name}/{marker}",
                1,
                f"no owner for models/{name} in CODEOWNERS and card metadata",
            )
        )
    assert len(got) == 32
    assert got == sorted(expected)


def _fill(root: Path, name: str) -> None:
    folder = root / "models" / name
    for doc in ("MODEL_CARD.md", "RUNBOOK.md", "ROLLBACK.md"):
        path = folder / doc
        text = re.sub(
            r"^TODO: (.*)$", r"Filled in: \1", path.read_text(encoding="utf-8"), flags=re.M
        )
        path.write_text(text, encoding="utf-8")
    card = folder / "MODEL_CARD.md"
    values = {
        "version": '"2.0.0"',
        "last_reviewed": '"2026-11-02"',
        "risk": "high",
        "stage": "supervised",
        "owners": '["@acme/ml", "@acme/risk"]',
    }
    text = card.read_text(encoding="utf-8")
    for key, value in values.items():
        text = re.sub(rf"^{key}: .*$", f"{key}: {value}", text, count=1, flags=re.M)
    card.write_text(text, encoding="utf-8")
    contract = folder / "data_contract.yaml"
    text = contract.read_text(encoding="utf-8")
    for pattern, value in (
        (r"^id: .*$", f"id: urn:datacontract:acme:{name}"),
        (r"^version: .*$", 'version: "1.0.0"'),
        (r"^  purpose: .*$", "  purpose: Card transactions the model scores."),
        (r"^  - name: TODO .*$", "  - name: transactions"),
        (r"^      - name: TODO .*$", "      - name: amount"),
        (r"^        logicalType: TODO .*$", "        logicalType: number"),
    ):
        text, count = re.subn(pattern, value, text, flags=re.M)
        assert count == 1, pattern
    contract.write_text(text, encoding="utf-8")


def test_filled_templates_pass_the_recommended_checks(
    make_repo: Callable[..., GitRepo], run_cli: Run
) -> None:
    repo = make_repo(MODELS)
    run_cli("init", cwd=repo.path)
    for name in ("churn", "fraud"):
        _fill(repo.path, name)
    repo.commit("fill in the templates")
    exit_code, findings = _findings(run_cli, repo.path)
    assert findings == []
    assert exit_code == 0
    text = run_cli("check", cwd=repo.path)
    assert (text.exit_code, text.out) == (0, "")


def test_high_risk_card_keeps_its_human_oversight_section(
    make_repo: Callable[..., GitRepo], run_cli: Run
) -> None:
    repo = make_repo({"models/fraud/model.onnx": b"\x08"})
    run_cli("init", cwd=repo.path)
    _fill(repo.path, "fraud")
    card = repo.path / "models/fraud/MODEL_CARD.md"
    text = card.read_text(encoding="utf-8")
    start = text.index("## Human oversight")
    card.write_text(text[:start] + "## Human oversight\n\nTODO: later\n", encoding="utf-8")
    repo.commit("risk high, oversight still open")
    _, findings = _findings(run_cli, repo.path)
    assert [(f["code"], f["message"]) for f in findings] == [
        ("RW201", "model card section 'Human oversight' is empty or only a placeholder")
    ]


def test_policy_passes_validate_policy(make_repo: Callable[..., GitRepo], run_cli: Run) -> None:
    repo = make_repo(MODELS)
    run_cli("init", cwd=repo.path)
    result = run_cli("validate-policy", "roadworthy.yaml", cwd=repo.path)
    assert result.exit_code == 0, result.err
    assert result.out.startswith("roadworthy.yaml: valid")


def _uncomment(text: str, replace: dict[str, str]) -> str:
    """The policy with its commented example blocks (components, rules, waivers) switched on."""
    out = []
    active = False
    for line in text.splitlines():
        if line in ("# components:", "# rules:", "# waivers:"):
            active = True
        if active and line.startswith("# "):
            line = line[2:]
            for old, new in replace.items():
                line = line.replace(old, new)
        else:
            active = False
        out.append(line)
    return "\n".join(out) + "\n"


def test_commented_examples_are_valid_once_filled_in(
    make_repo: Callable[..., GitRepo], run_cli: Run
) -> None:
    repo = make_repo(MODELS)
    run_cli("init", cwd=repo.path)
    policy = repo.path / "roadworthy.yaml"
    written = policy.read_text(encoding="utf-8")
    filled = {
        "risk: TODO": "risk: high",
        "stage: TODO": "stage: advisory",
        "[TODO]": '["@acme/ml"]',
    }
    policy.write_text(_uncomment(written, filled), encoding="utf-8")
    result = run_cli("validate-policy", "roadworthy.yaml", cwd=repo.path)
    assert result.exit_code == 0, result.err
    assert "17 rules" not in result.out  # the example rule ACME201 is in force
    assert "1 waiver;" in result.out
    policy.write_text(_uncomment(written, {}), encoding="utf-8")
    refused = run_cli("validate-policy", "roadworthy.yaml", cwd=repo.path)
    assert refused.exit_code == 2
    for field in ("risk", "stage", "owners"):
        # owners: the offending handle itself ([0]) is named, not the list
        assert re.search(rf"\.{field}(\[0\])?:", refused.err), refused.err


def test_policy_lists_the_discovered_components(
    make_repo: Callable[..., GitRepo], run_cli: Run
) -> None:
    repo = make_repo(MODELS)
    run_cli("init", cwd=repo.path)
    text = (repo.path / "roadworthy.yaml").read_text(encoding="utf-8")
    assert "extends: [recommended]\n" in text
    assert "#     - name: churn\n#       path: models/churn\n" in text
    assert "#     - name: fraud\n#       path: models/fraud\n" in text
    assert "#     expires: 2027-02-19\n" in text  # 90 days after the pinned today


def test_never_overwrites(make_repo: Callable[..., GitRepo], run_cli: Run) -> None:
    card = "---\nversion: 1.0.0\n---\n# Mine\n"
    policy = "version: 1\nextends: [recommended]\n"
    repo = make_repo({**MODELS, "models/fraud/MODEL_CARD.md": card, "roadworthy.yaml": policy})
    (repo.path / "models/churn/RUNBOOK.md").write_text("untracked, mine\n", encoding="utf-8")
    result = run_cli("init", cwd=repo.path)
    assert result.exit_code == 0
    assert "roadworthy.yaml" not in result.out
    assert "kept roadworthy.yaml" in result.err
    assert "models/fraud/MODEL_CARD.md" not in result.out
    assert "models/churn/RUNBOOK.md" not in result.out
    assert "created models/churn/MODEL_CARD.md" in result.out
    assert (repo.path / "models/fraud/MODEL_CARD.md").read_text(encoding="utf-8") == card
    assert (repo.path / "roadworthy.yaml").read_text(encoding="utf-8") == policy
    assert (repo.path / "models/churn/RUNBOOK.md").read_text(encoding="utf-8") == (
        "untracked, mine\n"
    )
    again = run_cli("init", cwd=repo.path)
    assert again.out == ""
    assert "nothing to write" in again.err


def test_write_new_leaves_a_file_that_appeared(tmp_path: Path) -> None:
    (tmp_path / "RUNBOOK.md").write_text("raced\n", encoding="utf-8")
    init.write_new(tmp_path, init.Planned("RUNBOOK.md", "template\n"))
    assert (tmp_path / "RUNBOOK.md").read_text(encoding="utf-8") == "raced\n"
    init.write_new(tmp_path, init.Planned("a/b/NEW.md", "template\n"))
    assert (tmp_path / "a/b/NEW.md").read_text(encoding="utf-8") == "template\n"
    assert sorted(p.name for p in (tmp_path / "a/b").iterdir()) == ["NEW.md"]


def test_policy_defined_places_sections_and_keys(
    make_repo: Callable[..., GitRepo], run_cli: Run
) -> None:
    policy = """\
version: 1
artifacts:
  model_card: [docs/CARD.md]
  data_contract: ["*.odcs.yaml"]
rules:
  ACME101:
    name: card-missing-section
    check: markdown-sections
    options:
      artifact: model_card
      sections: [Intended use, {name: Fairness review, aliases: [Fairness]}]
    dimension: governance
  ACME102:
    name: card-missing-metadata
    check: front-matter
    options: {artifact: model_card, keys: {version: version, license: string}}
    dimension: governance
  ACME103:
    name: missing-contract
    check: file-exists
    options: {artifact: data_contract}
    dimension: data
"""
    repo = make_repo({"roadworthy.yaml": policy, "models/fraud/model.onnx": b"\x08"})
    result = run_cli("init", cwd=repo.path)
    assert result.out.splitlines() == [
        "created models/fraud/docs/CARD.md",
        "created models/fraud/fraud.odcs.yaml",
    ]
    card = (repo.path / "models/fraud/docs/CARD.md").read_text(encoding="utf-8")
    assert card.endswith("\n## Fairness review\n\nTODO: fill in this section.\n")
    assert "\nlicense:  # TODO\n---\n" in card
    repo.commit("init")
    _, findings = _findings(run_cli, repo.path)
    mine = sorted((f["code"], f["message"]) for f in findings if f["code"].startswith("ACME"))
    assert mine == [
        ("ACME101", "model card section 'Fairness review' is empty or only a placeholder"),
        ("ACME101", "model card section 'Intended use' is empty or only a placeholder"),
        ("ACME102", "front matter 'version' is 'TODO', not a PEP 440 or semver version"),
        ("ACME102", "front matter has no 'license'"),
    ]


def test_no_components_yet(make_repo: Callable[..., GitRepo], run_cli: Run) -> None:
    repo = make_repo({"README.md": "# A service\n"})
    result = run_cli("init", cwd=repo.path)
    assert result.out == "created roadworthy.yaml\n"
    text = (repo.path / "roadworthy.yaml").read_text(encoding="utf-8")
    assert "None were found yet; the entry below is an example." in text
    assert run_cli("validate-policy", "roadworthy.yaml", cwd=repo.path).exit_code == 0


def test_works_outside_git(tmp_path: Path, run_cli: Run) -> None:
    (tmp_path / "plain/models/fraud").mkdir(parents=True)
    (tmp_path / "plain/models/fraud/model.onnx").write_bytes(b"\x08")
    result = run_cli("init", "plain", cwd=tmp_path)
    assert result.exit_code == 0, result.err
    assert "created models/fraud/MODEL_CARD.md" in result.out
    exit_code, findings = _findings(run_cli, tmp_path / "plain")
    assert exit_code == 1
    assert {f["code"] for f in findings} == {"RW004", "RW201", "RW202", "RW203", "RW205", "RW301"}


@pytest.mark.parametrize("template", sorted({*init.TEMPLATES.values(), init.POLICY_FILE}))
def test_templates_are_package_data(template: str) -> None:
    from importlib import resources

    assert resources.files("roadworthy.templates").joinpath(template).is_file()
    pyproject = (Path(__file__).parents[2] / "pyproject.toml").read_text(encoding="utf-8")
    assert '"roadworthy.templates" = ["*.md", "*.yaml"]' in pyproject
    assert '"roadworthy.templates",' in pyproject


STAGED_POLICY = """version: 1
extends: [recommended]
stages:
  advisory: {evaluation: {metrics: {auc: ">= 0.80"}}}
"""


def test_evaluation_report_under_a_policy_with_stages(
    make_repo: Callable[..., GitRepo], run_cli: Run
) -> None:
    repo = make_repo({**MODELS, "roadworthy.yaml": STAGED_POLICY})
    assert "created models/fraud/evaluation.yaml" in run_cli("init", cwd=repo.path).out
    repo.add_all()
    report = repo.path / "models/fraud/evaluation.yaml"
    _, findings = _findings(run_cli, repo.path)
    invalid = sorted(
        (f["line"], f["message"].split(": ")[1])
        for f in findings
        if f["code"] == "RW208" and f["path"] == "models/fraud/evaluation.yaml"
    )
    assert invalid == [
        (_line_of(report, "  digest:"), "weights.digest"),
        (_line_of(report, "  start:"), "window.start"),
        (_line_of(report, "  end:"), "window.end"),
    ]
    digest = "sha256:" + hashlib.sha256(MODELS["models/fraud/model.onnx"]).hexdigest()
    filled = (
        report.read_text(encoding="utf-8")
        .replace("path: TODO", "path: model.onnx")
        .replace("digest: TODO", f"digest: {digest}")
        .replace("start: TODO", "start: 2026-09-01")
        .replace("end: TODO", "end: 2026-10-01")
        .replace("TODO: 0", "auc: 0.81")
    )
    report.write_text(filled, encoding="utf-8")
    repo.add_all()
    _, findings = _findings(run_cli, repo.path)
    assert [f for f in findings if f["code"] == "RW208" and f["component"] == "fraud"] == []


def test_no_evaluation_report_without_stages(
    make_repo: Callable[..., GitRepo], run_cli: Run
) -> None:
    repo = make_repo(MODELS)
    assert "evaluation.yaml" not in run_cli("init", cwd=repo.path).out


THREE = {**MODELS, "models/ranker/model.pt": b"\x80\x02weights"}  # 13 files to write


def test_more_than_a_handful_of_files_needs_yes(
    make_repo: Callable[..., GitRepo], run_cli: Run
) -> None:
    repo = make_repo(THREE)
    refused = run_cli("init", cwd=repo.path)
    assert refused.exit_code == 2
    assert refused.out == ""
    assert (
        "init would write 13 files in 4 folders (., models/churn, models/fraud, models/ranker);"
        " nothing written: `roadworthy init --dry-run` lists them, --yes writes them"
    ) in refused.err
    assert repo.git("status", "--porcelain") == ""
    listed = run_cli("init", "--dry-run", cwd=repo.path)
    assert listed.exit_code == 0 and len(listed.out.splitlines()) == 13
    written = run_cli("init", "--yes", cwd=repo.path)
    assert written.exit_code == 0
    assert "wrote 13 files" in written.err


def test_a_handful_for_the_components_named(
    make_repo: Callable[..., GitRepo], run_cli: Run
) -> None:
    repo = make_repo(THREE)
    result = run_cli("init", "models/ranker", cwd=repo.path)
    assert result.exit_code == 0, result.err
    assert "wrote 5 files" in result.err


SHADOW_CARD = (
    "---\nversion: '1.0.0'\nlast_reviewed: 2026-10-01\nstage: shadow\nowners: ['@acme/ml']\n"
    "---\n## Intended use\nx\n"
)


def test_writes_only_what_the_components_stage_needs(
    make_repo: Callable[..., GitRepo], run_cli: Run
) -> None:
    """A shadow model needs no runbook (RW104) nor rollback plan (RW103)."""
    repo = make_repo({"m/model.onnx": b"\x08\x01onnx", "m/MODEL_CARD.md": SHADOW_CARD})
    result = run_cli("init", "--dry-run", cwd=repo.path)
    assert result.out.splitlines() == [
        "would create roadworthy.yaml",
        "would create m/data_contract.yaml",
    ]


def test_skips_what_a_waiver_excuses(make_repo: Callable[..., GitRepo], run_cli: Run) -> None:
    policy = (
        "version: 1\nextends: [recommended]\nwaivers:\n  - id: contracts-in-registry\n"
        "    rules: [RW102]\n    component: m\n    owner: '@acme/ml'\n"
        "    reason: contracts live in the data registry\n    expires: 2099-01-01\n"
    )
    repo = make_repo({"m/model.onnx": b"\x08\x01onnx", "roadworthy.yaml": policy})
    result = run_cli("init", "--dry-run", cwd=repo.path)
    assert "data_contract" not in result.out
    assert "would create m/RUNBOOK.md" in result.out.splitlines()


def test_stage_and_risk_go_to_the_card_and_decide_what_is_written(
    make_repo: Callable[..., GitRepo], run_cli: Run
) -> None:
    repo = make_repo({"m/model.onnx": b"\x08\x01onnx"})
    result = run_cli("init", "--stage", "shadow", "--risk", "high", cwd=repo.path)
    assert result.exit_code == 0, result.err
    assert result.out.splitlines() == [
        "created roadworthy.yaml",
        "created m/MODEL_CARD.md",
        "created m/data_contract.yaml",
    ]
    card = (repo.path / "m/MODEL_CARD.md").read_text(encoding="utf-8")
    assert "\nrisk: high" in card and "\nstage: shadow" in card
    assert "## Human oversight" in card  # risk high asks for it
    repo.commit("init")
    _, findings = _findings(run_cli, repo.path)
    assert not {f["code"] for f in findings} & {"RW103", "RW104"}
    invalid = [f["message"] for f in findings if f["code"] == "RW004"]
    assert not [m for m in invalid if "stage" in m or "risk" in m], invalid


def test_a_declared_stage_wins_over_the_option(
    make_repo: Callable[..., GitRepo], run_cli: Run
) -> None:
    repo = make_repo({"m/model.onnx": b"\x08\x01onnx", "m/MODEL_CARD.md": SHADOW_CARD})
    result = run_cli("init", "--dry-run", "--stage", "autonomous", cwd=repo.path)
    assert result.exit_code == 0, result.err
    assert result.out.splitlines() == [
        "would create roadworthy.yaml",
        "would create m/data_contract.yaml",
    ]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        pytest.param(["--stage", "prod"], "--stage 'prod' is not one of shadow", id="stage"),
        pytest.param(["--risk", "extreme"], "--risk 'extreme' is not one of minimal", id="risk"),
    ],
)
def test_an_unknown_stage_or_risk_is_a_usage_error(
    make_repo: Callable[..., GitRepo], run_cli: Run, args: list[str], words: str
) -> None:
    repo = make_repo({"m/model.onnx": b"\x08\x01onnx"})
    result = run_cli("init", *args, cwd=repo.path)
    assert result.exit_code == 2
    assert words in result.err
    assert repo.git("status", "--porcelain") == ""

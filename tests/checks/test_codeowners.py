"""``codeowners`` (the check): owners from CODEOWNERS and the card, enough of them for the risk.

The CODEOWNERS parser itself is tested in tests/test_codeowners.py; here the rule's options and
where its findings (and RW302's) point.
"""

from __future__ import annotations

import json

import pytest

CODE = "ACME101"
W = "placeholder weights\n"
M = "models/churn/model.onnx"
RECOMMENDED = {
    "sources": ["codeowners", "card"],
    "ignore_catch_all": True,
    "min_owners": {"default": 1, "high": 2},
    "accountable_satisfies": True,
}


def repo_files(codeowners: str | None = None, where: str = ".github/CODEOWNERS", front: str = ""):
    files = {M: W, "models/churn/MODEL_CARD.md": f"---\n{front}---\n# Churn\n"}
    if codeowners is not None:
        files[where] = codeowners
    return files


@pytest.mark.parametrize(
    ("codeowners", "expected"),
    (
        pytest.param("/models/churn/ @acme/churn\n", [], id="folder-rule"),
        pytest.param("/models/ @acme/ml\n", [], id="ancestor-rule"),
        pytest.param("models/churn @acme/churn\n", [], id="literal-without-slash"),
        pytest.param("churn/ @acme/churn\n", [], id="unanchored-folder"),
        pytest.param("/models/churn/** @acme/churn\n", [], id="double-star"),
        pytest.param("*.onnx @acme/churn\n", [(CODE, M, 1)], id="file-rule-owns-no-folder"),
        pytest.param("/models/churn/* @acme/churn\n", [(CODE, M, 1)], id="star-owns-files-only"),
        pytest.param("/models/fraud/ @acme/fraud\n", [(CODE, M, 1)], id="other-folder"),
        pytest.param(
            "/models/ @acme/ml\n/models/churn/\n", [(CODE, M, 1)], id="last-match-without-owners"
        ),
        pytest.param("/models/churn/\n/models/ @acme/ml\n", [], id="last-match-wins"),
        pytest.param("* @acme/platform\n", [(CODE, M, 1)], id="catch-all-ignored"),
        pytest.param("** @acme/platform\n", [(CODE, M, 1)], id="double-star-catch-all-ignored"),
        pytest.param("# owners TBD\n", [(CODE, M, 1)], id="comments-only"),
        pytest.param(None, [(CODE, M, 1)], id="no-codeowners"),
    ),
)
def test_codeowners_rules(lint, codeowners, expected):
    assert lint(repo_files(codeowners), "codeowners", RECOMMENDED) == expected


def test_catch_all_counts_when_not_ignored(lint):
    options = {**RECOMMENDED, "ignore_catch_all": False}
    assert lint(repo_files("* @acme/platform\n"), "codeowners", options) == []


def test_ignore_patterns(lint):
    options = {**RECOMMENDED, "ignore_patterns": ["/models/"]}
    assert lint(repo_files("/models/ @acme/ml\n"), "codeowners", options) == [(CODE, M, 1)]


@pytest.mark.parametrize(
    ("locations", "expected"),
    (
        pytest.param({".github/CODEOWNERS": "/models/ @a\n"}, [], id="github-folder"),
        pytest.param({"CODEOWNERS": "/models/ @a\n"}, [], id="root"),
        pytest.param({"docs/CODEOWNERS": "/models/ @a\n"}, [], id="docs"),
        pytest.param(
            {".github/CODEOWNERS": "/docs/ @a\n", "CODEOWNERS": "/models/ @a\n"},
            [(CODE, M, 1)],
            id="github-folder-shadows-root",
        ),
        pytest.param(
            {"CODEOWNERS": "/docs/ @a\n", "docs/CODEOWNERS": "/models/ @a\n"},
            [(CODE, M, 1)],
            id="root-shadows-docs",
        ),
        pytest.param({"models/CODEOWNERS": "/models/ @a\n"}, [(CODE, M, 1)], id="elsewhere"),
    ),
)
def test_locations(lint, locations, expected):
    files = {**repo_files(), **locations}
    assert lint(files, "codeowners", RECOMMENDED) == expected


@pytest.mark.parametrize(
    ("front", "risk_expected"),
    (
        pytest.param('owners: ["@acme/churn"]\n', [], id="card-list"),
        pytest.param('owners: "@acme/churn"\n', [], id="card-string"),
        pytest.param("owners: [dana@acme.example]\n", [], id="card-email"),
        pytest.param("owners: []\n", [(CODE, M, 1)], id="card-empty-list"),
        pytest.param('risk: high\nowners: ["@acme/churn"]\n', [(CODE, M, 1)], id="high-one-owner"),
        pytest.param('risk: high\nowners: ["@a", "@b"]\n', [], id="high-two-owners"),
        pytest.param('risk: high\nowners: ["@a", "@a"]\n', [(CODE, M, 1)], id="high-same-twice"),
        pytest.param('risk: high\nowners: {accountable: "@dana"}\n', [], id="high-accountable"),
        pytest.param(
            'risk: high\nowners: {responsible: "@dana"}\n',
            [(CODE, M, 1)],
            id="high-responsible-only",
        ),
    ),
)
def test_card_owners(lint, front, risk_expected):
    assert lint(repo_files(front=front), "codeowners", RECOMMENDED) == risk_expected


def test_codeowners_and_card_owners_add_up(lint):
    files = repo_files("/models/churn/ @acme/churn\n", front='risk: high\nowners: ["@dana"]\n')
    assert lint(files, "codeowners", RECOMMENDED) == []


def test_sources_card_only_ignores_codeowners(lint):
    files = repo_files("/models/churn/ @acme/churn\n")
    assert lint(files, "codeowners", {"sources": ["card"]}) == [(CODE, M, 1)]


def test_sources_codeowners_only_ignores_the_card(lint):
    files = repo_files(front='owners: ["@dana"]\n')
    assert lint(files, "codeowners", {"sources": ["codeowners"]}) == [(CODE, M, 1)]


def test_accountable_satisfies_false(lint):
    files = repo_files(front='risk: high\nowners: {accountable: "@dana"}\n')
    options = {**RECOMMENDED, "accountable_satisfies": False}
    assert lint(files, "codeowners", options) == [(CODE, M, 1)]


@pytest.mark.parametrize(
    ("owners", "expected"),
    (
        pytest.param('{accountable: "@dana", responsible: ["@a", "@b"]}', [], id="present"),
        pytest.param('["@a", "@b"]', [(CODE, M, 1)], id="plain-handles-have-no-role"),
        pytest.param('{responsible: ["@a", "@b"]}', [(CODE, M, 1)], id="role-missing"),
    ),
)
def test_required_roles(lint, owners, expected):
    files = repo_files(front=f"risk: high\nowners: {owners}\n")
    options = {**RECOMMENDED, "required_roles": {"high": ["accountable"]}}
    assert lint(files, "codeowners", options) == expected


def test_owners_from_the_declare_entry(lint):
    policy = {
        "version": 1,
        "components": {"declare": [{"path": "models/churn", "owners": ["@acme/churn"]}]},
        "rules": {
            CODE: {
                "name": "under-test",
                "check": "codeowners",
                "dimension": "organization",
                "options": RECOMMENDED,
            }
        },
    }
    assert lint({M: W, "roadworthy.yaml": json.dumps(policy)}) == []


def test_component_at_the_repository_root(lint):
    files = {"model.onnx": W, "MODEL_CARD.md": "---\nowners: ['@acme/ml']\n---\n# Model\n"}
    assert lint(files, "codeowners", RECOMMENDED) == []
    files = {"model.onnx": W, "CODEOWNERS": "* @acme/ml\n"}
    assert lint(files, "codeowners", RECOMMENDED) == [(CODE, "model.onnx", 1)]


def test_escaped_space_in_a_pattern(lint):
    files = {
        "models/churn model/model.onnx": W,
        ".github/CODEOWNERS": "/models/churn\\ model/ @acme/churn\n",
    }
    assert lint(files, "codeowners", RECOMMENDED) == []


# --- RW302 invalid-codeowners and unreadable files ---------------------------------------------


def test_syntax_problems_are_reported_once_at_their_lines(lint):
    codeowners = (
        "# Owners\n"
        "/a/ @acme/a\n"
        "!/a/tmp/\n"
        "/b/ not-a-handle\n"
        "[Section]\n"
        "/c/ @acme/c\n"
        "/docs/[ab]*.md @acme/docs\n"
    )
    files = {"a/model.onnx": W, "b/model.onnx": W, "c/model.onnx": W, "CODEOWNERS": codeowners}
    assert lint(files, "codeowners", RECOMMENDED) == [
        ("RW302", "CODEOWNERS", 3),
        ("RW302", "CODEOWNERS", 4),
        ("RW302", "CODEOWNERS", 5),
        ("RW302", "CODEOWNERS", 7),
        (CODE, "b/model.onnx", 1),  # its only line is invalid, so GitHub gives it no owner
    ]


def test_syntax_problems_need_a_codeowners_rule(lint):
    # Without a rule of kind codeowners nobody reads the file.
    files = {"a/model.onnx": W, "a/ROLLBACK.md": "x\n", "CODEOWNERS": "!/a/\n"}
    assert lint(files, "file-exists", {"paths": ["ROLLBACK.md"]}) == []


def test_rw302_can_be_disabled(make_repo, run_cli):
    policy = {
        "version": 1,
        "rules": {
            "RW302": {"enabled": False},
            CODE: {
                "name": "under-test",
                "check": "codeowners",
                "dimension": "organization",
                "options": RECOMMENDED,
            },
        },
    }
    files = {
        "a/model.onnx": W,
        "CODEOWNERS": "/a/ @acme/a\n!/a/x/\n",
        "roadworthy.yaml": json.dumps(policy),
    }
    result = run_cli("check", "--format", "json", cwd=make_repo(files).path)
    assert json.loads(result.out)["findings"] == []


def test_binary_codeowners_is_rw001_once_and_components_are_unowned(lint):
    files = {"a/model.onnx": W, "b/model.onnx": W, "CODEOWNERS": b"\x00\x01\x02/a/ @x\n"}
    assert lint(files, "codeowners", RECOMMENDED) == [
        ("RW001", "CODEOWNERS", 1),
        (CODE, "a/model.onnx", 1),
        (CODE, "b/model.onnx", 1),
    ]


def test_codeowners_with_bom_and_crlf(lint):
    files = repo_files("\ufeff# Owners\r\n/models/churn/ @acme/churn\r\n")
    assert lint(files, "codeowners", RECOMMENDED) == []

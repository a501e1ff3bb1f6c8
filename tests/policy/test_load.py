"""Loading policies: every problem at once, each as ``file:line:col: message``, exit 2."""

from __future__ import annotations

import re

import pytest

LOCATED = re.compile(r"^(?P<file>[^\s:][^:]*):(?P<line>\d+):(?P<col>\d+): (?P<message>.+)$")
HEAD = "version: 1\nextends: [recommended]\n"
W = "placeholder weights\n"


def problems(result) -> list[tuple[str, int, str]]:
    """(file, line, message) of each located line; every line but the count must be located."""
    lines = result.err.splitlines()
    assert lines, "no error output"
    assert re.fullmatch(r"roadworthy: \d+ problems? in the policy", lines[-1]), lines[-1]
    out = []
    for text in lines[:-1]:
        m = LOCATED.match(text)
        assert m, f"not file:line:col: message: {text!r}"
        out.append((m["file"], int(m["line"]), m["message"]))
    assert "Traceback" not in result.err
    return out


def validate(make_repo, run_cli, files, entry="roadworthy.yaml"):
    repo = make_repo(files)
    return run_cli("validate-policy", entry, cwd=repo.path)


def single(make_repo, run_cli, policy: str) -> tuple[str, int, str]:
    result = validate(make_repo, run_cli, {"roadworthy.yaml": policy})
    assert result.exit_code == 2, result.out
    found = problems(result)
    assert len(found) == 1, found
    return found[0]


# --- one problem each ---------------------------------------------------------------------------

RULE = "rules:\n  ACME101:\n    name: missing-fairness-review\n"


@pytest.mark.parametrize(
    ("policy", "line", "words"),
    (
        pytest.param(
            HEAD + "waviers: []\n", 3, ["waviers", "did you mean 'waivers'"], id="top-key"
        ),
        pytest.param(
            HEAD + RULE + "    check: file-exists\n    options: {path: [FAIRNESS.md]}\n"
            "    dimension: governance\n",
            7,
            ["path", "did you mean 'paths'"],
            id="option-of-a-check-kind",
        ),
        pytest.param(
            HEAD + RULE + "    check: file-exist\n    dimension: governance\n",
            6,
            ["file-exist"],
            id="unknown-check-kind",
        ),
        pytest.param(
            HEAD + RULE + "    check: file-exists\n    options:\n      artifact: fairness\n"
            "    dimension: governance\n",
            8,
            ["fairness"],
            id="unknown-artifact",
        ),
        pytest.param(
            HEAD + "rules:\n  RW901:\n    name: my-own-rule\n    check: file-exists\n"
            "    options: {paths: [X.md]}\n    dimension: governance\n",
            4,
            ["RW"],
            id="rw-prefix-reserved",
        ),
        pytest.param(
            HEAD + RULE + "    check: file-exists\n    options: {paths: [X.md]}\n"
            "    dimension: governance\n"
            "  ACME102:\n    name: missing-fairness-review\n    check: file-exists\n"
            "    options: {paths: [Y.md]}\n    dimension: governance\n",
            10,
            ["missing-fairness-review", "ACME101"],
            id="duplicate-rule-name",
        ),
        pytest.param(
            HEAD + RULE + "    check: file-exists\n    options: {paths: [X.md]}\n"
            "    severity: fatal\n    dimension: governance\n",
            8,
            ["severity"],
            id="unknown-severity",
        ),
        pytest.param(
            HEAD + "rules:\n  RW104: {severity: warnig}\n", 4, ["warnig"], id="override-typo"
        ),
        pytest.param(
            HEAD + RULE + "    check: file-exists\n    options: {paths: [X.md]}\n"
            "    dimension: governance\n    applies_to: {risk: [extreme]}\n",
            9,
            ["extreme"],
            id="unknown-risk-in-scope",
        ),
        pytest.param("version: 1\nextends: [recomended]\n", 2, ["recomended"], id="unknown-preset"),
        pytest.param(
            "version: 1\nextends: [../org/policy.yaml]\n", 2, ["leaves"], id="extends-outside"
        ),
        pytest.param(
            "version: 1\nextends: [/etc/roadworthy.yaml]\n", 2, ["leaves"], id="extends-absolute"
        ),
        pytest.param(
            "version: 1\nextends: [policies/missing.yaml]\n", 2, ["not found"], id="extends-missing"
        ),
        pytest.param(HEAD + 'requires: ">=99"\n', 3, [">=99"], id="requires-newer"),
        pytest.param(HEAD + 'requires: "soon"\n', 3, ["soon"], id="requires-not-a-specifier"),
        pytest.param(HEAD + "version: 2\n", 3, ["version"], id="version-2"),
        pytest.param(
            HEAD + "components:\n  declare:\n    - {path: ../elsewhere}\n",
            5,
            ["../elsewhere"],
            id="declare-outside",
        ),
        pytest.param(
            HEAD + "components:\n  declare:\n    - {path: ' //x'}\n",
            5,
            ["//x", "inside the repository"],
            id="declare-absolute-behind-a-space",
        ),
        pytest.param(
            HEAD + "components:\n  declare:\n    - {path: '\\\\x'}\n",
            5,
            ["inside the repository"],
            id="declare-absolute-with-a-backslash",
        ),
        pytest.param(
            HEAD + "components:\n  declare:\n    - {path: models/a, risk: extreme}\n",
            5,
            ["extreme"],
            id="declare-unknown-risk",
        ),
        pytest.param(
            HEAD + "rules:\n  rw104: {severity: warning}\n", 4, ["rw104"], id="lowercase-code"
        ),
        pytest.param(
            HEAD + "limits:\n  max_file_size: 0\n", 4, ["max_file_size"], id="limit-below-minimum"
        ),
        pytest.param(
            HEAD + "rules:\n  RW201:\n    options:\n      aliases: {Caveat: [Caveats]}\n",
            6,
            ["options.aliases: no section 'Caveat'", "Limitations"],
            id="alias-for-no-section",
        ),
        pytest.param(
            HEAD + "artifacts:\n  model_card: [MODEL_CARD.md, ../README.md]\n",
            4,
            ["'../README.md' can never match", "model_card[1]"],
            id="artifact-outside-the-component",
        ),
    ),
)
def test_located_problem(make_repo, run_cli, policy, line, words):
    result = validate(make_repo, run_cli, {"roadworthy.yaml": policy})
    assert result.exit_code == 2, result.out
    found = problems(result)
    # One mistake, one place (a schema may word it twice, e.g. oneOf + additionalProperties).
    assert {(file, n) for file, n, _ in found} == {("roadworthy.yaml", line)}, found
    assert any(all(word in message for word in words) for _, _, message in found), found


WAIVER = "waivers:\n  - id: w1\n    rules: [RW104]\n    component: churn\n"
WAIVER_TAIL = "    owner: '@acme/ml'\n    reason: runbook in the wiki\n    expires: 2027-01-31\n"


def test_waiver_bad_date_points_at_expires(make_repo, run_cli):
    policy = HEAD + WAIVER + WAIVER_TAIL.replace("2027-01-31", "2026-13-01")
    file, line, message = single(make_repo, run_cli, policy)
    assert (file, line) == ("roadworthy.yaml", 9)  # the expires line (STYLE §6.6)
    assert "2026-13-01" in message


@pytest.mark.parametrize(
    ("policy", "lines", "words"),
    (
        pytest.param(
            HEAD + WAIVER.replace("    component: churn\n", "") + WAIVER_TAIL,
            (4,),
            ["component", "paths"],
            id="waiver-without-target",
        ),
        pytest.param(
            HEAD + WAIVER.replace("[RW104]", "[RW104, RW999]") + WAIVER_TAIL,
            (4, 5),
            ["RW999"],
            id="waiver-unknown-rule",
        ),
        pytest.param(
            HEAD + WAIVER.replace("[RW104]", "[missing-runbok]") + WAIVER_TAIL,
            (4, 5),
            ["missing-runbok"],
            id="waiver-unknown-rule-name",
        ),
        pytest.param(
            HEAD + WAIVER.replace("[RW104]", "[RW001]") + WAIVER_TAIL,
            (4, 5),
            ["RW001", "locked"],
            id="waiver-of-a-locked-rule",
        ),
        pytest.param(
            HEAD + WAIVER + WAIVER_TAIL.replace("2027-01-31", "next year"),
            (9,),
            ["expires"],
            id="waiver-date-not-a-date",
        ),
        pytest.param(
            HEAD + WAIVER + WAIVER_TAIL.replace("'@acme/ml'", "acme ml team"),
            (7,),
            ["owner"],
            id="waiver-owner-not-a-handle",
        ),
        pytest.param(
            HEAD + WAIVER + WAIVER_TAIL + WAIVER.replace("waivers:\n", "") + WAIVER_TAIL,
            (10,),
            ["w1"],
            id="waiver-duplicate-id",
        ),
    ),
)
def test_waiver_problem(make_repo, run_cli, policy, lines, words):
    file, line, message = single(make_repo, run_cli, policy)
    assert file == "roadworthy.yaml"
    assert line in lines, message
    for word in words:
        assert word in message


def test_yaml_syntax_error(make_repo, run_cli):
    policy = HEAD + "rules:\n  RW104: {severity: warning\n  RW103: {severity: warning}\n"
    file, line, _ = single(make_repo, run_cli, policy)
    assert file == "roadworthy.yaml"
    assert line in (4, 5)


def test_duplicate_key_in_a_policy(make_repo, run_cli):
    policy = HEAD + "rules:\n  RW104: {severity: warning}\n  RW104: {enabled: false}\n"
    assert single(make_repo, run_cli, policy)[:2] == ("roadworthy.yaml", 5)


def test_policy_that_is_a_list(make_repo, run_cli):
    assert single(make_repo, run_cli, "- extends: recommended\n")[:2] == ("roadworthy.yaml", 1)


def test_policy_with_invalid_utf8(make_repo, run_cli):
    repo = make_repo({"roadworthy.yaml": b"version: 1\n# caf\xe9\nextends: [recommended]\n"})
    result = run_cli("check", cwd=repo.path)
    assert result.exit_code == 2
    assert "roadworthy.yaml:" in result.err
    assert "Traceback" not in result.err


# --- extends ------------------------------------------------------------------------------------


def test_extends_cycle(make_repo, run_cli):
    files = {
        "roadworthy.yaml": "version: 1\nextends: [policies/org.yaml]\n",
        "policies/org.yaml": "version: 1\nextends: [recommended, ../roadworthy.yaml]\n",
    }
    result = validate(make_repo, run_cli, files)
    assert result.exit_code == 2
    found = problems(result)
    assert [(f, line) for f, line, _ in found] == [("policies/org.yaml", 2)]
    assert "cycle" in found[0][2]


def test_extends_itself(make_repo, run_cli):
    file, line, message = single(make_repo, run_cli, "version: 1\nextends: [roadworthy.yaml]\n")
    assert (file, line) == ("roadworthy.yaml", 2)
    assert "cycle" in message


def test_extends_chain_and_diamond_load(make_repo, run_cli):
    files = {
        "roadworthy.yaml": "version: 1\nextends: [policies/a.yaml, policies/b.yaml]\n",
        "policies/a.yaml": (
            "version: 1\nextends: [base.yaml]\nrules:\n  RW104: {severity: warning}\n"
        ),
        "policies/b.yaml": "version: 1\nextends: [base.yaml]\n",
        "policies/base.yaml": "version: 1\nextends: recommended\n",
    }
    result = validate(make_repo, run_cli, files)
    assert result.exit_code == 0, result.err


def test_problems_in_an_extended_file_name_that_file(make_repo, run_cli):
    files = {
        "roadworthy.yaml": "version: 1\nextends: [org.yaml]\n",
        "org.yaml": "version: 1\nextends: [recommended]\nrules:\n  RW104: {severity: fatal}\n",
    }
    result = validate(make_repo, run_cli, files)
    assert result.exit_code == 2
    assert [(f, line) for f, line, _ in problems(result)] == [("org.yaml", 4)]


# --- locked rules -------------------------------------------------------------------------------

ORG = (
    "version: 1\n"
    "extends: [recommended]\n"
    "rules:\n"
    "  RW103: {locked: true}\n"
    "  RW204: {locked: true}\n"
    "  ACME201:\n"
    "    name: missing-fairness-review\n"
    "    check: file-exists\n"
    "    options: {paths: [FAIRNESS.md]}\n"
    "    dimension: governance\n"
    "    severity: warning\n"
    "    locked: true\n"
)


@pytest.mark.parametrize(
    ("override", "line"),
    (
        pytest.param("  RW103: {enabled: false}\n", 4, id="disable-locked-preset-rule"),
        pytest.param("  RW103: {severity: warning}\n", 4, id="lower-severity"),
        pytest.param("  RW103:\n    applies_to: {stage: [autonomous]}\n", 5, id="narrow-the-scope"),
        pytest.param("  RW103:\n    options: {paths: [README.md]}\n", 5, id="change-options"),
        pytest.param("  ACME201: {enabled: false}\n", 4, id="disable-locked-org-rule"),
        pytest.param(
            "  ACME201:\n    options: {paths: [ANY.md]}\n", 5, id="change-org-rule-options"
        ),
    ),
)
def test_locked_rule_cannot_be_weakened(make_repo, run_cli, override, line):
    files = {
        "org.yaml": ORG,
        "roadworthy.yaml": "version: 1\nextends: [org.yaml]\nrules:\n" + override,
    }
    result = validate(make_repo, run_cli, files)
    assert result.exit_code == 2, result.out
    found = problems(result)
    assert [(f, n) for f, n, _ in found] == [("roadworthy.yaml", line)]
    assert "locked" in found[0][2]


@pytest.mark.parametrize(
    "override",
    (
        pytest.param("  RW204: {severity: error}\n", id="raise-preset-rule"),
        pytest.param("  ACME201: {severity: error}\n", id="raise-org-rule"),
        pytest.param("  RW103: {severity: error}\n", id="same-severity"),
        pytest.param("  RW104: {enabled: false}\n", id="unlocked-rule-may-be-disabled"),
    ),
)
def test_locked_rule_severity_may_be_raised(make_repo, run_cli, override):
    files = {
        "org.yaml": ORG,
        "roadworthy.yaml": "version: 1\nextends: [org.yaml]\nrules:\n" + override,
    }
    result = validate(make_repo, run_cli, files)
    assert result.exit_code == 0, result.err


def test_locked_rule_cannot_be_waived_by_the_repository(make_repo, run_cli):
    policy = (
        "version: 1\nextends: [org.yaml]\n"
        "waivers:\n  - rules: [RW103]\n    component: churn\n" + WAIVER_TAIL
    )
    result = validate(make_repo, run_cli, {"org.yaml": ORG, "roadworthy.yaml": policy})
    assert result.exit_code == 2
    found = problems(result)
    assert [(f, n) for f, n, _ in found] == [("roadworthy.yaml", 4)]


def test_engine_rules_are_locked(make_repo, run_cli):
    file, line, message = single(make_repo, run_cli, HEAD + "rules:\n  RW001: {enabled: false}\n")
    assert (file, line) == ("roadworthy.yaml", 4)
    assert "locked" in message


# --- all at once ----------------------------------------------------------------------------------

MANY = (
    HEAD
    + "rules:\n"
    + "  ACME101:\n"
    + "    name: missing-fairness-review\n"
    + "    check: file-exists\n"
    + "    options: {path: [FAIRNESS.md]}\n"  # 7
    + "    dimension: governance\n"
    + "  ACME102:\n"
    + "    name: missing-model-review\n"
    + "    check: file-exist\n"  # 11
    + "    dimension: governance\n"
    + "  RW901:\n"  # 13
    + "    name: my-own\n"
    + "    check: file-exists\n"
    + "    options: {paths: [X.md]}\n"
    + "    dimension: governance\n"
    + "waivers:\n"
    + "  - rules: [RW104]\n"  # 19
    + "    owner: '@acme/ml'\n"
    + "    reason: runbook in the wiki\n"
    + "    expires: 2027-01-31\n"
)


def test_every_problem_of_the_meaning_at_once(make_repo, run_cli):
    result = validate(make_repo, run_cli, {"roadworthy.yaml": MANY})
    assert result.exit_code == 2
    found = problems(result)
    assert {f for f, _, _ in found} == {"roadworthy.yaml"}
    assert sorted({n for _, n, _ in found}) == [7, 11, 13, 19]
    count = int(result.err.splitlines()[-1].split()[1])
    assert count == len(found)


def test_shape_and_meaning_problems_are_reported_together(make_repo, run_cli):
    # A misspelt top-level key must not hide the problems in the rules: the user fixes the
    # policy in one go (issue 2: "Every problem in a policy file is reported in one run").
    policy = MANY.replace(HEAD, HEAD + "fial_on: warning\n")
    result = validate(make_repo, run_cli, {"roadworthy.yaml": policy})
    assert result.exit_code == 2
    assert sorted({n for _, n, _ in problems(result)}) == [3, 8, 12, 14, 20]


def test_a_typo_in_a_preset_name_is_reported_with_a_broken_waiver(make_repo, run_cli):
    """A list item the schema rejects (this waiver) is dropped and the rest still resolved, so
    the misspelt preset is not left for the next run."""
    policy = (
        "version: 1\nextends: [recomended]\nfail_on: sometimes\n"
        "rules:\n  ACME101: {name: x, check: file-exist, dimension: data}\n"
        "waivers:\n  - {id: w, rules: [RW101], owner: '@a', reason: r, expires: 2027-01-01}\n"
    )
    result = validate(make_repo, run_cli, {"roadworthy.yaml": policy})
    assert result.exit_code == 2
    found = problems(result)
    assert [line for _, line, _ in found] == [2, 3, 5, 7]
    assert "unknown preset 'recomended'" in found[0][2]
    assert "unknown check 'file-exist'" in found[2][2]


@pytest.mark.parametrize(
    ("policy", "message"),
    [
        pytest.param(
            "people:\n  alice: [a@example.com]\n",
            "people.alice: key 'alice' is not an owner: @user, @org/team or an e-mail address",
            id="people-handle",
        ),
        pytest.param(
            "components:\n  declare:\n    - {path: m, owners: ['@ok', nobody]}\n",
            "components.declare[0].owners[1]: 'nobody' is not an owner: @user, @org/team or an"
            " e-mail address",
            id="owner-list",
        ),
        pytest.param(
            "components:\n  declare:\n    - {path: m, owners: {accountable: bob}}\n",
            "components.declare[0].owners.accountable: 'bob' is not an owner: @user, @org/team or"
            " an e-mail address",
            id="owner-roles",
        ),
        pytest.param(
            "rules:\n  acme1: {name: x, check: file-exists, dimension: data}\n",
            "rules.acme1: key 'acme1' is not a rule code: 2 to 5 capital letters and 3 digits"
            " (ACME101)",
            id="rule-code",
        ),
    ],
)
def test_pattern_problems_say_what_is_expected_not_a_regex(make_repo, run_cli, policy, message):
    result = validate(make_repo, run_cli, {"roadworthy.yaml": HEAD + policy})
    found = problems(result)
    assert message in [m for _, _, m in found]
    assert not any("^" in m or "[A-Z" in m for _, _, m in found)


def test_every_schema_pattern_has_words():
    from roadworthy.policy.load import policy_schema
    from roadworthy.policy.messages import PATTERN_WORDS

    def patterns(node):
        if isinstance(node, dict):
            if isinstance(node.get("pattern"), str):
                yield node["pattern"]
            for value in node.values():
                yield from patterns(value)
        elif isinstance(node, list):
            for value in node:
                yield from patterns(value)

    assert set(patterns(policy_schema())) <= set(PATTERN_WORDS)


def test_check_reports_policy_problems_too(make_repo, run_cli):
    repo = make_repo({"roadworthy.yaml": MANY, "m/model.onnx": W})
    result = run_cli("check", cwd=repo.path)
    assert result.exit_code == 2
    assert result.out == ""
    assert sorted({n for _, n, _ in problems(result)}) == [7, 11, 13, 19]


# --- files ----------------------------------------------------------------------------------------


def test_both_policy_files(make_repo, run_cli):
    files = {"roadworthy.yaml": HEAD, ".roadworthy.yaml": HEAD, "m/model.onnx": W}
    result = run_cli("check", cwd=make_repo(files).path)
    assert result.exit_code == 2
    assert "roadworthy.yaml" in result.err
    assert ".roadworthy.yaml" in result.err
    assert "Traceback" not in result.err


def test_dot_roadworthy_yaml_is_read(make_repo, run_cli):
    files = {".roadworthy.yaml": HEAD + "rules:\n  RW104: {severity: fatal}\n"}
    result = run_cli("check", cwd=make_repo(files).path)
    assert result.exit_code == 2
    assert [(f, n) for f, n, _ in problems(result)] == [(".roadworthy.yaml", 4)]


@pytest.mark.parametrize(
    ("link", "entry"),
    (
        pytest.param("roadworthy.yaml", None, id="the-policy-file"),
        pytest.param("org.yaml", "version: 1\nextends: [org.yaml]\n", id="an-extended-file"),
    ),
)
def test_policy_symlink_out_of_the_repository_is_never_read(
    make_repo, run_cli, tmp_path, link, entry
):
    # SPEC §10: symlinks never lead outside the repository; the outside file's keys must not
    # reach the output (CI logs) through "unknown key" messages.
    outside = tmp_path / "outside.yaml"
    outside.write_text("version: 1\nSECRET_TOKEN_abc123: hunter2\n")
    repo = make_repo({"m/model.onnx": W, **({"roadworthy.yaml": entry} if entry else {})})
    (repo.path / link).symlink_to(outside)
    repo.commit("policy is a link")
    result = run_cli("check", cwd=repo.path)
    assert result.exit_code == 2
    assert "SECRET_TOKEN" not in result.out + result.err
    assert "Traceback" not in result.err


def test_policy_option(make_repo, run_cli):
    files = {
        "ci/strict.yaml": HEAD + "rules:\n  RW104: {severity: fatal}\n",
        "roadworthy.yaml": HEAD,
    }
    repo = make_repo(files)
    result = run_cli("check", "--policy", "ci/strict.yaml", cwd=repo.path)
    assert result.exit_code == 2
    assert [(f, n) for f, n, _ in problems(result)] == [("ci/strict.yaml", 4)]


def test_policy_option_missing_file(make_repo, run_cli):
    result = run_cli("check", "--policy", "nope.yaml", cwd=make_repo({"a.txt": "x\n"}).path)
    assert result.exit_code == 2
    assert "nope.yaml" in result.err


@pytest.mark.parametrize(
    "policy",
    (
        pytest.param(HEAD, id="recommended"),
        pytest.param("version: 1\nextends: recommended\n", id="extends-as-a-string"),
        pytest.param("version: 1\n", id="nothing-extended"),
        pytest.param("", id="empty-file"),
        pytest.param(
            HEAD
            + "requires: '>=0.0'\n"
            + "fail_on: warning\n"
            + "risks: [low, medium, high, critical]\n"
            + "limits: {max_file_size: 1048576}\n"
            + "artifacts:\n  fairness_review: [FAIRNESS.md, docs/fairness.md]\n"
            + "components:\n"
            + "  markers: ['**/*.onnx', '**/MLmodel']\n"
            + "  exclude: ['tests/**']\n"
            + "  declare:\n"
            + "    - {name: credit, path: models/credit, risk: critical, stage: supervised,"
            + " owners: {accountable: '@dana', responsible: ['@acme/credit']}}\n"
            + "rules:\n"
            + "  RW104: {severity: warning}\n"
            + "  RW201:\n    options:\n      sections_for_risk:\n"
            + "        critical: [Human oversight]\n"
            + "  ACME201:\n"
            + "    name: missing-fairness-review\n"
            + "    check: file-exists\n"
            + "    options: {artifact: fairness_review}\n"
            + "    applies_to: {min_risk: high, min_stage: supervised}\n"
            + "    dimension: governance\n"
            + "waivers:\n"
            + "  - {id: credit-runbook, rules: [missing-runbook], component: credit,"
            + " owner: '@dana', reason: 'runbook moves to the SRE portal', expires: 2027-01-31}\n",
            id="everything",
        ),
    ),
)
def test_valid_policy(make_repo, run_cli, policy):
    result = validate(make_repo, run_cli, {"roadworthy.yaml": policy})
    assert result.exit_code == 0, result.err
    assert result.out.startswith("roadworthy.yaml: valid")


def test_validate_policy_missing_file(make_repo, run_cli):
    result = run_cli("validate-policy", "nope.yaml", cwd=make_repo({"a.txt": "x\n"}).path)
    assert result.exit_code == 2
    assert "nope.yaml" in result.err


@pytest.mark.parametrize(
    ("policy", "expected"),
    (
        pytest.param(
            HEAD + WAIVER.replace("[RW104]", "[RW104, RW999]") + WAIVER_TAIL,
            "waivers[0].rules[1]: unknown rule 'RW999'",
            id="unknown-rule",
        ),
        pytest.param(
            HEAD + WAIVER.replace("    component: churn\n", "") + WAIVER_TAIL,
            "waivers[0]: a waiver needs 'component' or 'paths' (what it excuses)",
            id="no-target",
        ),
        pytest.param(
            HEAD + WAIVER + WAIVER_TAIL.replace("2027-01-31", "2026-13-01"),
            "waivers[0].expires: '2026-13-01' is not a date",
            id="bad-date",
        ),
        pytest.param(
            HEAD + WAIVER + WAIVER_TAIL + WAIVER.replace("waivers:\n", "") + WAIVER_TAIL,
            "waivers[1].id: 'w1' is used by another waiver",
            id="duplicate-id",
        ),
    ),
)
def test_waiver_problems_name_the_waiver_and_key(make_repo, run_cli, policy, expected):
    assert single(make_repo, run_cli, policy)[2] == expected

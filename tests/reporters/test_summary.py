from __future__ import annotations

from collections.abc import Callable

import pytest
from testing.gitrepo import GitRepo

from roadworthy.findings import DIMENSIONS, DiscoveryInfo, Report, Severity
from roadworthy.reporters import summary as markdown
from roadworthy.reporters.links import Source

from .conftest import finding, report

COLUMNS = 3 + len(DIMENSIONS)


def _unescaped(line: str, wanted: str) -> int:
    """How often ``wanted`` occurs not escaped by a backslash (GitHub's table-cell rule)."""
    count = 0
    escaped = False
    for char in line:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == wanted:
            count += 1
    return count


def _assert_well_formed(text: str) -> None:
    """Every line is whole: a heading, a full table row, a list item, the verdict or the note."""
    assert text.endswith("\n")
    lines = text.split("\n")[:-1]
    in_table = folded = False
    for number, line in enumerate(lines):
        if line.startswith("|"):
            assert _unescaped(line, "|") == COLUMNS + 1, line
            assert line.endswith("|"), line
            in_table = True
            continue
        if in_table:
            assert line == "", f"a table must end with a blank line, not {line!r}"
            in_table = False
        if line.startswith(">"):
            assert lines[number - 1] == "" or lines[number - 1].startswith(">")
            continue
        if line.startswith("<details>"):
            assert not folded and line.endswith("</summary>") and lines[number + 1] == "", line
            folded = True
            continue
        if line == "</details>":
            assert folded and lines[number - 1] == "", "a fold must close after a blank line"
            folded = False
            continue
        assert (
            line == ""
            or line.startswith(
                ("#", "- ", "🔴 ", "🟡 ", "🟢 ", "⚪ ", "No model component found: ")
            )
            or line == "No components found."
        ), line
        if line.startswith("- "):
            assert _unescaped(line, "`") % 2 == 0, line
    assert not in_table or lines[-1].startswith("|")
    assert not folded, "a <details> left open"


def test_sample_repository(sample_repo: GitRepo, check: Callable[..., str]) -> None:
    text = check(sample_repo, "markdown")
    _assert_well_formed(text)
    lines = text.splitlines()
    assert lines[0] == "## roadworthy"
    assert lines[2] == "🔴 **Not ready**: 11 errors, 2 warnings in 3 components (1 waived)"
    assert (
        "| component | risk | stage | data | integration | governance | operations | organization |"
    ) in lines
    red, yellow, ok = "🔴 errors", "🟡 warnings", "🟢 ok"  # words as well as colour
    assert (
        f"| churn (models/churn) | limited | autonomous | {red} | {ok} | {red} | {red} | {red} |"
        in lines
    )
    assert (
        f"| fraud (models/fraud) | high | supervised | {ok} | {yellow} | {red} | {ok} | {ok} |"
        in lines
    )
    assert (
        f"| spaß ü (models/spaß ü) | limited | autonomous | {red} | {ok} | {red} | {red} | {red} |"
        in lines
    )
    assert f"| repository | – | – | {ok} | {ok} | {ok} | {ok} | {red} |" in lines
    headings = [line for line in lines if line.startswith("#### ")]
    assert headings == [
        "#### 🔴 churn (`models/churn`): 4 errors, 0 warnings",
        "#### 🔴 fraud (`models/fraud`): 1 error, 2 warnings",
        "#### 🔴 spaß ü (`models/spaß ü`): 5 errors, 0 warnings",
        "#### 🔴 repository: 1 error, 0 warnings",
    ]
    assert (
        "- 🟡 warning `models/fraud/RUNBOOK.md:4` **[RW206](https://roadworthy.dev/rules/RW206)**"
        " broken-link: link to 'dashboards/fraud.md' "
        "does not resolve — _fix:_ point the link at a tracked file, or add "
        "models/fraud/dashboards/fraud.md"
    ) in lines
    waived = lines[lines.index("### Waived") + 2 :]
    assert waived == [
        "- `models/churn/model.onnx:1` **[RW104](https://roadworthy.dev/rules/RW104)**"
        " missing-runbook: no RUNBOOK.md or "
        "docs/runbook.md in models/churn — waived by `churn-runbook`"
    ]


def test_errors_come_first_within_a_component(
    sample_repo: GitRepo, check: Callable[..., str]
) -> None:
    lines = check(sample_repo, "markdown").splitlines()
    start = next(n for n, line in enumerate(lines) if line.startswith("#### 🔴 fraud"))
    assert [item.split()[2] for item in lines[start + 2 : start + 5]] == [
        "error",
        "warning",
        "warning",
    ]


def test_same_repository_same_bytes(sample_repo: GitRepo, check: Callable[..., str]) -> None:
    assert check(sample_repo, "markdown") == check(sample_repo, "markdown")


def test_empty_report() -> None:
    text = markdown.render(report())
    _assert_well_formed(text)
    assert text == (
        "## roadworthy\n\n🟢 **Ready**: 0 errors, 0 warnings in 0 components\n\n"
        "No components found.\n"
    )


def test_a_check_that_found_no_model_is_not_ready() -> None:
    found = DiscoveryInfo("weights files", ("tests/m.onnx",), ("tests",))
    text = markdown.render(report()._replace(discovery=found))
    _assert_well_formed(text)
    assert text == (
        "## roadworthy\n\n⚪ **No models**: 0 errors, 0 warnings in 0 components\n\n"
        "No model component found: looked for weights files; 1 model-looking file skipped as "
        "excluded (tests/); `roadworthy check --show-excluded` lists it and how to include it.\n"
    )


def test_warnings_only_verdict() -> None:
    text = markdown.render(
        report(finding(severity=Severity.WARNING), components=(("fraud", "models/fraud"),))
    )
    assert "🟡 **Ready with warnings**: 0 errors, 1 warning in 1 component\n" in text


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        pytest.param("a | b", "a \\| b", id="pipe"),
        pytest.param("<script>x</script>", "\\<script\\>x\\</script\\>", id="html"),
        pytest.param("*not* _em_ [link](u)", "\\*not\\* \\_em\\_ \\[link\\](u)", id="markup"),
        pytest.param(
            "owner @acme/fraud and a@b.com", "owner `@acme/fraud` and a@b.com", id="mention"
        ),
        pytest.param("run `roadworthy init` now", "run `roadworthy init` now", id="code-kept"),
        pytest.param("odd ` tick", "odd \\` tick", id="lone-backtick"),
        pytest.param("line\nbreak\r\nhere", "line break here", id="newlines"),
        pytest.param("$x$ ~y~ &amp;", "\\$x\\$ \\~y\\~ \\&amp;", id="math-strike-entity"),
    ],
)
def test_finding_text_is_escaped(message: str, expected: str) -> None:
    text = markdown.render(
        report(finding(message, fix=None), components=(("fraud", "models/fraud"),))
    )
    _assert_well_formed(text)
    assert (
        f"**[RW103](https://roadworthy.dev/rules/RW103)** missing-rollback-plan: {expected}\n"
        in text
    )


def test_code_spans_hold_backticks() -> None:
    text = markdown.render(report(finding(path="we`ird/``x.md")))
    assert "- 🔴 error ```we`ird/``x.md:1``` **[RW103]" in text


def test_table_cells_escape_pipes_in_names() -> None:
    text = markdown.render(
        report(finding(component="a|b", path="m/a|b/x.onnx"), components=(("a|b", "m/a|b"),))
    )
    _assert_well_formed(text)
    assert "| a\\|b (m/a\\|b) |" in text


def test_long_messages_are_cut() -> None:
    text = markdown.render(report(finding("x" * 10_000, fix=None)))
    line = next(line for line in text.splitlines() if line.startswith("- "))
    assert len(line) < markdown.MAX_TEXT + 200
    assert line.endswith("…")


def _many(components: int, per_component: int, message_size: int = 120) -> Report:
    names = tuple((f"model-{i:04d}", f"models/m{i:04d}") for i in range(components))
    findings = [
        finding(
            f"finding {j} of {name}: " + "x" * message_size,
            path=f"{path}/MODEL_CARD.md",
            line=j + 1,
            code="RW206" if j % 3 else "RW103",
            name="broken-link" if j % 3 else "missing-rollback-plan",
            severity=Severity.WARNING if j % 3 else Severity.ERROR,
            component=name,
            waived_by="w1" if j == 7 else None,
        )
        for name, path in names
        for j in range(per_component)
    ]
    return report(*findings, components=names)


def test_comment_is_cut_before_githubs_limit_with_a_note() -> None:
    big = _many(components=300, per_component=10)
    text = markdown.render_comment(big)
    assert len(text) <= markdown.COMMENT_LIMIT
    assert len(text.encode("utf-8")) <= markdown.COMMENT_LIMIT
    _assert_well_formed(text)
    assert "> [!WARNING]\n> Truncated to fit GitHub's size limit: showing " in text
    assert "of 3000 findings" in text
    assert text.endswith("`roadworthy check --format json`, or the SARIF upload.\n")


def test_summary_is_cut_before_one_mebibyte() -> None:
    big = _many(components=500, per_component=20, message_size=200)
    assert len(markdown.render(big, limit=10**9).encode("utf-8")) > markdown.SUMMARY_LIMIT
    text = markdown.render(big)
    assert len(text.encode("utf-8")) <= markdown.SUMMARY_LIMIT
    _assert_well_formed(text)
    assert "Truncated" in text


def test_a_table_too_long_for_the_comment_is_cut_between_rows() -> None:
    text = markdown.render_comment(_many(components=3000, per_component=1))
    _assert_well_formed(text)
    assert "readiness rows" in text
    assert "### Findings" not in text


@pytest.mark.parametrize("limit", range(1200, 9000, 97))
def test_every_cut_is_well_formed(limit: int) -> None:
    text = markdown.render(_many(components=6, per_component=6), limit=limit)
    assert len(text.encode("utf-8")) <= limit
    _assert_well_formed(text)


def test_fits_without_a_note_when_small() -> None:
    text = markdown.render_comment(_many(components=3, per_component=3))
    assert "Truncated" not in text
    assert text.count("\n- ") == 9


def test_long_finding_lists_fold_per_component() -> None:
    text = markdown.render(_many(components=2, per_component=markdown.FOLD_AT + 1))
    _assert_well_formed(text)
    assert text.count("<details><summary>6 findings</summary>\n\n") == 2
    assert text.count("\n</details>\n") == 2
    short = markdown.render(_many(components=2, per_component=markdown.FOLD_AT))
    assert "<details>" not in short


def test_a_cut_inside_a_fold_closes_it() -> None:
    cuts = [
        markdown.render(_many(components=6, per_component=6), limit=limit)
        for limit in range(1200, 9000, 97)
    ]
    inside = [t for t in cuts if "Truncated" in t and t.count("<details>") > 0]
    assert inside  # the parametrized test above then checks each is closed
    for text in inside:
        assert text.count("<details>") == text.count("</details>")


SOURCE = Source("https://github.com", "acme-ml/credit-scoring", "a" * 40)


def test_files_link_to_the_checked_commit_and_rules_to_their_page() -> None:
    text = markdown.render(
        report(finding(path="models/spaß ü/x (1).md", line=7), components=(("fraud", "m"),)),
        source=SOURCE,
    )
    _assert_well_formed(text)
    blob = "https://github.com/acme-ml/credit-scoring/blob/" + "a" * 40
    assert (
        f"- 🔴 error [`models/spaß ü/x (1).md:7`]({blob}/models/spa%C3%9F%20%C3%BC/x%20%281%29.md#L7)"
        " **[RW103](https://roadworthy.dev/rules/RW103)** missing-rollback-plan:"
    ) in text


def test_a_rule_links_to_the_policys_help_url() -> None:
    text = markdown.render(report(finding(code="ACME201", name="missing-fairness-review")))
    assert "**[ACME201](https://wiki.example.com/fairness)** missing-fairness-review" in text
    custom = markdown.render(report(finding(code="ZZ1", name="other")))
    assert "**ZZ1** other" in custom  # no page, no link


@pytest.mark.parametrize(
    ("server", "repository", "commit"),
    [
        pytest.param(None, "acme/x", "b" * 40, id="default-server"),
        pytest.param("https://ghe.example.com/", "acme/x", "b" * 64, id="enterprise-sha256"),
    ],
)
def test_source_accepts_what_github_gives(server: str | None, repository: str, commit: str) -> None:
    assert Source.of(server, repository, commit) is not None


@pytest.mark.parametrize(
    ("server", "repository", "commit"),
    [
        pytest.param(None, None, "b" * 40, id="no-repository"),
        pytest.param(None, "acme/x", "HEAD", id="not-a-commit"),
        pytest.param(None, "acme/x)](javascript:", "b" * 40, id="markup-in-repository"),
        pytest.param("javascript:alert(1)", "acme/x", "b" * 40, id="not-https"),
    ],
)
def test_source_refuses_anything_else(
    server: str | None, repository: str | None, commit: str
) -> None:
    assert Source.of(server, repository, commit) is None

from __future__ import annotations

import random
import re
from collections.abc import Collection
from pathlib import Path

import pytest

from roadworthy.formats import codeowners_file
from roadworthy.formats.codeowners_file import CANDIDATE_PATHS, CodeOwners, Match, OwnerRule, parse

# --- helpers -----------------------------------------------------------------------------------


def owners(
    co: CodeOwners,
    path: str,
    *,
    is_dir: bool = False,
    ignore_catch_all: bool = False,
    ignore_patterns: Collection[str] = (),
) -> tuple[str, ...] | None:
    match = co.owners_of(
        path, is_dir=is_dir, ignore_catch_all=ignore_catch_all, ignore_patterns=ignore_patterns
    )
    return None if match is None else match.owners


def matches(pattern: str, path: str, *, is_dir: bool = False) -> bool:
    co = parse(f"{pattern} @owner")
    assert co.problems == (), co.problems
    return co.owners_of(path, is_dir=is_dir) is not None


# --- GitHub's documented examples ----------------------------------------------------------------

# The example file of GitHub's "About code owners" page, rule for rule (comments shortened).
GITHUB_EXAMPLE = """\
# Default owners for everything in the repo.
*       @global-owner1 @global-owner2

# The last matching pattern takes the most precedence.
*.js    @js-owner #This is an inline comment.

# E-mail addresses work too.
*.go docs@example.com

# Teams: @org/team-name.
*.txt @octo-org/octocats

/build/logs/ @doctocat

# docs/* matches docs/getting-started.md, not docs/build-app/troubleshooting.md
docs/*  docs@example.com

apps/ @octocat

/docs/ @doctocat

/scripts/ @doctocat @octocat

**/logs @octocat

/apps/ @octocat
/apps/github
"""

GLOBAL = ("@global-owner1", "@global-owner2")


@pytest.mark.parametrize(
    ("path", "expected", "line"),
    [
        pytest.param("README.md", GLOBAL, 2, id="star-owns-everything"),
        pytest.param("src/deep/index.js", ("@js-owner",), 5, id="star-js-any-depth"),
        pytest.param("cmd/main.go", ("docs@example.com",), 8, id="email-owner"),
        pytest.param("notes/todo.txt", ("@octo-org/octocats",), 11, id="team-owner"),
        pytest.param("src/build/logs/x.js", ("@octocat",), 24, id="later-logs-beats-js"),
        pytest.param("build/logs/deep/a.go", ("@octocat",), 24, id="logs-anywhere-is-last"),
        pytest.param("docs/getting-started.md", ("@doctocat",), 20, id="root-docs-after-docs-star"),
        pytest.param("lib/docs/getting-started.md", GLOBAL, 2, id="docs-star-is-anchored"),
        pytest.param("deeply/nested/apps/x.py", ("@octocat",), 18, id="apps-dir-any-depth"),
        pytest.param("scripts/release.sh", ("@doctocat", "@octocat"), 22, id="scripts-two-owners"),
        pytest.param("scripts/logs/run.log", ("@octocat",), 24, id="scripts-logs"),
        pytest.param("apps/web/index.html", ("@octocat",), 26, id="root-apps"),
        pytest.param("apps/github/action.yml", (), 27, id="apps-github-left-empty"),
        pytest.param("apps/github/x/y.py", (), 27, id="apps-github-owns-descendants"),
        pytest.param("apps/githubber/x.py", ("@octocat",), 26, id="literal-is-whole-segment"),
    ],
)
def test_github_documented_example(path: str, expected: tuple[str, ...], line: int) -> None:
    co = parse(GITHUB_EXAMPLE)
    assert co.problems == ()
    match = co.owners_of(path)
    assert match is not None
    assert (match.owners, match.rule.line) == (expected, line)


def test_github_documented_example_apps_github_own_owner() -> None:
    co = parse("/apps/ @octocat\n/apps/github @doctocat\n")
    assert owners(co, "apps/github/x.py") == ("@doctocat",)
    assert owners(co, "apps/other/x.py") == ("@octocat",)


@pytest.mark.parametrize(
    ("pattern", "path", "expected"),
    [
        # GitHub's documentation
        pytest.param("docs/*", "docs/getting-started.md", True, id="docs-star-direct-child"),
        pytest.param("docs/*", "docs/build-app/troubleshooting.md", False, id="docs-star-nested"),
        pytest.param("/build/logs/", "build/logs/a/b/c.log", True, id="dir-owns-subdirs"),
        pytest.param("/build/logs/", "src/build/logs/x", False, id="leading-slash-anchors"),
        pytest.param("/build/logs/", "build/logs", False, id="dir-pattern-not-a-file"),
        pytest.param("apps/", "a/b/apps/c/d.py", True, id="unanchored-dir-any-depth"),
        pytest.param("**/logs", "logs/x", True, id="double-star-zero-dirs"),
        pytest.param("**/logs", "deeply/nested/logs/x", True, id="double-star-nested"),
        pytest.param("/apps/github", "apps/github/x/y.py", True, id="literal-owns-descendants"),
        pytest.param("*.js", "a/b/c.js", True, id="basename-any-depth"),
        pytest.param("*.js", "a/b/c.jsx", False, id="basename-whole-name"),
        pytest.param("*", "a/b/c", True, id="star-everything"),
        # anchoring
        pytest.param("foo/bar", "x/foo/bar", False, id="middle-slash-anchors"),
        pytest.param("foo/bar", "foo/bar/baz", True, id="anchored-literal-descendants"),
        pytest.param("foo", "x/foo/y", True, id="unanchored-literal-any-depth"),
        pytest.param("foo", "x/foobar", False, id="unanchored-literal-whole-segment"),
        pytest.param("/Docs/", "docs/x.md", False, id="case-sensitive"),
        # wildcards
        pytest.param("/*", "README.md", True, id="root-star-root-file"),
        pytest.param("/*", "src/a.py", False, id="root-star-not-nested"),
        pytest.param("/foo/b*", "foo/bar", True, id="partial-wildcard-self"),
        pytest.param("/foo/b*", "foo/bar/baz.txt", False, id="partial-wildcard-not-nested"),
        pytest.param("/docs/*.md", "docs/sub/x.md", False, id="star-stays-in-segment"),
        pytest.param("f?o", "x/foo", True, id="question-one-char"),
        pytest.param("f?o", "f/o", False, id="question-not-slash"),
        pytest.param("f?o", "fooo", False, id="question-exactly-one"),
        pytest.param("*/", "a/b", True, id="any-dir-contents"),
        pytest.param("*/", "README", False, id="any-dir-not-root-file"),
        pytest.param("/f*/", "foo/bar/baz", True, id="wildcard-dir-descendants"),
        pytest.param("/foo/*/baz", "foo/bar/baz/qux", True, id="middle-star-literal-last"),
        pytest.param("/foo/*/baz", "foo/baz", False, id="middle-star-one-segment"),
        pytest.param("a*b*c", "x/aXbYc", True, id="stars-in-order"),
        pytest.param("a*b*c", "x/acb", False, id="stars-out-of-order"),
        pytest.param("*a*a*b", "aab", True, id="stars-minimal-pieces"),
        pytest.param("*a*a*b", "abab", True, id="stars-pieces-interleaved"),
        pytest.param("*a*a*b", "ab", False, id="stars-piece-missing"),
        # double star
        pytest.param("logs/**", "logs/a/b", True, id="trailing-double-star"),
        pytest.param("logs/**", "logs", False, id="trailing-double-star-not-self"),
        pytest.param("logs/**", "x/logs/a", False, id="trailing-double-star-anchored"),
        pytest.param("a/**/b", "a/b", True, id="middle-double-star-zero"),
        pytest.param("a/**/b", "a/x/y/b/c.txt", True, id="middle-double-star-many"),
        pytest.param("a/**/b", "x/a/b", False, id="middle-double-star-anchored"),
        pytest.param("**/*.py", "a/b/c.py", True, id="double-star-basename"),
        pytest.param("/a/**/*.md", "a/x/y/z.md", True, id="anchored-double-star-basename"),
        pytest.param("/a/**/*.md", "b/z.md", False, id="anchored-double-star-elsewhere"),
        pytest.param("**", "a/b", True, id="double-star-everything"),
        # escapes
        pytest.param("f\\*o", "foo", False, id="escaped-star-literal"),
        pytest.param("f\\*o", "f*o", True, id="escaped-star-matches-star"),
        pytest.param("f\\*o*", "f*oX", True, id="escaped-and-real-star"),
        pytest.param("f\\*o*", "fxoX", False, id="escaped-star-not-wildcard"),
        pytest.param("path\\ with\\ spaces/", "path with spaces/x", True, id="escaped-spaces"),
    ],
)
def test_pattern_semantics(pattern: str, path: str, expected: bool) -> None:
    assert matches(pattern, path) is expected


# --- precedence and empty owners ---------------------------------------------------------------


def test_last_match_wins() -> None:
    co = parse("* @a\n/ml/ @b\n/ml/x.py @c\n*.py @d\n")
    assert owners(co, "ml/x.py") == ("@d",)
    assert owners(co, "ml/y.txt") == ("@b",)
    assert owners(co, "README") == ("@a",)
    assert co.owners_of("ml/y.txt") == Match(
        ("@b",), OwnerRule("/ml/", ("@b",), 2, catch_all=False)
    )


def test_earlier_specific_rule_loses_to_later_general_rule() -> None:
    co = parse("/ml/fraud/ @fraud\n/ml/ @ml\n")
    assert owners(co, "ml/fraud/model.py") == ("@ml",)


def test_rule_without_owners_removes_owners() -> None:
    co = parse("* @a\n/vendor/\n")
    match = co.owners_of("vendor/lib/x.c")
    assert match is not None
    assert match.owners == ()
    assert match.rule.line == 2
    assert owners(co, "src/x.c") == ("@a",)


def test_no_rule_matches() -> None:
    co = parse("/ml/ @a\n")
    assert co.owners_of("src/x.py") is None
    assert co.owners_of("") is None
    assert parse("").owners_of("x") is None


# --- catch-alls and ignoring rules -------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "catch_all"),
    [
        pytest.param("*", True, id="star"),
        pytest.param("**", True, id="double-star"),
        pytest.param("/**", True, id="root-double-star"),
        pytest.param("**/*", True, id="double-star-star"),
        pytest.param("/**/*", True, id="root-double-star-star"),
        pytest.param("**/", True, id="double-star-slash"),
        pytest.param("**/**", True, id="double-star-twice"),
        pytest.param("/*", False, id="root-star-is-root-files-only"),
        pytest.param("*/", False, id="star-slash-not-root-files"),
        pytest.param("*/**", False, id="star-double-star-not-root-files"),
        pytest.param("*.py", False, id="extension"),
        pytest.param("/ml/", False, id="directory"),
        pytest.param("docs/*", False, id="docs-star"),
        pytest.param("/ml/**", False, id="dir-double-star"),
    ],
)
def test_catch_all_detection(pattern: str, catch_all: bool) -> None:
    (rule,) = parse(f"{pattern} @o").rules
    assert rule.catch_all is catch_all


def test_ignore_catch_all() -> None:
    co = parse("* @global\n*.py @py\n**/* @again\n")
    assert owners(co, "ml/x.txt") == ("@again",)
    assert owners(co, "ml/x.txt", ignore_catch_all=True) is None
    assert owners(co, "ml/x.py", ignore_catch_all=True) == ("@py",)
    assert owners(co, "ml/fraud", is_dir=True) == ("@again",)
    assert owners(co, "ml/fraud", is_dir=True, ignore_catch_all=True) is None


def test_ignore_patterns_exact_text() -> None:
    co = parse("* @a\n/ml/ @b\n/ml/fraud/ @c\n")
    assert owners(co, "ml/fraud/x", ignore_patterns={"/ml/fraud/"}) == ("@b",)
    assert owners(co, "ml/fraud/x", ignore_patterns={"ml/fraud/"}) == ("@c",)
    assert owners(co, "ml/fraud/x", ignore_patterns=["/ml/fraud/", "/ml/"]) == ("@a",)
    assert owners(co, "ml/fraud/x", ignore_patterns=("*", "/ml/fraud/", "/ml/")) is None


# --- directories -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "directory", "expected"),
    [
        pytest.param("/ml/fraud/", "ml/fraud/scorer", True, id="ancestor-dir"),
        pytest.param("/ml/fraud/scorer/", "ml/fraud/scorer", True, id="dir-itself"),
        pytest.param("/ml/fraud/scorer", "ml/fraud/scorer", True, id="literal-itself"),
        pytest.param("/ml/fraud", "ml/fraud/scorer", True, id="literal-ancestor"),
        pytest.param("scorer/", "ml/fraud/scorer", True, id="unanchored-dir"),
        pytest.param("**/scorer", "ml/fraud/scorer", True, id="double-star-literal"),
        pytest.param("/m*/", "ml/fraud", True, id="wildcard-dir"),
        pytest.param("/ml/**", "ml/fraud", True, id="trailing-double-star"),
        pytest.param("/ml/**/*", "ml/fraud", True, id="double-star-star"),
        pytest.param("*", "ml/fraud/scorer", True, id="star-catch-all"),
        pytest.param("**", "ml", True, id="double-star-catch-all"),
        pytest.param("*.onnx", "ml/model.onnx", False, id="file-only-pattern"),
        pytest.param("/ml/fraud/scorer/*", "ml/fraud/scorer", False, id="direct-children-only"),
        pytest.param("/ml/*", "ml/fraud", False, id="star-names-not-contents"),
        pytest.param("/*", "ml", False, id="root-star"),
        pytest.param("/ml/fraud/scorer/model.py", "ml/fraud/scorer", False, id="file-inside"),
        pytest.param("/ml/fraud/scorer/sub/", "ml/fraud/scorer", False, id="subdir-inside"),
        pytest.param("/ml/fraud/scorer2/", "ml/fraud/scorer", False, id="sibling"),
    ],
)
def test_is_dir(pattern: str, directory: str, expected: bool) -> None:
    assert matches(pattern, directory, is_dir=True) is expected


def test_is_dir_last_match_wins() -> None:
    co = parse("* @all\n/ml/ @ml\n*.py @py\n/ml/fraud/scorer/*.onnx @onnx\n")
    assert owners(co, "ml/fraud/scorer", is_dir=True) == ("@ml",)
    assert owners(co, "", is_dir=True) == ("@all",)


# --- syntax problems ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        pytest.param("!secret.txt @a", "negation with '!' is not supported", id="negation"),
        pytest.param("*.[ch] @a", "character ranges '[ ]' are not supported", id="range"),
        pytest.param("\\#file @a", "escaping a leading '#'", id="escaped-hash"),
        pytest.param("[Docs]", "'[Docs]' is a GitLab section header", id="gitlab-section"),
        pytest.param("^[Docs]", "'^[Docs]' is a GitLab section header", id="gitlab-optional"),
        pytest.param(
            "[Docs][2] @a", "'[Docs][2]' is a GitLab section header", id="gitlab-approvals"
        ),
        pytest.param("[Docs] @a @b", "GitLab syntax that GitHub", id="gitlab-section-owners"),
        pytest.param("/x/ someone", "invalid owner 'someone'", id="owner-without-at"),
        pytest.param("/x/ @a @@maintainer", "invalid owner '@@maintainer'", id="gitlab-role"),
        pytest.param("/x/ @a/b/c", "invalid owner '@a/b/c'", id="nested-group"),
        pytest.param("/x/ a@b", "invalid owner 'a@b'", id="bad-email"),
        pytest.param("@someone", "'@someone' looks like an owner", id="owner-as-pattern"),
        pytest.param("a//b @o", "empty path segment", id="empty-segment"),
        pytest.param("./docs/ @o", "'.' and '..' segments", id="dot-segment"),
        pytest.param("/ @o", "names no path", id="root-only"),
        pytest.param("docs\\", "dangling backslash", id="dangling-backslash"),
        pytest.param("/x/ @a\x07", "control character (U+0007)", id="control-char"),
        pytest.param("/x/ @a\udcff", "undecodable byte (U+DCFF)", id="undecodable"),
    ],
)
def test_syntax_problem(bad: str, message: str) -> None:
    text = f"# comment\n\n* @a\n{bad}\n/ok/ @b\n"
    co = parse(text)
    assert [p.line for p in co.problems] == [4]
    assert message in co.problems[0].message
    # The bad line is skipped; the rest of the file still counts.
    assert [(r.pattern, r.line) for r in co.rules] == [("*", 3), ("/ok/", 5)]


def test_problem_line_numbers_with_crlf_bom_and_many_problems() -> None:
    text = "\ufeff* @a\r\n!x @b\r\n\r\n# c\r\n[S]\r\n/y/ bad\r\n/z/ @c\r\n"
    co = parse(text)
    assert [p.line for p in co.problems] == [2, 5, 6]
    assert [(r.pattern, r.owners, r.line) for r in co.rules] == [
        ("*", ("@a",), 1),
        ("/z/", ("@c",), 7),
    ]


def test_tolerates_tabs_trailing_whitespace_and_inline_comments() -> None:
    co = parse("/ml/\t@a\t @b  \t\n  /src/ @c # @not-an-owner\n/x/ @d #trailing\n")
    assert co.problems == ()
    assert [(r.pattern, r.owners) for r in co.rules] == [
        ("/ml/", ("@a", "@b")),
        ("/src/", ("@c",)),
        ("/x/", ("@d",)),
    ]


def test_valid_owner_forms() -> None:
    co = parse("/x/ @user @Org-1/team_name.x first.last+tag@sub.example.com @emu_short\n")
    assert co.problems == ()
    assert co.rules[0].owners[-1] == "@emu_short"


def test_many_stars_do_not_backtrack_catastrophically() -> None:
    # A backtracking translation takes hours on the first lookup (the suite would hang);
    # the atomic one answers at once.
    co = parse("*a*a*a*a*a*a*a*a*a*a*b @x\n")
    assert co.owners_of("a" * 5000) is None
    assert co.owners_of("dir/" + "a" * 10 + "b") is not None
    assert co.owners_of("a" * 9 + "b") is None


def test_very_long_line() -> None:
    long_path = "/".join(["segment"] * 20_000)
    co = parse(f"/{long_path}/ @a\n" + "x" * 1_000_000 + " @b\n")
    assert co.problems == ()
    assert len(co.rules) == 2
    assert owners(co, f"{long_path}/f.py") == ("@a",)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("", id="empty"),
        pytest.param("\ufeff", id="bom-only"),
        pytest.param("\\", id="backslash"),
        pytest.param("[", id="open-bracket"),
        pytest.param("^[", id="caret-bracket"),
        pytest.param("!", id="bang"),
        pytest.param("/", id="slash"),
        pytest.param("\x00\x00", id="nul"),
        pytest.param("\r\r\n\n\r", id="line-breaks"),
        pytest.param("* @a \\", id="trailing-backslash-owner"),
        pytest.param("**\\/** @a", id="escaped-slash"),
    ],
)
def test_never_raises_on_odd_input(text: str) -> None:
    co = parse(text)
    co.owners_of("a/b.py")
    co.owners_of("a", is_dir=True)


def test_never_raises_fuzz() -> None:
    rng = random.Random(20240611)
    alphabet = "ab/*?!#[]^@\\ \t\r\n.\x00\ufeff\udcff\u00e9-_"
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        co = parse(text)
        assert all(p.line >= 1 for p in co.problems)
        co.owners_of("a/b", is_dir=rng.random() < 0.5, ignore_catch_all=True)


# --- locations and loading ---------------------------------------------------------------------


def test_candidate_paths_order() -> None:
    assert CANDIDATE_PATHS == (".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS")


def _codeowners(root: Path) -> CodeOwners | None:
    from roadworthy.artifacts import ArtifactReader
    from roadworthy.workspace.worktree import WorkTree

    return ArtifactReader(WorkTree(root, is_git=False)).codeowners()


def test_the_first_candidate_github_reads_wins(tmp_path: Path) -> None:
    assert _codeowners(tmp_path) is None
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "CODEOWNERS").write_text("* @docs\n")
    (tmp_path / "CODEOWNERS").write_text("* @root\n/x/ @\n")
    co = _codeowners(tmp_path)
    assert co is not None
    assert co.path == "CODEOWNERS"
    assert [p.line for p in co.problems] == [2]
    (tmp_path / ".github").mkdir()
    (tmp_path / ".github" / "CODEOWNERS").write_text("* @github\n")
    co = _codeowners(tmp_path)
    assert co is not None
    assert (co.path, owners(co, "x")) == (".github/CODEOWNERS", ("@github",))


def test_an_undecodable_codeowners_is_an_unreadable_artifact(tmp_path: Path) -> None:
    from roadworthy.artifacts import ArtifactReader
    from roadworthy.workspace.worktree import WorkTree

    (tmp_path / "CODEOWNERS").write_bytes(b"* @root\n/x/ @\xff\n")
    reader = ArtifactReader(WorkTree(tmp_path, is_git=False))
    assert reader.codeowners() is None
    assert list(reader.errors) == ["CODEOWNERS"]  # reported once, as RW001


# --- the shared corpus of real files -----------------------------------------------------------


def corpus_file(corpus: Path, name: str) -> CodeOwners:
    return parse((corpus / "codeowners" / name).read_text(encoding="utf-8"), name)


def test_corpus_every_file_parses(corpus: Path) -> None:
    files = sorted((corpus / "codeowners").iterdir())
    assert len(files) >= 10
    for file in files:
        co = parse(file.read_bytes().decode("utf-8", errors="surrogateescape"), file.name)
        for rule in co.rules:
            co.owners_of(rule.pattern.strip("/*") or "x")
            co.owners_of(rule.pattern.strip("/*") or "x", is_dir=True)


def test_corpus_airflow(corpus: Path) -> None:
    co = corpus_file(corpus, "apache-airflow__.github__CODEOWNERS")
    assert co.problems == ()
    assert len(co.rules) == 80
    assert not any(r.catch_all for r in co.rules)
    models = "airflow-core/src/airflow/models"
    assert owners(co, f"{models}/baseoperator.py") == ("@uranusjr",)
    assert owners(co, f"{models}/dag.py") == ("@XD-DENG", "@ashb")
    # The inline comment naming more people is not part of the owners.
    locale = "airflow-core/src/airflow/ui/public/i18n/locales/de/dag.json"
    assert owners(co, locale) == ("@jscheffl",)
    assert owners(co, "docs/conf.py") == ("@potiuk",)
    assert co.owners_of("docs/sub/conf.py") is None
    # Line 78 (/providers/cncf/kubernetes) overrides line 11 (/providers/cncf/kubernetes/).
    match = co.owners_of("providers/cncf/kubernetes", is_dir=True)
    assert match is not None
    assert (match.rule.line, match.owners) == (78, ("@jedcunningham", "@hussein-awala"))
    s3 = "providers/amazon/src/airflow/providers/amazon/fs/s3.py"
    assert owners(co, s3) == ("@bolkedebruin",)
    assert owners(co, "x/Dockerfile.ci") == ("@potiuk", "@ashb", "@gopidesupavan")


def test_corpus_mlflow_owner_lines_without_pattern(corpus: Path) -> None:
    co = corpus_file(corpus, "mlflow__7d336b7__.github__CODEOWNERS")
    assert co.rules == ()
    assert [p.line for p in co.problems] == [1, 2]
    assert all("looks like an owner" in p.message for p in co.problems)


def test_corpus_gitlab_sections(corpus: Path) -> None:
    co = corpus_file(corpus, "ARM-software-SCP-firmware__.gitlab__CODEOWNERS")
    assert [(p.line, "GitLab section header" in p.message) for p in co.problems] == [
        (11, True),
        (19, True),
    ]
    assert len(co.rules) == 9
    assert owners(co, "product/rcar/src/x.c") == ("nroyer@baylibre.com",)
    # Without GitLab's section defaults, /.github/ has no owners at all on GitHub.
    match = co.owners_of(".github/workflows/ci.yml")
    assert match is not None
    assert (match.rule.line, match.owners) == (12, ())


def test_corpus_other_gitlab_files(corpus: Path) -> None:
    smtk = corpus_file(corpus, "Kitware-SMTK__.gitlab__CODEOWNERS")
    assert (len(smtk.rules), smtk.problems) == (25, ())
    vtk = ("david.thompson@kitware.com", "tj.corona@kitware.com")
    assert owners(smtk, "smtk/extension/vtk/source/x.cxx") == vtk
    opae = corpus_file(corpus, "OFS-opae-sdk__.gitlab__CODEOWNERS")
    assert owners(opae, ".gitlab/CODEOWNERS") == ("@nkorde", "@rrojo")


def test_corpus_scorecard_catch_all(corpus: Path) -> None:
    co = corpus_file(corpus, "ossf-scorecard__.github__CODEOWNERS")
    assert [(r.line, r.pattern) for r in co.rules if r.catch_all] == [(7, "*")]
    assert owners(co, "cmd/root.go") == ("@ossf/scorecard-maintainers",)
    assert owners(co, "cmd/root.go", ignore_catch_all=True) is None
    assert owners(co, "docs/checks/x.yml") == ("@ossf/scorecard-doc-maintainers",)
    azure = "clients/azuredevopsrepo"
    assert owners(co, azure, is_dir=True) == ("@ossf/scorecard-azure-maintainers",)


def test_corpus_schemastore_direct_children(corpus: Path) -> None:
    co = corpus_file(corpus, "schemastore__.github__CODEOWNERS")
    assert (len(co.rules), co.problems) == (64, ())
    assert owners(co, "src/test/ctfd/x.json") == ("@pandatix", "@NicoFgrx")
    # src/test/ctfd/* owns direct children only: a nested file falls back to "*".
    assert owners(co, "src/test/ctfd/sub/x.json") == ("@madskristensen", "@hyperupcall")
    assert owners(co, "src/schemas/json/ansible-lint.json") == ("@ssbarnea", "@webknjaz")


def test_corpus_kubernetes_owners_files_are_not_codeowners(corpus: Path) -> None:
    co = corpus_file(corpus, "openshift-runbooks__OWNERS")
    assert [p.line for p in co.problems] == [2, 3, 6, 7, 8, 11, 12]
    assert all("invalid owner" in p.message for p in co.problems)


# --- differential test: indexed lookups equal trying every rule --------------------------------

COMMON_NAMES = ["ml", "fraud", "scorer", "models", "data", "src", "api", "docs", "logs", "tests"]
NAMES = COMMON_NAMES + [f"n{i}" for i in range(300)]
EXTENSIONS = [".py", ".md", ".onnx", ".tar.gz", *(f".x{i}" for i in range(100))]
PROBE = "\x01\x02\x03"  # a name no generated pattern spells out: only wildcards match it


def _name(rng: random.Random) -> str:
    return rng.choice(COMMON_NAMES if rng.random() < 0.05 else NAMES)


def _ext(rng: random.Random) -> str:
    return rng.choice(EXTENSIONS[:4] if rng.random() < 0.2 else EXTENSIONS)


def _dirs(rng: random.Random, low: int, high: int) -> str:
    return "/".join(_name(rng) for _ in range(rng.randint(low, high)))


def _wild(rng: random.Random) -> str:
    name = _name(rng)
    return rng.choice(
        [
            f"{name}*",
            f"*{name}",
            f"?{name[1:]}",
            f"{name[:2]}*{name[2:]}",
            f"*{name[:1]}*?{name[2:]}",
        ]
    )


def _generated_pattern(rng: random.Random) -> str:
    kind = rng.randrange(16)
    ext = _ext(rng)
    return [
        lambda: f"/{_dirs(rng, 1, 4)}/",
        lambda: f"/{_dirs(rng, 1, 4)}",
        lambda: f"{_dirs(rng, 2, 3)}/",
        lambda: f"{_name(rng)}/",
        lambda: _name(rng),
        lambda: f"*{ext}",
        lambda: _wild(rng),
        lambda: f"/{_dirs(rng, 1, 2)}/{_wild(rng)}/{_name(rng)}",
        lambda: f"/{_dirs(rng, 1, 3)}/*",
        lambda: f"/{_dirs(rng, 1, 2)}/*{ext}",
        lambda: f"**/{_name(rng)}",
        lambda: f"{_dirs(rng, 1, 2)}/**/{_name(rng)}",
        lambda: f"/{_dirs(rng, 1, 2)}/**",
        lambda: f"**/*{ext}",
        lambda: f"/{_wild(rng)}/{_name(rng)}/",
        lambda: f"/{_dirs(rng, 1, 2)}/**/*{ext}",
    ][kind]()


def _generated_file(rng: random.Random, count: int) -> str:
    lines = ["* @everyone", "# generated", ""]
    owner_pool = ["@a", "@b", "@org/team", "x@example.com"]
    for _ in range(count):
        owners_ = rng.sample(owner_pool, rng.randrange(3))
        lines.append(" ".join([_generated_pattern(rng), *owners_]))
    lines.insert(len(lines) // 2, "**/* @middle")
    lines.insert(len(lines) * 3 // 4, "/** @three-quarters")
    return "\n".join(lines) + "\n"


def _generated_paths(rng: random.Random, count: int) -> list[str]:
    paths = []
    for _ in range(count):
        stem = _name(rng) + (_ext(rng) if rng.random() < 0.8 else "")
        paths.append("/".join(filter(None, [_dirs(rng, 0, 5), stem])))
    return paths


def _naive_segment(segment: str) -> str:
    return "".join("[^/]*" if c == "*" else "[^/]" if c == "?" else re.escape(c) for c in segment)


def _naive_file_regex(pattern: str) -> re.Pattern[str]:
    """A gitignore-style translation written independently of the module, per its docstring."""
    dir_only = pattern.endswith("/")
    body = pattern.strip("/")
    segments = body.split("/")
    anchored = pattern.startswith("/") or "/" in body
    regex = "" if anchored else "(?:.+/)?"
    for i, segment in enumerate(segments):
        last = i == len(segments) - 1
        if segment == "**":
            regex += ".+" if last else "(?:.+/)?"
        else:
            regex += _naive_segment(segment) + ("" if last else "/")
    if dir_only:
        regex += "/.+"
    elif segments[-1] != "**" and not any(c in segments[-1] for c in "*?"):
        regex += "(?:/.+)?"
    return re.compile(regex, re.DOTALL)


class Naive:
    """Try every rule, last match wins; a directory is owned when every file in it would be."""

    def __init__(self, co: CodeOwners) -> None:
        self.rules = co.rules
        self.regexes = [_naive_file_regex(r.pattern) for r in co.rules]

    def file_match(self, i: int, path: str) -> bool:
        return self.regexes[i].fullmatch(path) is not None

    def dir_match(self, i: int, path: str) -> bool:
        inside = f"{path}/{PROBE}" if path else PROBE
        return self.file_match(i, inside) and self.file_match(i, f"{inside}/{PROBE}")

    def catch_all(self, i: int) -> bool:
        return self.dir_match(i, "")

    def owners_of(self, path: str, is_dir: bool, ignore: frozenset[str]) -> OwnerRule | None:
        for i in reversed(range(len(self.rules))):
            if self.rules[i].pattern in ignore:
                continue
            if (self.dir_match if is_dir else self.file_match)(i, path):
                return self.rules[i]
        return None


def test_index_equals_naive_last_match_on_large_generated_file() -> None:
    rng = random.Random(1234)
    co = parse(_generated_file(rng, 2000))
    assert co.problems == ()
    assert len(co.rules) == 2003
    naive = Naive(co)
    assert [r.catch_all for r in co.rules] == [naive.catch_all(i) for i in range(len(co.rules))]
    catch_alls = frozenset(r.pattern for r in co.rules if r.catch_all)

    files = _generated_paths(rng, 3000)
    dirs = sorted({f.rsplit("/", 1)[0] for f in files if "/" in f})[:800]
    ignored = frozenset(rng.sample(sorted({r.pattern for r in co.rules}), 200))
    outcomes = set()
    for path, is_dir in [(f, False) for f in files] + [(d, True) for d in dirs]:
        got = co.owners_of(path, is_dir=is_dir)
        expected = naive.owners_of(path, is_dir, frozenset())
        assert (got.rule if got else None) == expected, (path, is_dir)
        outcomes.add(None if expected is None else expected.catch_all)
        got = co.owners_of(path, is_dir=is_dir, ignore_catch_all=True, ignore_patterns=ignored)
        expected = naive.owners_of(path, is_dir, ignored | catch_alls)
        assert (got.rule if got else None) == expected, (path, is_dir, "ignoring")
        outcomes.add(None if expected is None else expected.catch_all)
    # The generated data exercises specific matches, catch-alls and no match at all.
    assert outcomes == {None, True, False}


# --- the fast paths agree with the general ones ---------------------------------------------------


def test_the_plain_pattern_shortcut_agrees_with_the_general_shape() -> None:
    rng = random.Random(99)
    pieces = ["a", "b.c", "", ".", "..", "name", "é", "x y"]
    patterns = ["/", "//", "a", "/a", "a/", "/a/", "a/b", "./a", "a/..", "a//b", "/a/./b/"]
    for _ in range(3000):
        body = "/".join(rng.choice(pieces) for _ in range(rng.randint(1, 4)))
        patterns.append(rng.choice(["", "/"]) + body + rng.choice(["", "/"]))
    for pattern in patterns:
        assert codeowners_file._plain_shape(pattern) == codeowners_file._general_shape(pattern)


def test_a_clean_text_skips_the_per_line_search_with_the_same_result() -> None:
    rng = random.Random(5)
    text = _generated_file(rng, 500) + "a\\ b/ @x\n!no @a\n[Sec] @a\n/x/ bad\n"
    lines = codeowners_file._lines(text)
    assert [codeowners_file._parse_line(line, True) for line in lines] == [
        codeowners_file._parse_line(line, False) for line in lines
    ]
    # A control character in a comment is no problem; in a rule it is, however clean the rest.
    assert parse("# bell \x07\n/a/ @x\n").problems == ()
    assert [p.line for p in parse("/a/ @x\n/b\x07/ @y\n").problems] == [2]

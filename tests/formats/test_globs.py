"""globs: the one glob dialect of policy files (git's ``:(glob)`` rules)."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
import yaml

from roadworthy.formats.globs import GlobSet, match, matcher, normalize
from roadworthy.workspace import git


@pytest.mark.parametrize(
    ("pattern", "path", "expected"),
    (
        pytest.param("*.onnx", "model.onnx", True, id="star"),
        pytest.param("*.onnx", "m/model.onnx", False, id="star-stays-at-the-root"),
        pytest.param("m/*.onnx", "m/a/model.onnx", False, id="star-one-segment"),
        pytest.param("**/*.onnx", "model.onnx", True, id="double-star-zero-folders"),
        pytest.param("**/*.onnx", "a/b/c/model.onnx", True, id="double-star-many-folders"),
        pytest.param("a/**/b", "a/b", True, id="middle-double-star-zero"),
        pytest.param("a/**/b", "a/x/y/b", True, id="middle-double-star-many"),
        pytest.param("a/**/b", "ab/b", False, id="middle-double-star-segment"),
        pytest.param("tests/**", "tests/a/b.py", True, id="trailing-double-star"),
        pytest.param("tests/**", "tests", False, id="trailing-double-star-not-the-folder"),
        pytest.param("tests/**", "testsuite/a.py", False, id="trailing-double-star-prefix"),
        pytest.param("**", "anything/at/all", True, id="double-star-alone"),
        pytest.param("a**b", "axxb", True, id="double-star-inside-a-segment-is-a-star"),
        pytest.param("a**b", "a/b", False, id="double-star-inside-a-segment-no-slash"),
        pytest.param("model.?nnx", "model.onnx", True, id="question-mark"),
        pytest.param("a?b", "a/b", False, id="question-mark-not-a-slash"),
        pytest.param("model.[ot]nnx", "model.onnx", True, id="class"),
        pytest.param("model.[!o]nnx", "model.onnx", False, id="negated-class"),
        pytest.param("model.[^o]nnx", "model.tnnx", True, id="caret-class"),
        pytest.param("a[/]b", "a/b", False, id="class-never-matches-slash"),
        pytest.param("a[!x]b", "a/b", False, id="negated-class-never-matches-slash"),
        pytest.param("a[b", "a[b", True, id="unclosed-bracket-is-literal"),
        pytest.param("v1.0+cpu (final).pt", "v1.0+cpu (final).pt", True, id="regex-chars"),
        pytest.param("v1.0.pt", "v1x0.pt", False, id="dot-is-literal"),
        pytest.param("./models/*.pt", "models/a.pt", True, id="dot-slash"),
        pytest.param("/models/*.pt", "models/a.pt", True, id="leading-slash"),
        pytest.param("MLmodel", "MLmodel", True, id="literal"),
        pytest.param("MLmodel", "mlmodel", False, id="case-sensitive"),
        pytest.param("**/MLmodel", "x/MLmodel.bak", False, id="full-match"),
        pytest.param("**/kündigung/*.pt", "m/kündigung/a.pt", True, id="unicode"),
    ),
)
def test_match(pattern, path, expected):
    assert match(pattern, path) is expected
    assert GlobSet([pattern]).match(path) is expected


def test_normalize():
    assert normalize("./././a/b") == "a/b"
    assert normalize("//a") == "a"
    assert normalize("a/./b") == "a/./b"


def test_globset():
    globs = GlobSet(["**/*.onnx", "**/MLmodel"])
    assert globs
    assert globs.match("a/MLmodel")
    assert globs.match("b/c.onnx")
    assert not globs.match("b/c.pt")
    assert not GlobSet([])
    assert not GlobSet([]).match("anything")


@pytest.mark.parametrize(
    ("patterns", "folder", "expected"),
    (
        pytest.param(["tests/**"], "tests", True, id="folder-of-double-star"),
        pytest.param(["tests/**"], "tests/unit", True, id="inside"),
        pytest.param(["tests"], "tests", True, id="folder-itself"),
        pytest.param(["tests/*"], "tests/unit", True, id="star-child"),
        pytest.param(["tests/**"], "test", False, id="other"),
        pytest.param(["models/*"], "models", True, id="star-names-what-is-inside"),
        pytest.param(["**"], "", True, id="root-under-everything"),
        pytest.param(["models/**"], "", False, id="root-not-under-a-folder"),
    ),
)
def test_match_dir(patterns, folder, expected):
    assert GlobSet(patterns).match_dir(folder) is expected


@pytest.mark.parametrize(
    "pattern",
    (
        pytest.param("**/[[]draft]*.onnx", id="bracket-in-class"),
        pytest.param("**/[a&&b]*.onnx", id="double-ampersand-in-class"),
        pytest.param("**/[a||b]*.onnx", id="double-bar-in-class"),
    ),
)
def test_character_classes_compile_without_warnings(pattern):
    # A user's glob must not make Python print "FutureWarning: Possible nested set" (or fail
    # outright under -W error): the class body should be escaped for `re`.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        GlobSet([pattern]).match("a/x.onnx")


PATHS = [
    "model.onnx",
    "a/model.onnx",
    "a/b/c/weights.safetensors",
    "a/MLmodel",
    "a/MLmodel.bak",
    "tests/fixtures/model.pt",
    "tests.py",
    "x/model.yaml",
    "docs/v1.0 (final).pt",
    "kündigung/model.pkl",
    "sp ace/model.h5",
    "q/a?b.gguf",
    "r/[x].keras",
]
PATTERNS = [
    "**/*.onnx",
    "*.onnx",
    "**/MLmodel",
    "tests/**",
    "a/**/*.safetensors",
    "**/model.yaml",
    "docs/*.pt",
    "**/*.pkl",
    "sp ace/*",
    "q/a?b.gguf",
    "r/?x?.keras",
    "**/model.[ot][np]*",
]


@pytest.mark.parametrize("pattern", PATTERNS)
def test_pathspecs_never_drop_a_match(make_repo, pattern):
    # git prefilters with pathspecs() and Python decides: git must list every path that the
    # pattern matches (a superset is fine).
    repo = make_repo(dict.fromkeys(PATHS, "x\n"), name="globs")
    globs = GlobSet([pattern])
    listed = set(git.ls_files(repo.path, globs.pathspecs()))
    wanted = {p for p in PATHS if globs.match(p)}
    assert wanted <= listed


def test_the_fast_matcher_matches_what_the_expression_matches():
    # Listings match by file names and suffixes where they can (`fast_matcher`): it must say
    # what `match` says, for the default markers and for patterns it cannot take by name.
    from roadworthy.policy.model import DEFAULT_MARKERS

    paths = [
        *PATHS,
        ".onnx",
        "a/.onnx",
        "a.onnx/b",
        "a/b.ONNX",
        "a/x.onnx.bak",
        "a/MLmodel/b",
        "a/xMLmodel",
        "pytorch_model.bin",
        "a/b/pytorch_model.bin",
        "a/dvc.yaml",
        "a/b.dvc",
        "a/saved_model.pb",
        "./a/model.pt",
        "",
    ]
    paths += [
        "w/x.ckpt.data-00001",
        "w/variables/variables.index",
        "w/variablesXvariables.index",
        "w/m.mlpackage/Data/weights.bin",
        "w/m.mlpackage",
        "w/model.safetensors.index.json",
    ]
    # The recommended policy's material patterns (the weights): `globs.matcher`'s are tried on
    # every file of every changed component.
    recommended = Path(__file__).parents[2] / "policies" / "recommended.yaml"
    material = yaml.safe_load(recommended.read_text())["change_control"]["material"]
    weights = next(m["paths"] for m in material if m["name"] == "weights")
    for patterns in (
        [*DEFAULT_MARKERS],
        PATTERNS,
        ["/**/*.pt", "./**/MLmodel", "**/*"],
        weights,
    ):
        globs = GlobSet(patterns)
        expected = [p for p in paths if globs.match(p)]
        assert [p for p in paths if globs.fast_matcher()(p)] == expected, patterns
        assert [p for p in paths if matcher(tuple(patterns))(p)] == expected, patterns
    assert len([p for p in paths if matcher(tuple(weights))(p)]) >= 8  # (it matches weights)


# -- hostile patterns: linear matching, clear errors ---------------------------------------------


def test_a_pattern_with_several_folder_stars_walks_segments_and_agrees_with_the_expression():
    import itertools
    import random
    import re as regex

    from roadworthy.formats.globs import _SegmentWalk, translate

    rng = random.Random(7)
    pieces = ["a", "b", "*", "?", "a*", "*b", "[ab]", "**"]
    paths = [
        "/".join(p)
        for n in range(1, 5)
        for p in itertools.product(["a", "b", "ab", "ba"], repeat=n)
    ]
    paths += [p + "/" for p in paths[:40]] + [""]
    for _ in range(300):
        pattern = "/".join(rng.choice(pieces) for _ in range(rng.randint(1, 5)))
        reference = regex.compile(translate(pattern))  # fine on paths this short
        walk = _SegmentWalk(pattern)
        for path in paths:
            assert walk.match(path) == (reference.fullmatch(path) is not None), (pattern, path)


def test_repeated_folder_stars_against_a_deep_path_do_not_backtrack():
    from roadworthy.formats.globs import _SegmentWalk

    pattern = "**/" * 12 + "x"
    deep = "/".join(["a"] * 20)
    walk = _SegmentWalk(pattern)
    # Structural bound, not a timing: the walk holds at most one state per pattern segment.
    assert len(walk.parts) <= 2  # the twelve `**/` collapsed into one
    assert GlobSet([pattern, "**/a/**/a/**/a/**/x"]).match(deep + "/y") is False
    assert GlobSet([pattern]).match(deep + "/x") is True


@pytest.mark.parametrize("pattern", ["[z-a]", "models/[9-0]*.onnx", "**/[b-a]/**/x"])
def test_a_reversed_range_is_a_problem_not_a_crash(pattern):
    from roadworthy.formats.globs import problem

    message = problem(pattern)
    assert message is not None and "bad character range" in message


@pytest.mark.parametrize("pattern", ["**/*.onnx", "models/[a-z]*/model.pt", "[!x]", "a/**"])
def test_valid_patterns_have_no_problem(pattern):
    from roadworthy.formats.globs import problem

    assert problem(pattern) is None

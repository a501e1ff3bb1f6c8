"""A trailing ``/**`` in the glob dialect became ``.*``, which does not match a newline, while
``*``, ``?`` and ``**/`` all match one (git allows any byte but NUL and ``/`` in a name). The
recommended policy's material pattern ``**/*.mlpackage/**`` therefore did not match a file of a
Core ML package whose path holds a newline: new weights there passed as a non-material change
(0 findings, exit 0), where the same edit to a plainly named file is RW401."""

from __future__ import annotations

from roadworthy.formats.globs import GlobSet, match
from tests.change.conftest import MALLORY, base_files, codes

PACKAGE = "models/credit/m.mlpackage"
WEIGHTS = f"{PACKAGE}/Data/com.apple.CoreML/weights/weight\n"


def test_new_weights_under_a_newline_name_are_material(make_repo, judge):
    repo = make_repo(base_files() | {f"{PACKAGE}/Manifest.json": "{}\n", WEIGHTS: b"w1\n"})
    repo.git("branch", "base")
    repo.write({WEIGHTS: b"w2, unapproved\n"})
    repo.commit("retrain", author=MALLORY)
    code, found = judge(repo, "--diff", "base")
    assert code == 1
    assert "RW401" in codes(found)


def test_a_trailing_double_star_matches_any_name():
    path = "models/x.mlpackage/a/b/c\nd"
    for pattern in ("models/**", "**/*.mlpackage/**", "**/a/**/c*", "models/**/b/**"):
        assert match(pattern, path), pattern
        assert GlobSet([pattern]).match_dir(path), pattern

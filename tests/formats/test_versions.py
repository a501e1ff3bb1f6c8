"""versions: semver precedence when both sides are semver, else PEP 440; packaging is imported
only for a version that is not semver."""

from __future__ import annotations

import subprocess
import sys

import pytest

from roadworthy.formats.versions import parse


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("1.0.0", "1.0.1", -1),
        ("2.0.0", "1.9.9", 1),
        ("1.0.0-rc.1", "1.0.0", -1),  # a release ranks above its pre-releases
        ("1.0.0-alpha", "1.0.0-1", 1),  # alphanumeric identifiers above numeric ones
        ("v1.2.3", "1.2.3", 0),
        ("1.0", "1.0.0", 0),  # PEP 440: trailing zeros do not count
        ("1.0.post1", "1.0", 1),
        ("2", "10", -1),
        (3, "3.0.0", 0),
        ("1.0.0+build.5", "1.0.0", 0),  # semver: build metadata has no precedence
    ],
)
def test_versions_compare(a, b, expected) -> None:
    left, right = parse(a), parse(b)
    assert left is not None and right is not None
    assert left.compare(right) == expected
    assert right.compare(left) == -expected


@pytest.mark.parametrize("value", ["not a version", "", "1..2", True, 1.5, None, ["1"]])
def test_what_is_no_version(value) -> None:
    assert parse(value) is None


def test_majors() -> None:
    assert [parse(v).major for v in ("3.1.4", "v2.0.0-rc.1", "7.1", "2!5.0")] == [3, 2, 7, 5]


def test_a_semver_version_is_read_without_packaging() -> None:
    script = (
        "import sys\nfrom roadworthy.formats.versions import parse\n"
        "a, b = parse('1.2.3'), parse('1.10.0-rc.1')\n"
        "print(a.compare(b), 'packaging' in sys.modules)\n"
        "parse('1.0.post1')\nprint('packaging' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["-1", "False", "True"]

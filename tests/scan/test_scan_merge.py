"""--shard K/N takes a stable share of the targets; merged shards equal one full scan."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from roadworthy.scan.output import FILES
from roadworthy.scan.targets import Shard, parse_shard, select

from .conftest import Org, read_report


def scan(run_cli, org: Org, out: str, *extra: str) -> int:
    targets = ["clean", "findings", "broken", "plain", "missing", org.url("clean")]
    cache = str(org.root.parent / "cache")
    return run_cli("scan", *targets, "--cache", cache, "-o", out, "-q", *extra, cwd=org.root)


def test_two_shards_merged_equal_one_full_scan(org: Org, run_cli) -> None:
    scan(run_cli, org, "full")
    scan(run_cli, org, "s1", "--shard", "1/2")
    scan(run_cli, org, "s2", "--shard", "2/2")
    one, two = read_report(org.root / "s1"), read_report(org.root / "s2")
    assert (one["shard"], two["shard"]) == ("1/2", "2/2")
    assert one["repositories"] and two["repositories"]  # both shards hold something
    result = run_cli("merge", "s2/scan.json", "s1/scan.json", "-o", "merged", cwd=org.root)
    assert result.exit_code == 1  # as the full scan: findings and errors
    for name in FILES:
        assert (org.root / "merged" / name).read_bytes() == (org.root / "full" / name).read_bytes()


def test_shards_partition_the_targets() -> None:
    targets = [f"https://git.example.com/acme/repo-{i}.git" for i in range(200)]
    shares = [select(targets, Shard(k, 3)) for k in (1, 2, 3)]
    assert sorted(t for share in shares for t in share) == sorted(targets)
    assert all(40 < len(share) < 95 for share in shares)  # roughly even
    assert select(targets, Shard(2, 3)) == select(reversed(targets), Shard(2, 3))  # stable


@pytest.mark.parametrize("text", ["0/2", "3/2", "1", "a/b", "1/0"])
def test_bad_shards_are_usage_errors(text: str) -> None:
    from roadworthy.errors import UsageError

    with pytest.raises(UsageError):
        parse_shard(text)


def test_list_only_lists_one_shard(org: Org, run_cli) -> None:
    every = run_cli("scan", "a", "b", "c", "d", "e", "--list-only", cwd=org.root).out.split()
    parts = [
        run_cli("scan", *every, "--list-only", "--shard", f"{k}/2", cwd=org.root).out.split()
        for k in (1, 2)
    ]
    assert sorted(parts[0] + parts[1]) == every
    assert not set(parts[0]) & set(parts[1])


def _rewrite(path: Path, change) -> None:
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data))


def test_overlapping_reports_cannot_be_merged(org: Org, run_cli) -> None:
    scan(run_cli, org, "full")
    result = run_cli("merge", "full/scan.json", "full/scan.json", "-o", "merged", cwd=org.root)
    assert result.exit_code == 2
    assert "shards must not overlap" in result.err
    assert not (org.root / "merged").exists()


def test_other_schema_versions_cannot_be_merged(org: Org, run_cli) -> None:
    scan(run_cli, org, "s1", "--shard", "1/2")
    scan(run_cli, org, "s2", "--shard", "2/2")
    _rewrite(org.root / "s2/scan.json", lambda d: d.update(schema_version=2))
    result = run_cli("merge", "s1/scan.json", "s2/scan.json", "-o", "merged", cwd=org.root)
    assert result.exit_code == 2
    assert "s2/scan.json: scan report schema_version 2" in result.err


def test_shards_of_different_splits_cannot_be_merged(org: Org, run_cli) -> None:
    scan(run_cli, org, "a", "--shard", "1/2")
    scan(run_cli, org, "b", "--shard", "2/3")
    result = run_cli("merge", "a/scan.json", "b/scan.json", "-o", "merged", cwd=org.root)
    assert (result.exit_code, "different splits" in result.err) == (2, True)


def test_invalid_and_missing_reports_are_usage_errors(org: Org, run_cli) -> None:
    (org.root / "bad.json").write_text('{"schema_version": 1, "tool": {}}')
    bad = run_cli("merge", "bad.json", "-o", "merged", cwd=org.root)
    assert (bad.exit_code, "not a valid scan report" in bad.err) == (2, True)
    gone = run_cli("merge", "nothing.json", "-o", "merged", cwd=org.root)
    assert (gone.exit_code, "cannot be read" in gone.err) == (2, True)


def test_a_missing_shard_is_warned_about(org: Org, run_cli) -> None:
    scan(run_cli, org, "s1", "--shard", "1/2")
    result = run_cli("merge", "s1/scan.json", "-o", "merged", cwd=org.root)
    assert "shards not given: 2/2" in result.err
    assert read_report(org.root / "merged")["shard"] is None

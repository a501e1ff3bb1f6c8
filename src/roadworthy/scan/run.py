"""A scan and a merge: options in, report files out, an exit code back."""

from __future__ import annotations

import signal
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from roadworthy.errors import UsageError
from roadworthy.scan import targets as tg
from roadworthy.scan.document import Entry, document, error_entry, exit_status

EXIT_INTERRUPTED = 130


@dataclass(frozen=True)
class ScanOptions:
    targets: tuple[str, ...]
    repos_file: str | None
    github_org: str | None
    include_archived: bool
    include_forks: bool
    list_only: bool
    output: Path | None
    cache: Path
    policy: str | None  # absolute
    enforce: str | None  # absolute
    jobs: int
    timeout: float | None
    shard: tg.Shard | None
    fail_on: str | None
    quiet: bool
    cwd: Path
    as_of: str | None = None  # --as-of DATE, validated by the command
    framework: str | None = None  # --framework: coverage of this preset in every repository


def scan(opts: ScanOptions) -> int:
    every, refused = _targets(opts)
    if not every and not refused:
        raise UsageError("no repositories to scan: give ROOT|URL, --repos FILE or --github-org")
    chosen = tg.select(every, opts.shard)
    refused = [r for r in refused if opts.shard is None or opts.shard.holds(r[0])]
    for name, why in refused:
        print(f"roadworthy: {name}: {why}", file=sys.stderr)
    if opts.list_only:
        sys.stdout.write("".join(f"{t}\n" for t in chosen))
        return 0
    if opts.output is None:
        raise UsageError("scan needs -o DIR for its report (or --list-only)")
    _check_org_policies(opts)
    entries, complete = _run(chosen, opts)
    entries += [error_entry(name, why) for name, why in refused]
    doc = document(entries, shard=str(opts.shard) if opts.shard else None, complete=complete)
    _write(doc, opts.output, opts.quiet)
    return exit_status(doc["repositories"]) if complete else EXIT_INTERRUPTED


def _targets(opts: ScanOptions) -> tuple[list[str], list[tuple[str, str]]]:
    """What to scan, and the organisation's repositories refused for their clone URL."""
    found = list(opts.targets)
    if opts.repos_file is not None:
        found += tg.read_list(str(opts.cwd / opts.repos_file) if opts.repos_file != "-" else "-")
    refused: list[tuple[str, str]] = []
    if opts.github_org is not None:
        from roadworthy.scan.org import list_org

        listed = list_org(opts.github_org, opts.include_archived, opts.include_forks)
        found += listed.urls
        refused = listed.refused
    return found, refused


def _check_org_policies(opts: ScanOptions) -> None:
    """A broken organisation policy is the scan's error (exit 2), not every repository's."""
    from roadworthy.pipeline import file_reader
    from roadworthy.policy.load import load_policy

    for path in (opts.policy, opts.enforce):
        if path is not None:
            if not Path(path).is_file():
                raise UsageError(f"{path}: policy file not found")
            load_policy(file_reader(Path(path).parent), path)


def _run(chosen: Sequence[str], opts: ScanOptions) -> tuple[list[Entry], bool]:
    from roadworthy.scan import worker
    from roadworthy.scan.pool import Pool, Work
    from roadworthy.scan.progress import Progress

    share = per_repository(opts.jobs, len(chosen))
    jobs = [
        worker.Job(
            t,
            opts.cwd,
            opts.cache,
            opts.policy,
            opts.enforce,
            opts.fail_on,
            share,
            opts.as_of,
            opts.framework,
        )
        for t in chosen
    ]
    work = Work(
        worker.scan_target,
        worker.prepare_process,
        worker.setup_from_environment(),
        preload=("roadworthy.scan.worker", "roadworthy.engine"),
    )
    progress = Progress(len(jobs), None if opts.quiet else sys.stderr)
    entries: list[Entry] = []
    # A CI runner cancelling the job sends SIGTERM: stop like Ctrl-C, with a partial report.
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        with Pool(work, workers=opts.jobs, timeout=opts.timeout) as pool:
            for outcome in pool.run(jobs):
                result = outcome.result
                if result is None:
                    result = error_entry(outcome.job.name, outcome.failure or "failed")
                entries.append(result)
                progress.advance(outcome.job.name, error=result["status"] == "error")
    except KeyboardInterrupt:
        progress.close()
        print(
            f"roadworthy: interrupted; writing the {len(entries)} of {len(jobs)} repositories "
            "that finished",
            file=sys.stderr,
        )
        return entries, False
    finally:
        signal.signal(signal.SIGTERM, previous)
    progress.close()
    return entries, True


def per_repository(jobs: int, repositories: int) -> int:
    """Processes each repository's check may use: the cores the pool leaves idle, shared out
    (one large repository scanned with --jobs 4 is checked by 4 processes; 200 by 1 each)."""
    return max(1, jobs // max(1, min(jobs, repositories)))


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _write(doc: Mapping[str, Any], folder: Path, quiet: bool) -> None:
    from roadworthy.scan.output import write

    write(doc, folder)
    if not quiet:
        print(summary(doc, folder), file=sys.stderr)


def summary(doc: Mapping[str, Any], folder: Path) -> str:
    r, c = doc["totals"]["repositories"], doc["totals"]["components"]
    return (
        f"roadworthy: {r['total']} repositories: {r['ok']} ok, {r['findings']} with findings, "
        f"{r['error']} error{'s' if r['error'] != 1 else ''}; {c['total']} components "
        f"({c['red']} red, {c['yellow']} yellow, {c['green']} green); report in {folder}"
    )


def merge(reports: Sequence[str], output: str, quiet: bool, cwd: Path) -> int:
    from roadworthy.scan.merge import merge as join

    doc, missing = join([cwd / r for r in reports])
    if missing and not quiet:
        print(f"roadworthy: warning: shards not given: {', '.join(missing)}", file=sys.stderr)
    _write(doc, cwd / output, quiet)
    return exit_status(doc["repositories"])

"""One repository → one entry of the scan document. Runs in a worker process.

Whatever goes wrong with one repository (a clone that fails, a missing folder, a broken
policy, even a bug) becomes that repository's error entry; nothing here ends the scan.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from roadworthy import pipeline
from roadworthy.errors import PolicyError, RoadworthyError
from roadworthy.findings import Report
from roadworthy.policy.load import find_policy_file, load_policy
from roadworthy.policy.model import Policy
from roadworthy.scan import cache
from roadworthy.scan.document import Entry, entry, error_entry
from roadworthy.scan.targets import is_url, redact, secret


@dataclass(frozen=True)
class Job:
    target: str  # as given: what is cloned or opened
    cwd: Path
    cache: Path
    default_policy: str | None = None  # absolute path: for repositories without their own
    enforce: str | None = None  # absolute path: its locked rules bind every repository
    fail_on: str | None = None  # None: the repository policy's, else "error"
    jobs: int = 1  # processes for this repository's components (see run.per_repository)
    as_of: str | None = None  # --as-of: the date every repository is judged at (ISO)
    framework: str | None = None  # --framework: the preset whose coverage each repository gets

    @property
    def name(self) -> str:
        """The target as reports name it (without a password)."""
        return redact(self.target)


@dataclass(frozen=True)
class Setup:
    """What every worker process needs before its first job.

    The environment and folder are handed over explicitly: a worker forked from a fork server
    would otherwise have the server's, taken whenever that server started.
    """

    env: Mapping[str, str]
    cwd: str
    git_config: Sequence[tuple[str, str]] = field(default=())


def setup_from_environment() -> Setup:
    from roadworthy.scan.org import clone_auth_config

    return Setup(dict(os.environ), str(Path.cwd()), tuple(clone_auth_config()))


def prepare_process(setup: Setup) -> None:
    """Keep git from prompting or running anything from the repositories it reads."""
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    os.chdir(setup.cwd)
    os.environ.clear()
    os.environ.update(cache.git_environment(setup.env, setup.git_config))


def scan_target(job: Job) -> Entry:
    result = _checked(job)
    password = secret(job.target)
    if password and result["error"]:
        result["error"] = result["error"].replace(password, "***")
    return result


def _checked(job: Job) -> Entry:
    try:
        return _scan(job)
    except RoadworthyError as exc:
        return error_entry(job.name, str(exc))
    except Exception as exc:  # a bug in roadworthy must not end the scan of the others
        from roadworthy.errors import write_crash_file

        crash = write_crash_file(exc, ["scan", job.name])
        return error_entry(
            job.name, f"internal error ({type(exc).__name__}: {exc}); details: {crash}"
        )


def _scan(job: Job) -> Entry:
    if is_url(job.target):
        with cache.checked_out(job.target, job.cache) as root:
            return _check(root, job)
    return _check(_local(job), job)


def _check(root: Path, job: Job) -> Entry:
    repo, head = _repository(root)
    try:
        policy = _policy(repo.root, job)
    except PolicyError as exc:
        return error_entry(job.name, str(exc), head)
    day = pipeline.parse_as_of(job.as_of) if job.as_of else None
    report = pipeline.check(repo, policy, day, jobs=job.jobs)
    coverage = _coverage(repo, policy, report, day or pipeline.today(), job.framework)
    return entry(job.name, head, report, job.fail_on or policy.fail_on or "error", coverage)


def _coverage(
    repo: pipeline.Repository,
    policy: Policy,
    report: Report,
    day: dt.date,
    framework: str | None,
) -> dict[str, dict[str, int]]:
    """Clauses by status for ``framework``, else for each framework preset the policy extends
    (as `roadworthy evidence` counts them, from the check already run)."""
    from roadworthy.evidence.collect import collect
    from roadworthy.formats.refs import PRESETS

    chosen = [framework] if framework else [p for p in PRESETS if f"preset:{p}" in policy.sources]
    return {
        preset: collect(repo, policy, preset, day, report, approvals=False).coverage()
        for preset in sorted(chosen)
    }


def _local(job: Job) -> Path:
    path = job.cwd / job.target
    if not path.exists():
        raise RoadworthyError(f"{job.target}: no such folder")
    if not path.is_dir():
        raise RoadworthyError(f"{job.target}: not a folder")
    return path


def _repository(folder: Path) -> tuple[pipeline.Repository, str | None]:
    """The folder's git repository (only the components under the folder) and its commit, or
    the folder itself, outside git."""
    folder = folder.resolve()
    top, head = cache.toplevel_and_head(folder)
    if top is None:
        return pipeline.Repository(folder, False, None), None
    rel = folder.relative_to(top.resolve()).as_posix()
    return pipeline.Repository(top.resolve(), True, None if rel == "." else (rel,)), head


def _policy(root: Path, job: Job) -> Policy:
    # One reader serves both: repository-relative names (never followed out of the
    # repository), and the absolute paths of the organisation's files (and what those extend,
    # resolved next to them), which whoever runs the scan gave and trusts.
    read = pipeline.file_reader(root)
    entry_file = find_policy_file(read) or job.default_policy
    return load_policy(read, entry_file, enforce=job.enforce)

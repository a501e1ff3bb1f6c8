"""``roadworthy check``: the repository, or a change to it, against the policy in force."""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING, Any, TextIO

from roadworthy.commands import cwd
from roadworthy.findings import FAIL_ON
from roadworthy.records import NamedTuple
from roadworthy.reporters import REPORTERS

if TYPE_CHECKING:
    from pathlib import Path

    from roadworthy.findings import DiscoveryInfo, Report
    from roadworthy.pipeline import Repository
    from roadworthy.policy.model import Policy
    from roadworthy.workspace.keptfile import KeptEntries


class CheckOptions(NamedTuple):
    paths: tuple[str, ...]
    policy: str | None
    format: str | None  # None: text, or github inside a GitHub Actions job
    output: str | None
    fail_on: str | None  # None: the policy's fail_on, else error
    diff: str | None
    staged: bool
    hook: bool
    policy_ref: str | None
    cwd: Path
    show_excluded: bool = False
    as_of: str | None = None  # --as-of DATE
    select: tuple[str, ...] = ()  # rule codes, code prefixes or names; empty: every rule
    ignore: tuple[str, ...] = ()
    statistics: bool = False
    baseline: str | None = None  # None: the policy's baseline key, if any
    write_baseline: str | None = None
    jobs: int = 1  # worker processes for a full check of a large repository

    @property
    def change_mode(self) -> bool:
        return self.diff is not None or self.staged or self.hook


def add_parser(commands: Any, name: str) -> None:
    check = commands.add_parser(name, help="check the repository (or the components owning PATHs)")
    check.add_argument("paths", nargs="*", metavar="PATH", help="default: the repository of .")
    check.add_argument("--policy", metavar="FILE", help="policy file (default: roadworthy.yaml)")
    check.add_argument("--format", choices=tuple(REPORTERS), help="output format (default: text)")
    check.add_argument(
        "-o", "--output", metavar="FILE", help="write the report here instead of stdout"
    )
    check.add_argument(
        "--fail-on", choices=FAIL_ON, help="lowest severity that fails (default: error)"
    )
    mode = check.add_mutually_exclusive_group()
    mode.add_argument(
        "--diff",
        metavar="BASE[...HEAD]",
        help="check the change between revisions: BASE...HEAD (from the merge base, as a pull "
        "request does), BASE..HEAD, or BASE (meaning BASE...HEAD)",
    )
    mode.add_argument(
        "--staged", action="store_true", help="check the staged change (the index against HEAD)"
    )
    mode.add_argument(
        "--hook",
        action="store_true",
        help="pre-commit mode: PRE_COMMIT_FROM_REF...PRE_COMMIT_TO_REF when set, else --staged",
    )
    check.add_argument(
        "--policy-ref", metavar="REV", help="in diff mode, the revision whose policy is in force"
    )
    check.add_argument(
        "--show-excluded",
        action="store_true",
        help="list the model-looking files the policy's excludes skipped (on stderr), and how "
        "to include them",
    )
    check.add_argument(
        "--as-of",
        metavar="DATE",
        help="judge as of this date (YYYY-MM-DD): freshness, waivers and evaluation windows; "
        "the same repository then gives the same output on any day",
    )
    check.add_argument(
        "--select",
        action="append",
        metavar="RULES",
        help="only these rules: codes, code prefixes (RW2) or names, comma-separated",
    )
    check.add_argument(
        "--ignore", action="append", metavar="RULES", help="not these rules (same forms)"
    )
    check.add_argument(
        "--statistics", action="store_true", help="count the findings of each rule instead"
    )
    record = check.add_mutually_exclusive_group()
    record.add_argument(
        "--baseline",
        metavar="FILE",
        help="findings recorded in FILE do not fail (default: the policy's baseline key); "
        "judging a change, a FILE inside the repository is read as the base has it",
    )
    record.add_argument(
        "--write-baseline",
        metavar="FILE",
        help="record today's findings in FILE, so that only new ones fail from now on",
    )
    check.add_argument(
        "-j",
        "--jobs",
        type=int,
        metavar="N",
        help="processes that check the components of a large repository (default: the usable "
        "cores); the report is the same for every N",
    )
    check.set_defaults(from_args=from_args, run=run)


def from_args(args: argparse.Namespace) -> CheckOptions:
    from roadworthy.errors import UsageError
    from roadworthy.forkpool import usable_cores
    from roadworthy.policy import selection

    if args.jobs is not None and args.jobs < 1:
        raise UsageError(f"--jobs {args.jobs}: must be at least 1")
    options = CheckOptions(
        paths=tuple(args.paths),
        policy=args.policy,
        format=args.format,
        output=args.output,
        fail_on=args.fail_on,
        diff=args.diff,
        staged=args.staged,
        hook=args.hook,
        policy_ref=args.policy_ref,
        cwd=cwd(),
        show_excluded=args.show_excluded,
        as_of=args.as_of,
        select=selection.parse(args.select),
        ignore=selection.parse(args.ignore),
        statistics=args.statistics,
        baseline=args.baseline,
        write_baseline=args.write_baseline,
        jobs=args.jobs or usable_cores(),
    )
    if options.write_baseline is not None and options.change_mode:
        raise UsageError("--write-baseline records a check of the repository, not of a change")
    if options.statistics and options.format not in (None, "text"):
        raise UsageError("--statistics is a text table; it cannot be combined with --format")
    if options.policy_ref is not None and not options.change_mode:
        raise UsageError("--policy-ref applies to --diff, --staged and --hook")
    if options.as_of is not None:
        from roadworthy.pipeline import parse_as_of

        parse_as_of(options.as_of)  # a bad date is a usage error before anything runs
    if options.show_excluded and options.change_mode:
        raise UsageError("--show-excluded applies to a check of the repository, not of a change")
    return options


def run(options: CheckOptions) -> int:
    from roadworthy.formats import verdicts, yamlio
    from roadworthy.workspace.parsecache import ParseCache
    from roadworthy.workspace.verdictcache import VerdictCache

    # What each schema said of each document is kept between runs, and in diff mode (a hook's,
    # a pull request's) what each YAML text parses to: a hook whose policy and artifacts it
    # read before imports neither a validator nor a YAML library (formats/verdicts.py, yamlio).
    # A full check keeps its documents in its repository's own file (_run).
    # A full check in a CI job keeps nothing (see in_ci): no verdicts either.
    judged = None if in_ci() and not options.change_mode else VerdictCache.open()
    parsed = ParseCache.open() if options.change_mode else None
    verdicts.install(judged)
    yamlio.install(parsed)
    kept = [store for store in (judged, parsed) if store is not None]
    try:
        return _run(options, kept)
    finally:
        # Written once the report is gone: a full check's documents are many megabytes.
        verdicts.install(None)
        yamlio.install(None)
        for store in kept:
            store.close()


def _run(options: CheckOptions, kept: list[KeptEntries]) -> int:
    from roadworthy import pipeline
    from roadworthy.reporters import renderer
    from roadworthy.reporters.text import summary

    if options.hook:
        options, repo = _hook(options)
    else:
        repo = pipeline.locate(options.paths, options.cwd)
    as_of = pipeline.parse_as_of(options.as_of) if options.as_of is not None else None
    chosen = _Chosen(options)
    request = None
    if options.change_mode:
        request = pipeline.ChangeRequest(options.diff, options.staged, options.hook)
        policy, report = pipeline.check_change(
            repo,
            request,
            policy_file=options.policy,
            policy_ref=options.policy_ref,
            cwd=options.cwd,
            as_of=as_of,
            adjust=chosen,
        )
    else:
        from roadworthy.formats import yamlio
        from roadworthy.workspace.parsecache import ParseCache

        # A full check keeps what its repository's documents parse to (its own file): the
        # next one parses only the texts that changed since (a third of a full check's time).
        parsed = None if in_ci() else ParseCache.for_repository(repo.root)
        if parsed is not None:
            kept.append(parsed)  # closed by run()
        yamlio.install(parsed)
        listing = pipeline.start_listing(repo)  # git reads the index while the policy loads
        try:
            policy = chosen(pipeline.load_repository_policy(repo, options.policy, options.cwd))
            report = pipeline.check(repo, policy, as_of=as_of, jobs=options.jobs, listing=listing)
        finally:
            if listing is not None:
                listing.close()  # (read already, unless the policy did not load)
    if options.write_baseline is not None:
        return _write_baseline(report, options.write_baseline, options.cwd, repo.root)
    # A change is judged with the baseline its base has: see baseline_source.
    report = pipeline.apply_baseline(repo, policy, report, options.baseline, options.cwd, request)
    fmt = options.format or _default_format()
    color = fmt == "text" and options.output is None and _use_color(sys.stdout)
    fail_on = options.fail_on or policy.fail_on or "error"
    if options.statistics:
        from roadworthy.reporters import statistics

        text = statistics.render(report)
    else:
        text = renderer(fmt, color=color, fail_on=fail_on)(report)
    _emit(text, options.output, options.cwd, repo.root)
    for note in (*chosen.notes, *report.notes):
        print(f"roadworthy: {note}", file=sys.stderr)
    print(summary(report), file=sys.stderr)
    if options.show_excluded and report.discovery is not None:
        print(_excluded_listing(report.discovery, policy.discovery.exclude), file=sys.stderr)
    return report.exit_code(fail_on)


class _Chosen:
    """--select / --ignore applied to the policy in force once it is loaded (in diff mode, the
    pipeline loads it), keeping what they could not do to tell the user."""

    def __init__(self, options: CheckOptions) -> None:
        from roadworthy.policy.selection import Selection

        self.selection = Selection(options.select, options.ignore)
        self.notes: list[str] = []

    def __call__(self, policy: Policy) -> Policy:
        from roadworthy.policy import selection

        policy, self.notes = selection.apply(policy, self.selection)
        return policy


def _write_baseline(report: Report, target: str, cwd: Path, root: Path) -> int:
    from roadworthy import baseline
    from roadworthy.pipeline import policy_label

    _emit(baseline.render(report), target, cwd, root)
    count = len(report.active_findings)
    noun = "finding" if count == 1 else "findings"
    print(
        f"roadworthy: recorded {count} {noun} in {target}; only new findings fail once the"
        f" policy says `baseline: {policy_label(target, root, cwd)}` (or with --baseline)",
        file=sys.stderr,
    )
    return 0


def _hook(options: CheckOptions) -> tuple[CheckOptions, Repository]:
    """pre-commit passes the files it runs on. A commit (or a push) is judged as a change,
    deletions included, whatever files were passed; with nothing staged (`pre-commit run
    --all-files`, `--files`), the components owning the files are checked as they are."""
    from roadworthy import pipeline
    from roadworthy.workspace.changes import hook_has_change

    repo = pipeline.locate([], options.cwd)
    if not repo.is_git or not options.paths or hook_has_change(repo.root):
        return options, repo
    # A staged file missing from the work tree is passed too: only what exists is checked.
    present = [p for p in options.paths if (options.cwd / p).exists()]
    if not present:
        return options, repo
    return options._replace(hook=False), pipeline.locate(present, options.cwd)


def _excluded_listing(found: DiscoveryInfo, patterns: tuple[str, ...]) -> str:
    """Each skipped file with the exclude that skipped it, then how to take a folder back."""
    from roadworthy.discovery import excluded_by
    from roadworthy.reporters.text import printable

    if not found.excluded:
        return "roadworthy: no model-looking file was excluded"
    count = len(found.excluded)
    noun = "file" if count == 1 else "files"
    lines = [f"roadworthy: {count} model-looking {noun} skipped as excluded:"]
    for marker in found.excluded:
        lines.append(f"  {printable(marker)}  (exclude {excluded_by(marker, patterns)})")
    where = found.excluded_where(0)
    example = printable(f"{where}**" if where.endswith("/") else where)
    lines.append(
        "roadworthy: to check one, take it back in roadworthy.yaml: "
        f'components: {{include: ["{example}"]}}'
    )
    return "\n".join(lines)


def in_ci() -> bool:
    """Whether this is a CI job (``CI`` set, as GitHub Actions, GitLab CI, CircleCI, Travis and
    Buildkite set it). There a full check keeps no documents and no verdicts: a hosted runner
    starts from a fresh machine, so writing them (a tenth of the check) is for nobody, and a
    self-hosted one that keeps its home folder between jobs would carry them from one pull
    request's job into another's, across the line docs/security.md draws for every kept file."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _default_format() -> str:
    # In a GitHub Actions job, findings become annotations on the pull request's diff.
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"


def _use_color(stream: TextIO) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def _emit(text: str, output: str | None, cwd: Path, root: Path) -> None:
    from roadworthy.errors import UsageError
    from roadworthy.workspace.write import write_report, write_stream

    if output is None:
        write_stream(sys.stdout, text)
        return
    try:
        write_report(root, cwd / output, text.encode("utf-8", "backslashreplace").decode("utf-8"))
    except OSError as exc:
        raise UsageError(f"--output {output}: cannot write ({exc.strerror or exc})") from None

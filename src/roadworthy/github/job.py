"""What the GitHub Action does in a job (``roadworthy action``; ``action.yml`` only installs and
runs it).

Everything comes from the environment GitHub Actions provides: ``GITHUB_EVENT_NAME``,
``GITHUB_EVENT_PATH`` (the webhook payload), ``GITHUB_WORKSPACE``, ``GITHUB_OUTPUT``,
``GITHUB_STEP_SUMMARY``, ``GITHUB_API_URL``; and the action's inputs as ``INPUT_<NAME>`` variables
(``fail-on`` is ``INPUT_FAIL_ON``; GitHub's own ``INPUT_FAIL-ON`` spelling is accepted too), which
``action.yml`` sets in ``env:`` so that no input is ever pasted into shell text.

Decisions:

- Mode: ``diff`` when the payload has a ``pull_request`` (``pull_request``, ``pull_request_review``,
  ...), else ``full``. Diff mode judges ``base...head`` (from their merge base, as GitHub's "Files
  changed" does) with ``head`` the pull request's head commit, not the merge commit actions/checkout
  checks out: reviews approve the head commit, so approvals are judged on its bytes. The policy is
  the merge base's, as for ``roadworthy check --diff``; the pull request cannot weaken it.
- A shallow clone gets the missing commits (``git fetch --depth=50``, then ``--deepen`` twice
  until the merge base is there; never ``--unshallow``, which fetches all of history); when that
  fails the run stops with the ``fetch-depth: 0`` advice, exit 2.
- ``working-directory`` (a monorepo's project folder) limits the check to the components under
  it and uses its own policy file when it has one; ``paths`` limits it further; ``select`` and
  ``ignore`` (rule codes, checked against the policy) narrow the report before anything is
  written, so counts, outputs and the exit code agree with what is shown.
- The summary and the comment link each file to its blob at the judged commit (the pull
  request's head, else ``GITHUB_SHA``).
- GitHub's API (reviews, team members, the sticky comment) is a bonus: any failure is one warning
  line in the log and one note in the summary, and the check is reported all the same.
- The token is never written anywhere: every line and file this module writes is scrubbed of it.
- Exit codes are those of ``roadworthy check``: 0, 1 for findings at or above fail-on, 2 for usage
  errors (bad inputs, an unreadable event, a missing revision, an invalid policy).
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from roadworthy import __version__, lazyre, pipeline
from roadworthy.errors import PolicyError, RoadworthyError, UsageError, redact
from roadworthy.findings import FAIL_ON, Report
from roadworthy.github import selection
from roadworthy.github.api import COMMENT_MARKER, GitHubClient, GitHubError, approving_handles
from roadworthy.policy.load import POLICY_FILES
from roadworthy.reporters import sarif
from roadworthy.reporters import summary as markdown
from roadworthy.reporters import workflow_commands as commands
from roadworthy.reporters.links import Source
from roadworthy.workspace import git
from roadworthy.workspace.write import write_report, write_stream

SUMMARY_LIMIT = 256 * 1024  # of GitHub's 1 MiB per step: room for whatever else the job writes
FETCH_DEPTH = 50
DEEPEN = (200, 2000)
FETCH_ADVICE = "use actions/checkout with `fetch-depth: 0` so the clone has the base branch"
_TRUE, _FALSE = ("true", "True", "TRUE"), ("false", "False", "FALSE")  # as @actions/core reads them
_SAFE_REV = lazyre.compile(r"[A-Za-z0-9_][A-Za-z0-9_./@{}~^-]*")


def _sleep(seconds: float) -> None:  # the API client's waits; tests replace it
    time.sleep(seconds)


@dataclass(frozen=True)
class ActionInputs:
    policy: str | None
    mode: str | None
    base: str | None
    fail_on: str | None
    sarif_file: str
    category: str | None
    summary: bool
    comment: bool
    token: str | None
    working_directory: str | None = None  # a folder of the checkout (a monorepo's project)
    paths: tuple[str, ...] = ()  # only the components under these, relative to that folder
    select: tuple[str, ...] = ()  # rule codes: only these
    ignore: tuple[str, ...] = ()  # rule codes: not these
    as_of: str | None = None  # the date rules are judged at (ISO), for reproducible audits


@dataclass(frozen=True)
class PullRequest:
    owner: str
    repo: str
    number: int
    base_sha: str
    head_sha: str


def read_inputs(env: Mapping[str, str]) -> ActionInputs:
    def get(name: str) -> str:
        key = "INPUT_" + name.upper()
        return (env.get(key.replace("-", "_")) or env.get(key) or "").strip()

    def flag(name: str, default: bool) -> bool:
        value = get(name)
        if value and value not in (*_TRUE, *_FALSE):
            raise UsageError(f"input {name}: {value!r} is not a boolean (true or false)")
        return value in _TRUE if value else default

    mode, fail_on = get("mode") or None, get("fail-on") or None
    if mode not in (None, "diff", "full"):
        raise UsageError(f"input mode: {mode!r} is not one of diff, full")
    if fail_on not in (None, *FAIL_ON):
        raise UsageError(f"input fail-on: {fail_on!r} is not one of {', '.join(FAIL_ON)}")
    as_of = get("as-of") or None
    if as_of is not None:
        try:
            pipeline.parse_as_of(as_of)  # a bad date is a usage error before anything runs
        except UsageError:
            raise UsageError(f"input as-of: {as_of!r} is not a date (YYYY-MM-DD)") from None
    return ActionInputs(
        policy=get("policy") or None,
        mode=mode,
        base=get("base") or None,
        fail_on=fail_on,
        sarif_file=get("sarif-file") or "roadworthy.sarif",
        category=get("category") or None,
        summary=flag("summary", True),
        comment=flag("comment", False),
        token=get("github-token") or None,
        working_directory=get("working-directory") or None,
        paths=selection.words(get("paths")),
        select=selection.words(get("select")),
        as_of=as_of,
        ignore=selection.words(get("ignore")),
    )


def read_event(env: Mapping[str, str]) -> tuple[PullRequest | None, str]:
    """The pull request of the triggering event (if any) and a label for messages."""
    event = env.get("GITHUB_EVENT_NAME") or "unknown event"
    path = env.get("GITHUB_EVENT_PATH")
    if not path:
        return None, event
    try:
        payload = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise UsageError(
            f"GITHUB_EVENT_PATH {path}: cannot read the event payload ({exc})"
        ) from None
    pull = payload.get("pull_request") if isinstance(payload, dict) else None
    if not isinstance(pull, dict):
        return None, event
    try:
        full_name = payload.get("repository", {}).get("full_name") or env["GITHUB_REPOSITORY"]
        owner, repo = str(full_name).split("/", 1)
        number = int(pull.get("number") or payload["number"])
        pr = PullRequest(owner, repo, number, _sha(pull["base"]), _sha(pull["head"]))
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise UsageError(
            f"GITHUB_EVENT_PATH {path}: the {event} payload lacks {exc} (pull_request.number,"
            " .base.sha, .head.sha, repository.full_name)"
        ) from None
    return pr, f"{event} #{number}"


def _sha(side: Any) -> str:
    sha = side["sha"]
    if not isinstance(sha, str) or not re.fullmatch(r"[0-9a-f]{40}|[0-9a-f]{64}", sha):
        raise ValueError("a commit id in sha")
    return sha


class Log:
    """Everything the run writes to the job log, scrubbed of the token."""

    def __init__(self, token: str | None) -> None:
        self.token = token

    def clean(self, text: str) -> str:
        """Without the token; undecodable file names (surrogate escapes) shown escaped."""
        text = text.encode("utf-8", "backslashreplace").decode("utf-8")
        return redact(text, [self.token])

    def out(self, text: str) -> None:
        write_stream(sys.stdout, self.clean(text))

    def info(self, line: str) -> None:
        write_stream(sys.stderr, self.clean(line) + "\n")

    def command(self, kind: str, line: str) -> None:
        """A workflow command: ``::warning`` / ``::error`` lines become annotations."""
        self.out(f"::{kind} title=roadworthy::{commands.escape_data(self.clean(line))}\n")


def run(env: Mapping[str, str]) -> int:
    token = (env.get("INPUT_GITHUB_TOKEN") or env.get("INPUT_GITHUB-TOKEN") or "").strip()
    log = Log(token or None)
    summary_file = env.get("GITHUB_STEP_SUMMARY")
    try:
        return _run(env, read_inputs(env), log)
    except PolicyError as exc:
        for problem in exc.problems:
            where = problem.location
            props = f"file={commands.escape_property(where.path)}"
            props += f",line={where.line}" if where.line else ""
            log.out(f"::error {props},title=roadworthy::{commands.escape_data(str(problem))}\n")
        message = f"the policy does not load: {exc.problems[0]}"
    except RoadworthyError as exc:
        message = str(exc)
        log.command("error", " ".join(message.split()))
    if summary_file:
        said = " ".join(message.split())
        _append(Path(summary_file), log.clean(f"## roadworthy\n\n> [!CAUTION]\n> {said}\n"))
    return 2


def _run(env: Mapping[str, str], inputs: ActionInputs, log: Log) -> int:
    pull, event = read_event(env)
    workspace = Path(env.get("GITHUB_WORKSPACE") or Path.cwd())
    folder = working_directory(workspace, inputs.working_directory)
    repo = pipeline.locate(list(inputs.paths), folder)
    policy_file = inputs.policy or own_policy(repo.root, folder)
    notes: list[str] = []  # API problems, for the summary and the comment
    client = _client(inputs, pull, notes, log)
    day = pipeline.parse_as_of(inputs.as_of) if inputs.as_of else None
    judged = ""
    if (inputs.mode or ("diff" if pull else "full")) == "diff":
        base = inputs.base or (pull.base_sha if pull else None)
        if base is None:
            raise UsageError(f"mode diff on a {event} needs the base input (a revision to diff)")
        if not repo.is_git:
            raise UsageError(f"{repo.root} is not a git repository; run actions/checkout first")
        base, head = ensure_revisions(repo.root, base, pull.head_sha if pull else "HEAD", log)
        judged = f"{base[:12]}...{head[:12]}"
        reviews = review_approvals(client, pull, repo.root, base, notes, log) if pull else ()
        policy, report = pipeline.check_change(
            repo,
            pipeline.ChangeRequest(diff=f"{base}...{head}"),
            policy_file=policy_file,
            policy_ref=None,
            cwd=folder,
            review_approvals=reviews,
            as_of=day,
        )
    else:
        head = env.get("GITHUB_SHA", "")
        from roadworthy.forkpool import usable_cores

        listing = pipeline.start_listing(repo)  # git reads the index while the policy loads
        try:
            policy = pipeline.load_repository_policy(repo, policy_file, folder)
            cores = usable_cores()  # the runner's
            report = pipeline.check(repo, policy, day, jobs=cores, listing=listing)
        finally:
            if listing is not None:
                listing.close()
    report = pipeline.apply_baseline(repo, policy, report, None, folder)
    known = {rule.code for rule in policy.rules}
    selection.check_codes("select", inputs.select, known)
    selection.check_codes("ignore", inputs.ignore, known)
    locked = {rule.code for rule in policy.rules if rule.locked}
    hidden = sorted(
        locked & (set(inputs.ignore) | (known - set(inputs.select) if inputs.select else set()))
    )
    if hidden:
        log.info(f"roadworthy: {', '.join(hidden)} locked by the policy: select/ignore keep them")
    report = selection.restrict(report, inputs.select, inputs.ignore, locked)
    log.out(commands.render(report))
    log.info(f"roadworthy: {report.summary.line} ({f'diff {judged}' if judged else 'full'})")

    footer = _footer(env, judged)
    source = Source.of(env.get("GITHUB_SERVER_URL"), env.get("GITHUB_REPOSITORY"), head)
    if inputs.comment:
        _comment(client, pull, _with_notes(report, notes), footer, notes, log, source)
    summary_file = env.get("GITHUB_STEP_SUMMARY")
    if inputs.summary and summary_file:
        text = markdown.render(
            _with_notes(report, notes), limit=SUMMARY_LIMIT - len(footer.encode()), source=source
        )
        _append(Path(summary_file), log.clean(text + footer))
    sarif_path = Path(os.path.normpath(workspace / inputs.sarif_file))
    category = sarif_category(inputs.category, env)
    write_report(repo.root, sarif_path, log.clean(sarif.render_for_github(report, category)))
    s = report.summary
    counts = {"findings": s.findings, "errors": s.errors, "warnings": s.warnings}
    paths = {"sarif-file": sarif_path, "category": category}
    _set_outputs(env, {**counts, "verdict": s.verdict, **paths}, log)
    return exit_code(report, inputs.fail_on or policy.fail_on or "error")


def working_directory(workspace: Path, given: str | None) -> Path:
    """The folder the job checks (a monorepo's project): inside the workspace, and there."""
    if not given:
        return workspace
    folder = Path(os.path.normpath(workspace / given))
    if Path(given).is_absolute() or not folder.is_relative_to(workspace):
        raise UsageError(f"input working-directory: {given!r} is not a folder of the workspace")
    if not folder.is_dir():
        raise UsageError(f"input working-directory: {given!r} is not a folder of the checkout")
    return folder


def own_policy(root: Path, folder: Path) -> str | None:
    """A project folder's own policy file, when it has one (else the repository's is found)."""
    if folder == root:
        return None
    return next((name for name in POLICY_FILES if (folder / name).is_file()), None)


def sarif_category(given: str | None, env: Mapping[str, str]) -> str:
    """The SARIF category: the input, else one per workflow and job (``roadworthy/W/J/``), so
    that two jobs' uploads for one commit do not overwrite each other (a matrix, whose legs
    share a job id, needs the input). Always ending in ``/``, as GitHub's own categories do."""
    if given:
        return given if given.endswith("/") else given + "/"
    parts = [env.get("GITHUB_WORKFLOW", ""), env.get("GITHUB_JOB", "")]
    named = "/".join(p.strip().replace("/", "-") for p in parts if p.strip())
    return f"roadworthy/{named}/" if named else "roadworthy/"


def exit_code(report: Report, fail_on: str) -> int:
    """As ``roadworthy check`` decides it."""
    return report.exit_code(fail_on)


# -- the base revision in a shallow clone ----------------------------------------------------------


def ensure_revisions(root: Path, base: str, head: str, log: Log) -> tuple[str, str]:
    """Commit ids of ``base`` and ``head``, fetching from origin what a shallow clone lacks."""
    base_sha, head_sha = _ensure(root, base, "base", log), _ensure(root, head, "head", log)
    if _merge_base(root, base_sha, head_sha) or not _shallow(root):
        return base_sha, head_sha  # without a merge base in a full clone, check says so
    for depth in DEEPEN:
        log.info(f"roadworthy: no merge base in this shallow clone yet; git fetch --deepen={depth}")
        _fetch(root, [f"--deepen={depth}", "origin", base_sha, head_sha], base)
        if _merge_base(root, base_sha, head_sha):
            return base_sha, head_sha
    raise git.MissingRevision(
        f"the base {base_sha[:12]} and the head {head_sha[:12]} have no common ancestor within"
        f" {sum(DEEPEN) + FETCH_DEPTH} commits of this shallow clone; {FETCH_ADVICE}"
    )


def _ensure(root: Path, rev: str, what: str, log: Log) -> str:
    if not _SAFE_REV.fullmatch(rev):
        raise UsageError(f"the {what} revision {rev!r} is not a commit id or a ref name")
    sha = _present(root, rev)
    if sha is not None:
        return sha
    depth = [f"--depth={FETCH_DEPTH}"] if _shallow(root) else []
    log.info(f"roadworthy: the {what} revision {rev} is not in this clone; fetching it from origin")
    _fetch(root, [*depth, "origin", rev], rev)
    sha = _present(root, rev) or _present(root, "FETCH_HEAD")
    if sha is None:
        raise git.MissingRevision(f"revision {rev!r} is not in this clone; {FETCH_ADVICE}")
    return sha


def _present(root: Path, rev: str) -> str | None:
    try:
        git.run(["cat-file", "-e", f"{rev}^{{commit}}"], root)
        return git.run(["rev-parse", "--verify", f"{rev}^{{commit}}"], root).decode().strip()
    except git.GitCommandError:
        return None


def _fetch(root: Path, args: list[str], rev: str) -> None:
    try:
        git.run(["fetch", "--no-tags", "--quiet", *args], root, network=True)
    except git.GitCommandError as exc:
        raise git.MissingRevision(
            f"revision {rev!r} is not in this clone and `git fetch origin` could not get it"
            f" ({exc.git_message}); {FETCH_ADVICE}"
        ) from None


def _merge_base(root: Path, a: str, b: str) -> bool:
    try:
        git.run(["merge-base", a, b], root)
    except git.GitCommandError:
        return False
    return True


def _shallow(root: Path) -> bool:
    return git.run(["rev-parse", "--is-shallow-repository"], root).strip() == b"true"


# -- GitHub: reviews, teams, the sticky comment ----------------------------------------------------


def _client(
    inputs: ActionInputs, pull: PullRequest | None, notes: list[str], log: Log
) -> GitHubClient | None:
    if inputs.token is None:
        if pull is not None:
            said = "No github-token: pull-request reviews were not consulted"
            said += ", and no comment was posted" if inputs.comment else ""
            log.info(f"roadworthy: {said}")
            notes.append(said + ".")
        return None
    try:  # retries are announced in the log
        return GitHubClient(
            inputs.token, sleep=_sleep, notify=lambda t: log.info(f"roadworthy: {t}")
        )
    except GitHubError as exc:  # GITHUB_API_URL is not an API URL
        _warn(f"the GitHub API is not used: {exc}", notes, log)
        return None


def review_approvals(
    client: GitHubClient | None,
    pull: PullRequest,
    root: Path,
    base: str,
    notes: list[str],
    log: Log,
) -> tuple[tuple[str, ...], ...]:
    """Reviews approving the head commit: each reviewer's handle, then her CODEOWNERS teams."""
    if client is None:
        return ()
    try:
        reviews = client.list_reviews(pull.owner, pull.repo, pull.number)
    except GitHubError as exc:
        _warn(f"pull-request reviews were not consulted: {exc}", notes, log)
        return ()
    approving = approving_handles(reviews, pull.head_sha)
    if not approving:
        return ()
    teams_of: dict[str, list[str]] = {handle[1:].casefold(): [] for handle in approving}
    for team in codeowners_teams(root, base):
        org, _, slug = team[1:].partition("/")
        try:
            members = client.team_members(org, slug)
        except GitHubError as exc:
            _warn(f"team approvals could not be resolved for {team}: {exc}", notes, log)
            continue
        if not members.resolved:
            _warn(members.reason, notes, log)
            continue
        for login in {login.casefold() for login in members.logins} & set(teams_of):
            teams_of[login].append(team)
    # One reviewer stands for herself and her teams, and counts once (see verdict.Review).
    result = tuple((h, *teams_of[h[1:].casefold()]) for h in approving)
    shown = ", ".join(f"{r[0]} (of {', '.join(r[1:])})" if len(r) > 1 else r[0] for r in result)
    log.info(f"roadworthy: approving reviews of {pull.head_sha[:12]}: {shown}")
    return result


def codeowners_teams(root: Path, rev: str) -> list[str]:
    """The ``@org/team`` owners in the CODEOWNERS file GitHub uses at ``rev``."""
    from roadworthy.artifacts import ArtifactReader
    from roadworthy.workspace.commit import CommitTree

    objects = git.ObjectReader(root)
    try:
        codeowners = ArtifactReader(CommitTree(root, rev, objects)).codeowners()
    finally:
        objects.close()
    owners = {o for rule in codeowners.rules for o in rule.owners} if codeowners else set()
    return sorted((o for o in owners if o.startswith("@") and "/" in o), key=str.casefold)


def _comment(
    client: GitHubClient | None,
    pull: PullRequest | None,
    report: Report,
    footer: str,
    notes: list[str],
    log: Log,
    source: Source | None,
) -> None:
    if pull is None:
        _warn("no pull-request comment: this run is not for a pull request", notes, log)
        return
    if client is None:
        return
    room = markdown.COMMENT_LIMIT - len(COMMENT_MARKER) - 1 - len(footer.encode())
    body = f"{COMMENT_MARKER}\n{markdown.render(report, limit=room, source=source)}{footer}"
    try:
        url = client.upsert_comment(pull.owner, pull.repo, pull.number, log.clean(body))
    except GitHubError as exc:
        _warn(f"the pull-request comment was not posted: {exc}", notes, log)
        return
    log.info(f"roadworthy: pull-request comment: {url}")


def _warn(message: str, notes: list[str], log: Log) -> None:
    """An API problem: one warning line in the log, one note in the summary; the run goes on."""
    log.command("warning", message)
    notes.append(message[:1].upper() + message[1:])


def _with_notes(report: Report, notes: list[str]) -> Report:
    return report._replace(notes=(*report.notes, *notes))


# -- the files GitHub gives the step ---------------------------------------------------------------


def _footer(env: Mapping[str, str], judged: str) -> str:
    parts = [f"roadworthy {__version__}"]
    if judged:
        parts.append(f"`{judged}` under the base branch's policy")
    server, repository, run_id = (
        env.get(k) for k in ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_RUN_ID")
    )
    if server and repository and run_id and run_id.isdigit():
        parts.append(f"[workflow run]({server}/{repository}/actions/runs/{run_id})")
    return f"\n<sub>{' · '.join(parts)}</sub>\n"


def _append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8", newline="\n") as f:
        f.write(text)


def _set_outputs(env: Mapping[str, str], outputs: Mapping[str, object], log: Log) -> None:
    """``GITHUB_OUTPUT`` in the multi-line form, with a delimiter no value contains."""
    target = env.get("GITHUB_OUTPUT")
    if not target:
        return
    lines = []
    for name, value in outputs.items():
        text = log.clean(str(value))
        delimiter = f"ghadelimiter_{uuid.uuid4()}"
        assert delimiter not in text
        lines.append(f"{name}<<{delimiter}\n{text}\n{delimiter}\n")
    _append(Path(target), "".join(lines))

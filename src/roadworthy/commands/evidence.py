"""``roadworthy evidence``: a framework's clauses, per component, with what evidences each."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any, NamedTuple

from roadworthy.commands import cwd

if TYPE_CHECKING:
    import datetime as dt
    from pathlib import Path

    from roadworthy.pipeline import Repository


FORMATS = ("markdown", "json", "html")


class EvidenceOptions(NamedTuple):
    paths: tuple[str, ...]
    framework: str
    format: str
    output: str | None
    as_of: str | None
    policy: str | None
    cwd: Path


def add_parser(commands: Any, name: str) -> None:
    from roadworthy.formats.refs import PRESETS

    evidence = commands.add_parser(
        name, help="per component and framework clause: satisfied, failing, attested, ..."
    )
    evidence.add_argument("paths", nargs="*", metavar="PATH")
    evidence.add_argument("--framework", required=True, choices=sorted(PRESETS))
    evidence.add_argument("--format", choices=FORMATS, default="markdown")
    evidence.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    evidence.add_argument("--as-of", metavar="DATE", help="judge dates as of DATE (YYYY-MM-DD)")
    evidence.add_argument("--policy", metavar="FILE", help="policy file (default: roadworthy.yaml)")
    evidence.set_defaults(from_args=from_args, run=run)


def from_args(args: argparse.Namespace) -> EvidenceOptions:
    return EvidenceOptions(
        tuple(args.paths), args.framework, args.format, args.output, args.as_of, args.policy, cwd()
    )


def run(options: EvidenceOptions) -> int:
    import sys

    from roadworthy import pipeline
    from roadworthy.commands.check import _emit

    repo = pipeline.locate(options.paths, options.cwd)
    policy = pipeline.load_repository_policy(repo, options.policy, options.cwd)
    day = _as_of(options.as_of) or pipeline.today()
    evidence = collect(repo, policy, options.framework, day)
    text = _render(evidence, options.format)
    _emit(text, options.output, options.cwd, repo.root)
    counts = evidence.coverage()
    shown = ", ".join(f"{n} {status}" for status, n in counts.items() if n)
    print(f"roadworthy: {evidence.framework.name}: {shown or 'no clauses'}", file=sys.stderr)
    if not any(c.clauses for c in evidence.components):
        print(
            f"roadworthy: the policy in force cites no {evidence.framework.name} clause; "
            f"add `extends: [{options.framework}]` to roadworthy.yaml",
            file=sys.stderr,
        )
    return 0


def _render(evidence: Any, fmt: str) -> str:
    from roadworthy.evidence import html, render

    if fmt == "json":
        return render.render_json(evidence)
    if fmt == "html":
        return html.render_html(evidence)
    return render.render_markdown(evidence)


def _as_of(text: str | None) -> dt.date | None:
    if text is None:
        return None
    from roadworthy.errors import UsageError
    from roadworthy.formats.versions import parse_date

    day = parse_date(text)
    if day is None:
        raise UsageError(f"--as-of {text!r}: not a date (YYYY-MM-DD)")
    return day


def collect(repo: Repository, policy: Any, preset: str, day: dt.date) -> Any:
    """Run the full check as of ``day`` and gather the evidence around its findings."""
    from roadworthy import pipeline
    from roadworthy.artifacts import ArtifactReader
    from roadworthy.evidence import approvals, attestations, build
    from roadworthy.formats import refs
    from roadworthy.workspace import git
    from roadworthy.workspace.worktree import ArtifactError, WorkTree

    report = pipeline.check(repo, policy, as_of=day)
    paths = [c.path for c in report.components]
    files: dict[str, list[str]] = {p: [] for p in paths}
    blobs: dict[str, str] = {}
    commit = None
    if repo.is_git:
        commit = git.resolve(repo.root, "HEAD") if git.has_head(repo.root) else None
        for record in git.iter_z(["ls-files", "-s", "-z"], repo.root):
            meta, _, path = record.partition("\t")
            blobs[path] = meta.split(" ")[1]
    roots = set(paths)
    for path in blobs or _walk(repo.root):
        folder = path.rpartition("/")[0]
        while folder not in roots and folder:  # the deepest component folder holding it
            folder = folder.rpartition("/")[0]
        if folder in roots:
            files[folder].append(path)
    found: list[attestations.Attestation] = []
    problems: list[str] = []
    # Read as every artifact is: under the size cap, UTF-8, never through a link out.
    reader = ArtifactReader(WorkTree(repo.root, is_git=repo.is_git))
    for rel in sorted(build.attestation_files(paths)):
        try:
            text = reader.text(rel) if reader.tree.exists(rel) else None
        except ArtifactError:
            continue  # unreadable: RW001 or RW005 says so in the check
        if text is not None:
            items, wrong = attestations.parse(rel, text)
            found += items
            problems += [str(p) for p in wrong]
    standing = (
        approvals.judge_all(repo.root, repo.name, repo.only, policy, commit) if repo.is_git else {}
    )
    inputs = build.Inputs(
        report,
        policy,
        refs.FRAMEWORKS[refs.PRESETS[preset]],
        preset,
        day,
        commit,
        files,
        blobs,
        standing,
        found,
        problems,
        reader.locate,
    )
    return build.build(inputs)


def _walk(root: Path) -> list[str]:
    return [p.relative_to(root).as_posix() for p in sorted(root.rglob("*")) if p.is_file()]

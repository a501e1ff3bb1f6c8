"""Gather what the evidence report is built from: the full check's findings, each component's
files and their blob ids, the attestations, the approvals as change control judges them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from roadworthy import pipeline
from roadworthy.artifacts import ArtifactReader
from roadworthy.evidence import attestations, build
from roadworthy.evidence.approvals import judge_all
from roadworthy.findings import Report
from roadworthy.formats import refs
from roadworthy.pipeline import Repository
from roadworthy.policy.model import Policy
from roadworthy.workspace import git
from roadworthy.workspace.commit import CommitTree
from roadworthy.workspace.worktree import ArtifactError, WorkTree


def collect(
    repo: Repository,
    policy: Policy,
    preset: str,
    day: dt.date,
    report: Report | None = None,
    *,
    approvals: bool = True,
) -> build.Evidence:
    """The evidence around a full check as of ``day`` (``report``: that check, already run).
    ``approvals``: judge each component's ledger too (not needed for coverage counts)."""
    if report is None:
        report = pipeline.check(repo, policy, as_of=day)
    paths = [c.path for c in report.components]
    files: dict[str, list[str]] = {p: [] for p in paths}
    blobs: dict[str, str] = {}
    commit = None
    committed: dict[str, str] = {}  # path → blob id in the commit
    if repo.is_git:
        commit = git.head_commit(repo.root)
        for record in git.iter_z(["ls-files", "-s", "-z"], repo.root):
            meta, _, path = record.partition("\t")
            blobs[path] = meta.split(" ")[1]
        if commit is not None:
            for record in git.iter_z(["ls-tree", "-r", "-z", commit], repo.root):
                meta, _, path = record.partition("\t")
                committed[path] = meta.split(" ")[2]
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

    def blob(path: str) -> tuple[str | None, bool | None]:
        """The blob id of the bytes the check read (the work tree's, not the index's: what
        is judged is what is on disk), and whether the commit holds them."""
        if not repo.is_git:
            return None, None
        try:
            data = reader.tree.read_bytes(path)
        except (ArtifactError, OSError):
            return blobs.get(path), None
        sha256 = commit is not None and len(commit) == 64  # the repository's object format
        own = git.blob_id(data, sha256=sha256)
        return own, (committed.get(path) == own) if commit is not None else None

    problems += _uncommitted_policy(repo.root, commit, reader, policy)
    for rel, text in _attestation_texts(repo.root, commit, reader, paths, problems):
        items, wrong = attestations.parse(rel, text)
        found += items
        problems += [str(p) for p in wrong]
    standing = (
        judge_all(repo.root, repo.name, repo.only, policy, commit)
        if repo.is_git and approvals
        else {}
    )
    inputs = build.Inputs(
        report,
        policy,
        refs.FRAMEWORKS[refs.PRESETS[preset]],
        preset,
        day,
        commit,
        files,
        blob,
        standing,
        found,
        problems,
        reader.locate,
    )
    return build.build(inputs)


def _uncommitted_policy(
    root: Path, commit: str | None, disk: ArtifactReader, policy: Policy
) -> list[str]:
    """The policy judges everything in the report, the commit's approvals included: a policy
    file that differs from the commit's is said, so no one reads the verdicts as the commit's."""
    if commit is None:
        return []
    out = []
    for source in policy.sources:
        if source.startswith(("preset:", "(", "/")):
            continue  # a shipped preset, or a file named on the command line
        if _text(disk, source) != git.committed_text(root, commit, source):
            out.append(
                f"{source}: changed on disk and not committed; this report judges with the "
                "policy as it is on disk, which the commit does not hold"
            )
    return out


def _attestation_texts(
    root: Path, commit: str | None, disk: ArtifactReader, paths: list[str], problems: list[str]
) -> list[tuple[str, str]]:
    """The attestations files as the commit the report names holds them (as its approvals
    are), read as every artifact is (size cap, UTF-8, links inside the repository followed):
    one written or edited on disk and not committed attests nothing yet, and says so."""
    objects = git.ObjectReader(root) if commit is not None else None
    committed = ArtifactReader(CommitTree(root, commit, objects)) if objects and commit else None
    out = []
    try:
        for rel in sorted(attestations.attestation_files(paths)):
            on_disk = _text(disk, rel)
            if committed is None:
                text = on_disk
            else:
                text = _text(committed, rel)
                if on_disk != text:
                    problems.append(
                        f"{rel}: not committed; it attests nothing until it is"
                        if text is None
                        else f"{rel}: changed on disk and not committed; "
                        "the report reads the committed file"
                    )
            if text is not None:
                out.append((rel, text))
    finally:
        if objects is not None:
            objects.close()
    return out


def _text(reader: ArtifactReader, rel: str) -> str | None:
    try:
        return reader.text(rel) if reader.tree.exists(rel) else None
    except ArtifactError:
        return None  # unreadable: RW001 or RW005 says so in the check


def _walk(root: Path) -> list[str]:
    return [p.relative_to(root).as_posix() for p in sorted(root.rglob("*")) if p.is_file()]

"""The evaluation evidence a component carries, and whether it is of the current weights.

An evaluation report names the digest of the weights it evaluated; it counts when every
weights entry it names matches the component's current weights. A card's ``model-index`` names
no weights: it counts when the commit that last changed its results is the commit that last
changed the weights or descends from it (in diff mode, a change that updates the weights must
update the results too).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from roadworthy.artifacts import ArtifactReader
from roadworthy.findings import Problem
from roadworthy.formats import evaluation, packaged
from roadworthy.formats.validation import Validator, format_path
from roadworthy.gates.weights import Digests
from roadworthy.metadata import Component
from roadworthy.policy.model import Candidate, Policy
from roadworthy.records import NamedTuple
from roadworthy.workspace import git
from roadworthy.workspace.worktree import ArtifactError, Tree, WorkTree

if TYPE_CHECKING:
    from roadworthy.change.view import ChangeView

REPORT = "report"
MODEL_INDEX = "model-index"


class Evidence(NamedTuple):
    path: str  # the report or the card
    kind: str  # REPORT or MODEL_INDEX
    metrics: tuple[evaluation.Metric, ...]
    samples: int | None
    window: tuple[dt.date, dt.date] | None
    stale: str | None  # why it is not evidence for the current weights; None: it is


class Collected(NamedTuple):
    evidence: tuple[Evidence, ...]
    invalid: tuple[Problem, ...]  # reports that are not valid against the shipped schema

    @property
    def current(self) -> tuple[Evidence, ...]:
        return tuple(e for e in self.evidence if e.stale is None)


@lru_cache(maxsize=1)
def report_validator() -> Validator:
    import json

    return Validator(json.loads(packaged.read_text("schemas", "evaluation.schema.json")))


def collect(
    component: Component,
    reader: ArtifactReader,
    policy: Policy,
    report_candidates: Sequence[Candidate],
    change: ChangeView | None,
) -> Collected:
    digests = Digests(component, reader, policy)
    found: list[Evidence] = []
    invalid: list[Problem] = []
    path = _structured_report(component, reader, report_candidates)
    if path is not None:
        try:
            data = reader.yaml(path).data
        except ArtifactError:
            data = _UNREADABLE  # RW001 reports the file; it is no evidence
        problems = list(_invalid(reader, path, data)) if data is not _UNREADABLE else []
        if data is _UNREADABLE:
            pass  # no evidence from it
        elif problems:
            invalid += problems
        else:
            found.append(_from_report(path, evaluation.read_report(data), digests))
    card = component.card
    if card is not None and card.endswith((".md", ".markdown")):
        front = reader.front_matter(card)
        if front is not None and evaluation.has_model_index(front):
            metrics = evaluation.model_index_metrics(front)
            stale = _card_stale(reader, card, digests, change)
            found.append(Evidence(card, MODEL_INDEX, metrics, None, None, stale))
    return Collected(tuple(found), tuple(invalid))


STRUCTURED = (".yaml", ".yml", ".json")
_UNREADABLE = object()


def _structured_report(
    component: Component, reader: ArtifactReader, candidates: Sequence[Candidate]
) -> str | None:
    """The first evaluation report roadworthy can read: a policy may name a Markdown write-up
    its ``evaluation_report`` too (for co-change rules), which is prose, not evidence."""
    for candidate in candidates:
        path = reader.locate(component.path, component.found.files, (candidate,))
        if path is not None and path.lower().endswith(STRUCTURED):
            return path
    return None


def _invalid(reader: ArtifactReader, path: str, data: object) -> Iterator[Problem]:
    issues = report_validator().issues(data)
    for issue in issues[:20]:
        where = format_path(issue.path) or "the document"
        yield Problem(
            f"not a valid evaluation report: {where}: {issue.message}",
            path=path,
            line=reader.line_of(path, issue.path),
            fix=f"correct {where} (`roadworthy schema evaluation` prints the format)",
        )
    if not issues and isinstance(data, dict):
        message = evaluation.window_problem(data)
        if message is not None:
            line = reader.line_of(path, ("window",))
            yield Problem(f"not a valid evaluation report: {message}", path=path, line=line)


def _from_report(path: str, report: evaluation.Report, digests: Digests) -> Evidence:
    stale = _report_stale(report, digests)
    return Evidence(path, REPORT, report.metrics, report.samples, report.window, stale)


def _report_stale(report: evaluation.Report, digests: Digests) -> str | None:
    current = digests.all()
    if not current:
        return "the component has no weights file to match its weights digest with"
    covered: set[str] = set()
    for ref in report.weights:
        short = _short(ref.digest)
        if ref.path is not None:
            now = digests.of(ref.path)
            if now is None:
                return f"it evaluated {ref.path} ({short}), which the component no longer has"
            if now != ref.digest:
                return f"it evaluated {ref.path} {short}; the current weights are {_short(now)}"
            covered.add(digests.full(ref.path))
        else:
            same = {p for p, d in current.items() if d == ref.digest}
            if not same:
                names = ", ".join(f"{digests.relative(p)} {_short(d)}" for p, d in current.items())
                return f"it evaluated weights {short}; the current weights are {names}"
            covered |= same
    # A sharded model is all its files: new bytes in one the report does not name are weights
    # it did not evaluate.
    missing = sorted(set(current) - covered)
    if missing:
        first = missing[0]
        return (
            f"it does not cover {digests.relative(first)} ({_short(current[first])}), which the "
            "component also serves: name every weights file in `weights`"
        )
    return None


def _has_history(tree: Tree) -> bool:
    """A git work tree with a commit, or a commit or index tree (`GitTree` reads objects)."""
    if isinstance(tree, WorkTree):
        return tree.is_git and git.has_head(tree.root)
    if not hasattr(tree, "objects"):
        return False
    rev = getattr(tree, "rev", None)  # None: the index, judged against HEAD
    return rev != git.EMPTY_TREE if rev is not None else git.has_head(tree.root)


def _short(digest: str) -> str:
    algorithm, _, value = digest.partition(":")
    return f"{algorithm}:{value[:12]}"


def _card_stale(
    reader: ArtifactReader, card: str, digests: Digests, change: ChangeView | None
) -> str | None:
    """Whether the card's ``model-index`` predates the weights. It names no digest, so it counts
    for the current weights only when its results (not just the card: a promotion edits the
    card too; nor the model's name) were written by the commit that last changed the weights or
    by one that descends from it."""
    weights = digests.watched()
    if not weights:
        return None
    current = _results(_model_index(reader.front_matter(card)))
    if change is not None:
        moved = sorted(set(weights) & change.changed_paths())
        if moved:
            before = None
            if change.base.tree.exists(card):
                try:
                    before = _results(_model_index(change.base.front_matter(card)))
                except ArtifactError:
                    before = None
            if before == current:
                return (
                    f"the change updates {moved[0]} but not the results in the card's model-index"
                )
    return _history_stale(reader, card, weights, current)


def _history_stale(
    reader: ArtifactReader, card: str, weights: list[str], current: Any
) -> str | None:
    tree = reader.tree
    if not _has_history(tree):
        return "without git history roadworthy cannot tell that it describes the current weights"
    rev = getattr(tree, "rev", None) or "HEAD"  # the work tree and the index build on HEAD
    newest_weights = git.last_commit(tree.root, rev, weights)
    if newest_weights is None:
        return None
    if _results(_model_index_at(tree.root, rev, card)) != current:
        return None  # results not yet committed: written with, or after, the last weights
    written = _results_commit(tree.root, rev, card, current)
    # An ancestor, not an older date: results refreshed on a parallel branch describe the
    # weights that branch had, whatever the order of the commits once merged.
    if written is not None and git.is_ancestor(tree.root, newest_weights, written):
        return None
    where = f"commit {written[:12]}" if written else "no commit roadworthy can find"
    return (
        f"the weights changed in commit {newest_weights[:12]}, and the results in the card's "
        f"model-index come from {where}, which does not descend from it"
    )


# How far back through commits that left the results alone the search goes; past it, the
# commit reached stands in (an older commit is, if anything, staler).
_MAX_STEPS = 200


def _results_commit(root: Path, rev: str, card: str, results: Any) -> str | None:
    """The commit that wrote ``results`` into the card as ``rev`` has them: back through the
    commits that left them as they were (a rename, an edit of the prose, a merge taking them
    from one side)."""
    commit = git.last_commit(root, rev, [card])
    for _ in range(_MAX_STEPS):
        if commit is None:
            return None
        same = [
            p
            for p in git.parents(root, commit)
            if _results(_model_index_at(root, p, card)) == results
        ]
        if not same:
            return commit
        commit = git.last_commit(root, same[0], [card])
    return commit


def _results(model_index: Any) -> Any:
    """What a model-index says about the weights: everything but each model's ``name``."""
    if not isinstance(model_index, list):
        return model_index
    return [
        {k: v for k, v in m.items() if k != "name"} if isinstance(m, Mapping) else m
        for m in model_index
    ]


_ABSENT = object()


def _model_index(front: Mapping[str, Any] | None) -> Any:
    return front.get(MODEL_INDEX) if isinstance(front, Mapping) else None


def _model_index_at(root: Path, rev: str, card: str) -> Any:
    """The card's model-index at ``rev``; `_ABSENT` when the card (or the revision) is not there."""
    from roadworthy.formats import markdown, yamlio

    proc = git.run_full(["cat-file", "blob", f"{rev}:{card}"], root)
    if proc.returncode != 0:
        return _ABSENT
    doc = markdown.parse(proc.stdout.decode("utf-8", "replace"))
    if doc.front_matter is None:
        return None
    try:
        return _model_index(yamlio.load(doc.front_matter.text).data)
    except yamlio.YamlError:
        return None

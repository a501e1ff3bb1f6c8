"""Rules × components → findings. The only place that decides scope and stamps codes.

Components are evaluated one at a time and the parsed artifacts are dropped after each, so
memory grows with the largest component, not with the repository. A full check of many
components splits them among forked workers (``Inputs.jobs``); a component's result depends on
nothing evaluated before it, and the files none could read are settled here in component
order, so the report is the same for every number of workers.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Collection, Hashable, Iterable, Iterator, Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from roadworthy import __version__, waivers
from roadworthy.artifacts import ArtifactReader, documented_above
from roadworthy.checks import CHECKS
from roadworthy.checks.base import Context
from roadworthy.discovery import (
    Discovered,
    Found,
    discover,
    kept_layout,
    listed_roots,
    looked_for,
)
from roadworthy.findings import (
    NO_SPAN,
    ComponentResult,
    CriterionResult,
    DiscoveryInfo,
    Finding,
    PolicyInfo,
    Problem,
    Report,
    WaiverInfo,
    readiness,
)
from roadworthy.formats import yamlio
from roadworthy.formats.codeowners_file import CANDIDATE_PATHS
from roadworthy.metadata import Component, Metadata, in_scope, resolve
from roadworthy.policy.model import Policy, Rule
from roadworthy.records import NamedTuple
from roadworthy.workspace.commit import CommitTree
from roadworthy.workspace.listing import folders_of
from roadworthy.workspace.revtree import ATTESTATIONS
from roadworthy.workspace.worktree import ArtifactError, Tree

if TYPE_CHECKING:
    from roadworthy.change.view import ChangeInputs, ChangeView, HeadPolicy
    from roadworthy.discovery import Layout
    from roadworthy.workspace.changes import Change


_FIX_ATTEST = "correct the entry (`roadworthy schema attestations` prints its schema)"

# Below this many components a full check stays in one process: forking and collecting the
# workers costs more than it saves (measured in docs/benchmarks.md).
PARALLEL_FROM = 100
WARM_UP = 8  # components checked before the workers are forked (see chunk_bounds)
LAST_CHUNK = 8  # the fewest components a chunk of a parallel check has, but the last


class CheckCrash(Exception):
    """A check raised something unexpected: a bug, reported with the rule and component."""

    @classmethod
    def of(cls, rule: Rule, component: Component) -> CheckCrash:
        # One plain message: the exception survives the trip from a worker process.
        return cls(
            f"check {rule.check!r} crashed (rule={rule.code}, component={component.path or '.'})"
        )


class Checked(NamedTuple):
    """One component's evaluation, as a worker process sends it back."""

    meta: Metadata  # ``sources`` as a plain dict: a mapping proxy does not pickle
    card: str | None
    findings: tuple[Finding, ...]  # RW001 aside: see ``unreadable``
    rules: tuple[str, ...]  # codes of the rules that applied
    stopped: tuple[str, ...]  # codes of the rules that stopped on a file they could not read
    # Files its evaluation could not read and no earlier component of the same process had
    # failed on: (path, message, line). Which component reports each is settled in order.
    unreadable: tuple[tuple[str, str, int | None], ...]
    # What the checks remembered for the rest of the run (a stage's assessment, which the
    # report's gate reads), when it comes from a worker: the parent had no part in it.
    memo: tuple[tuple[Hashable, bytes], ...] = ()  # pickled values (see _portable)
    # Whether the component's folder holds an ATTESTATIONS.yaml (RW005 reads it): asked here,
    # in the worker, not 10,000 times over in the parent once the workers are done.
    attested: bool = False

    def component(self, found: Found) -> Component:
        meta = self.meta._replace(sources=MappingProxyType(dict(self.meta.sources)))
        return Component(found, meta, self.card)


class Inputs(NamedTuple):
    policy: Policy
    tree: Tree
    today: dt.date
    repo_name: str
    only: Sequence[str] | None = None  # restrict to the components owning these paths
    change: ChangeInputs | None = None
    jobs: int = 1  # worker processes for a full check of PARALLEL_FROM components or more


def run(inputs: Inputs) -> Report:
    if inputs.change is None:
        discovered = discover(inputs.tree, inputs.policy.discovery, inputs.repo_name, inputs.only)
        return evaluate(inputs, discovered)
    from roadworthy.change.view import ChangeView
    from roadworthy.workspace.changes import changed_folders

    # Diff mode lists the files of the touched components only: its cost follows the change.
    view = ChangeView(inputs.policy, inputs.change)
    changes = inputs.change.changes.changes
    folders = changed_folders(changes)  # (10,000 paths at 500k files: made once)
    touched, touches = touching(changes)
    spec, name, only = inputs.policy.discovery, inputs.repo_name, inputs.only
    markers = inputs.change.head_markers
    # Names and roots are settled over every marker of the head: kept between runs.
    kept, guessed = inputs.change.kept, inputs.change.guessed
    layout = None if markers is None else kept_layout(markers, spec, name, kept, guessed)
    base, head = view.changes.base, inputs.tree
    chosen: Callable[[str], bool] = touches
    try:
        if layout is not None and only is None:
            chosen = list_touched(layout, changes, base, head).__contains__
        discovered = discover(head, spec, name, only, chosen, markers, layout)
        linking = folders_of(view.find_links()) - touched  # links to what changed
        # Components a serving link outside them was re-pointed to or away from.
        ends = [t for r in view.relinked() for t in (r.old, r.new) if t is not None]
        # Components a DVC file outside them records new content for (a root dvc.lock).
        ends += [r.target for r in view.dvc_moved()[0]]
        linking |= folders_of(ends) | set(ends)
        # A root target (a root DVC file that cannot be read: fail closed) reaches every one.
        if linking - touched or "" in ends:
            wanted = touched | linking

            def select(root: str) -> bool:
                return (
                    touches(root)
                    or root in wanted
                    or any(not t or root.startswith(f"{t}/") for t in ends)
                )

            discovered = discover(inputs.tree, spec, name, only, select, markers, layout)
        return evaluate_change(inputs, view, discovered, folders)
    finally:
        base.drop_expected()  # (when nothing read it)
        if isinstance(head, CommitTree):
            head.drop_expected()


def touching(changes: tuple[Change, ...]) -> tuple[frozenset[str], Callable[[str], bool]]:
    """The folders a change touches (a submodule too, which is a component of its own), and
    whether it touches the component in a folder: made once per change set."""
    from roadworthy.workspace.changes import changed_folders, changed_paths, per_change_set

    def make() -> tuple[frozenset[str], Callable[[str], bool]]:
        touched = changed_folders(changes) | {c.path for c in changes if c.is_gitlink}
        # A weights folder's card may sit in the folder above it (`documented_above`): a
        # change to a file there (a stage promoted in that card) touches the component too.
        holding = {p.rpartition("/")[0] for p in changed_paths(changes)}

        def touches(root: str) -> bool:
            # Asked of every root (10,000 at 500k files, twice): the set lookups first.
            return root in touched or (
                root.rpartition("/")[0] in holding and documented_above(root)
            )

        return touched, touches

    return per_change_set("touching", changes, make)


def list_touched(
    layout: Layout, changes: tuple[Change, ...], base: CommitTree, head: Tree
) -> set[str]:
    """The component folders ``changes`` touches in ``layout``, which git starts listing on
    both sides now, while this process does other work (`CommitTree.expect_files_under`):
    the pipeline as soon as git's diff is read, on the layout it guessed (a listing started
    already is not started again), else `run` once the layout is known."""
    _, touches = touching(changes)
    touched_roots = {root for root in layout.roots if touches(root)}
    if isinstance(head, CommitTree):
        head.expect_files_under(listed_roots(layout, touched_roots))
    base.expect_files_under(touched_roots)
    return touched_roots


def evaluate(inputs: Inputs, discovered: Discovered) -> Report:
    reader = ArtifactReader(inputs.tree)
    ctx = Context(reader, inputs.policy, inputs.today)
    engine = _Engine(inputs.policy, ctx)
    found = discovered.components
    checked = _check_all(engine, found, inputs.jobs)
    findings = engine.settle(found, checked)
    attested = {f.path for f, c in zip(found, checked, strict=True) if c.attested}
    findings += engine.repository_findings(discovered, attested=attested)
    partial = inputs.only is not None
    components = [c.component(f) for f, c in zip(found, checked, strict=True)]
    report = _report(inputs, engine, components, findings, partial=partial)
    excluded = discovered.excluded
    info = DiscoveryInfo(
        looked_for(inputs.policy.discovery),
        tuple(marker for marker, _ in excluded),
        tuple(folder for _, folder in excluded),
    )
    return report._replace(discovery=info)


def _check_all(engine: _Engine, found: Sequence[Found], jobs: int) -> list[Checked]:
    from roadworthy import forkpool  # a serial run (diff mode, a hook) never needs it

    if jobs < 2 or len(found) < PARALLEL_FROM or not forkpool.available():
        return [engine.check_component(f) for f in found]
    bounds = chunk_bounds(len(found), jobs)

    store = yamlio.installed()
    kept = store if isinstance(store, yamlio.Handover) else None  # documents kept between runs

    def chunk(i: int) -> tuple[list[Checked], dict[str, bytes]]:
        part = found[bounds[i] : bounds[i + 1]]
        checked = [engine.check_component(f, keep_memo=True) for f in part]
        # What a worker parsed goes back to this process, which writes the kept documents.
        return checked, kept.take_new() if kept is not None else {}

    parts = forkpool.run(chunk, len(bounds) - 1, jobs)
    checked = [c for part, _ in parts for c in part]
    if kept is not None:
        for _, documents in parts:
            kept.adopt(documents)
    import pickle

    for result in checked:
        for key, data in result.memo:  # as if this process had computed it
            engine.ctx.memo(key, functools.partial(_same, pickle.loads(data)))
    return checked


def chunk_bounds(count: int, jobs: int) -> list[int]:
    """Where the chunks of a parallel check of ``count`` components begin and end.

    The first chunk is checked before the workers are forked, so that what every component
    needs (the compiled schema, CODEOWNERS parsed, modules imported on first use) is inherited
    rather than made again in each: a few components do that. Then each chunk is a share of
    what is left (guided scheduling): large while much is left, a few components at the end, so
    that the processes finish together. With equal chunks (a sixteenth of a process's share) a
    worker could be left with two of them in flight while the others waited: 70 ms of 2.7 s at
    10,000 components. A chunk costs a round trip of well under a millisecond."""
    share = max(1, count // (jobs * 4))
    smallest = min(LAST_CHUNK, share)  # a few components have a chunk each
    bounds = [0, min(WARM_UP, share, count)]
    while bounds[-1] < count:
        left = count - bounds[-1]
        bounds.append(min(count, bounds[-1] + max(smallest, left // (jobs * 4))))
    return bounds


def _same(value: Any) -> Any:
    return value


def evaluate_change(
    inputs: Inputs, view: ChangeView, discovered: Discovered, touched_paths: Collection[str]
) -> Report:
    """``touched_paths``: the folders holding a changed path (`folders_of`)."""
    policy = inputs.policy
    change = view.inputs
    head, base = view.head, view.base
    ctx = Context(head, policy, inputs.today, change=view)
    engine = _Engine(policy, ctx, diff=True)
    touched = list(discovered.components)  # discovery selected the touched ones
    view.prefetch(touched)
    components: list[Component] = []
    findings: list[Finding] = []
    for found in touched:
        component = resolve(found, head, policy)
        components.append(component)
        findings += engine.component_findings(component)
    for found in view.removed_components(set(discovered.roots), set(discovered.names)):
        component = resolve(found, base, policy)
        components.append(component)
        findings += engine.component_findings(component, diff_only=True)
    undeclared = tuple(m for m in discovered.undeclared if m.rpartition("/")[0] in touched_paths)
    findings += engine.repository_findings(
        Discovered((), undeclared), codeowners=bool(view.changed_paths() & set(CANDIDATE_PATHS))
    )
    # Components the change brings (the base had none there): their attestations start to count.
    added = [c.path for c in components[: len(touched)] if view.before(c) is None]
    findings += engine.governance_findings(
        view, change.head_policy, findings, discovered.roots, added
    )
    return _report(inputs, engine, components, findings, partial=True)


def _report(
    inputs: Inputs,
    engine: _Engine,
    components: list[Component],
    findings: list[Finding],
    *,
    partial: bool,
) -> Report:
    policy = inputs.policy
    evaluated = {c.name for c in components}
    # Before waivers: a waiver of the stage's own finding must count as used.
    findings = findings + engine.requirements(components, findings)
    findings, waiver_findings = waivers.apply(
        findings, policy, inputs.today, engine.builtin, evaluated=evaluated if partial else None
    )
    findings += waiver_findings
    by_component: dict[str, list[Finding]] = {}
    for finding in findings:
        by_component.setdefault(finding.component or "", []).append(finding)
    # After waivers: a waived warning is no risk left to accept.
    signed = engine.signoffs(components, by_component)
    return Report(
        tool_version=__version__,
        policy=PolicyInfo(policy.sources, policy.digest),
        components=tuple(
            _result(
                c,
                by_component.get(c.name, []),
                engine.applied.get(c.name),
                engine.stopped.get(c.name, ()),
                engine.ctx,
                signed=c.name in signed,
                required=engine.required.get(c.name, ()),
            )
            for c in components
        ),
        findings=tuple(sorted(f for fs in by_component.values() for f in fs)),
        rules=tuple(r.info() for r in policy.rules if r.enabled),
        waivers=tuple(
            WaiverInfo(w.id, w.owner, w.reason, w.expires.isoformat()) for w in policy.waivers
        ),
        repository_rules=engine.repository_rules(),
        date=inputs.today.isoformat(),
    )


class _Engine:
    def __init__(self, policy: Policy, ctx: Context, *, diff: bool = False) -> None:
        self.policy = policy
        self.ctx = ctx
        self.diff = diff
        self.applied: dict[str, tuple[str, ...]] = {}  # component name → codes of rules run
        self.stopped: dict[str, tuple[str, ...]] = {}  # … of rules an unreadable file stopped
        self.builtin = {r.code: r for r in policy.rules if r.check == "builtin"}
        # Rules whose check needs a change set run only in diff mode.
        self.rules = [
            r
            for r in policy.rules
            if r.enabled and r.check != "builtin" and (diff or not CHECKS[r.check].NEEDS_DIFF)
        ]
        self.reported: set[str] = set()
        # component name → its stage's ``requires`` as judged: (criterion, reported by a rule)
        self.required: dict[str, tuple[tuple[CriterionResult, bool], ...]] = {}

    def check_component(self, found: Found, *, keep_memo: bool = False) -> Checked:
        """A component of a full check, from its files alone (see ``Checked.unreadable``);
        ``keep_memo``: with what its checks remembered, for a worker to send back."""
        reader, ctx = self.ctx.reader, self.ctx
        known, remembered = len(reader.errors), set(ctx.remembered()) if keep_memo else set()
        component = resolve(found, reader, self.policy)
        findings = self.checked(component)
        failed = list(reader.errors.values())[known:]
        reader.clear()
        meta = component.meta
        attested = bool(found.path) and self.builtin_enabled("RW005")
        return Checked(
            meta._replace(sources=dict(meta.sources)),
            component.card,
            tuple(findings),
            self.applied[found.name],
            self.stopped[found.name],
            tuple((e.path, e.message, e.line) for e in failed),
            _portable(ctx, remembered) if keep_memo else (),
            attested and reader.tree.exists(f"{found.path}/{ATTESTATIONS}"),
        )

    def settle(self, found: Sequence[Found], checked: Sequence[Checked]) -> list[Finding]:
        """The components' findings in order, each unreadable file reported once, by the first
        component that could not read it (whichever process evaluated it)."""
        out: list[Finding] = []
        errors = self.ctx.reader.errors
        errors.clear()  # in one process they were all read already; replayed in order here
        for component, result in zip(found, checked, strict=True):
            self.applied[component.name] = result.rules
            self.stopped[component.name] = result.stopped
            for path, message, line in result.unreadable:
                errors.setdefault(path, ArtifactError(path, message, line))
            out += result.findings
            out += [f for f in self._unparseable(component) if self.builtin_enabled(f.code)]
        return out

    def component_findings(self, component: Component, *, diff_only: bool = False) -> list[Finding]:
        out = self.checked(component, diff_only=diff_only)
        unreadable = self._unparseable(component.found)
        return out + [f for f in unreadable if self.builtin_enabled(f.code)]

    def checked(self, component: Component, *, diff_only: bool = False) -> list[Finding]:
        """The component's findings but RW001 for the files its checks could not read."""
        metadata = [] if diff_only else component.meta.problems
        out = [self.stamp(self.builtin["RW004"], p, component.found) for p in metadata]
        applied = ["RW001"] if diff_only else ["RW001", "RW004"]
        stopped = []
        for rule in self.rules:
            if diff_only and not CHECKS[rule.check].NEEDS_DIFF:
                continue
            if not in_scope(rule.scope, component):
                continue
            check = CHECKS[rule.check]
            try:
                # One at a time: what a check found before an unreadable file still counts.
                for problem in check.check(component, self.ctx, rule.options):
                    out.append(self.stamp(rule, problem, component.found))
            except ArtifactError:
                # The reader remembered it; reported as RW001 below. The rule did not finish:
                # it is not counted as applied, so a clause it cites never reads "looked and
                # found nothing".
                stopped.append(rule.code)
                continue
            except Exception as exc:
                raise CheckCrash.of(rule, component) from exc
            applied.append(rule.code)
        self.applied[component.name] = tuple(c for c in applied if self.builtin_enabled(c))
        self.stopped[component.name] = tuple(stopped)
        return [f for f in out if self.builtin_enabled(f.code)]

    def signoffs(
        self, components: list[Component], by_component: dict[str, list[Finding]]
    ) -> set[str]:
        """Components whose yellows a valid sign-off accepts; RW411 added to ``by_component``
        for those over the policy's limit without one."""
        if self.policy.readiness.max_yellow is None or not self.builtin_enabled("RW411"):
            return set()
        from roadworthy.gates.signoff import judge

        signed: set[str] = set()
        for component in components:
            if self.ctx.change is not None and self.ctx.change.is_removed(component):
                continue
            own = by_component.setdefault(component.name, [])
            judgement = judge(component, own, self.policy, self.ctx.reader, self.ctx.change)
            if judgement.signed:
                signed.add(component.name)
            if judgement.problem is not None:
                own.append(self.stamp(self.builtin["RW411"], judgement.problem, component.found))
        return signed

    def requirements(self, components: list[Component], findings: list[Finding]) -> list[Finding]:
        """RW207 (and RW410 for a promotion) for each rule a component's stage ``requires`` that
        has an unwaived finding on it; each component's results are kept for its gate."""
        gates = self.policy.stages.values()
        if not any(c.requires for g in gates for c in (g.criteria, *g.for_risk.values())):
            return []
        from roadworthy.gates import requires

        today, builtin = self.ctx.today, self.builtin
        marked, _ = waivers.apply(findings, self.policy, today, builtin)  # which are waived
        by_component: dict[str | None, list[Finding]] = {}
        for finding in marked:
            by_component.setdefault(finding.component, []).append(finding)
        out = []
        for component in components:
            if self.ctx.change is not None and self.ctx.change.is_removed(component):
                continue
            judged = requires.judge(component, self.policy, by_component.get(component.name, []))
            rules = requires.reporters(component, self.ctx, self.applied.get(component.name, ()))
            for required in judged:
                for rule in rules if not required.met else ():
                    problem = requires.problem(component, self.ctx, required, rule)
                    out.append(self.stamp(rule, problem, component.found))
            self.required[component.name] = tuple((r.result(), bool(rules)) for r in judged)
        return out

    def repository_rules(self) -> tuple[str, ...]:
        """The engine's own rules that judged the repository as a whole in this mode."""
        codes = ["RW001", "RW002", "RW003", "RW105"]
        if any(r.check == "codeowners" for r in self.rules):
            codes.append("RW302")
        if self.diff:
            codes += ["RW406", "RW407", "RW408", "RW409"]
        return tuple(c for c in codes if c in self.builtin and self.builtin_enabled(c))

    def builtin_enabled(self, code: str) -> bool:
        rule = self.builtin.get(code)
        return rule is None or rule.enabled

    def _unparseable(self, found: Found | None) -> Iterator[Finding]:
        for path, error in sorted(self.ctx.reader.errors.items()):
            if path in self.reported:
                continue
            self.reported.add(path)
            fix = f"fix {path}" + (f" at line {error.line}" if error.line else "")
            problem = Problem(error.message, path=path, line=error.line, fix=fix)
            yield self.stamp(
                self.builtin["RW001"], problem, found if found and path in found.files else None
            )

    def governance_findings(
        self,
        view: ChangeView,
        head_policy: HeadPolicy,
        findings: list[Finding],
        roots: Collection[str],
        added: Collection[str] = (),
    ) -> list[Finding]:
        from roadworthy.change import governance

        active = [f for f in findings if f.active]
        approved, unapproved = governance.review(view, head_policy, roots, added)
        produced = [
            ("RW406", governance.weakened(view, head_policy, approved)),
            ("RW407", unapproved),
            ("RW408", governance.self_granted(view, head_policy, active)),
            ("RW409", governance.ledger_edits(view)),
        ]
        out = [
            self.stamp(self.builtin[code], p, None) for code, problems in produced for p in problems
        ]
        out += self._unparseable(None)
        return [f for f in out if self.builtin_enabled(f.code)]

    def repository_findings(
        self,
        discovered: Discovered,
        *,
        codeowners: bool = True,
        attested: set[str] | None = None,
    ) -> list[Finding]:
        """``attested``: the component folders known to hold an ATTESTATIONS.yaml (`Checked`),
        when every component of ``discovered`` was checked; else each is asked of the tree."""
        out: list[Finding] = []
        for marker in discovered.undeclared:
            folder, _, name = marker.rpartition("/")
            folder = folder or "."
            problem = Problem(
                f"{folder} looks like a model ({name}) but no declared component covers it",
                path=marker,
                line=1,
                fix=f"declare it under components.declare (path: {folder}) or exclude it",
            )
            out.append(self.stamp(self.builtin["RW105"], problem, None))
        parsed = self.ctx.codeowners() if codeowners else None
        if parsed is not None and any(r.check == "codeowners" for r in self.rules):
            for syntax in parsed.problems:
                problem = Problem(
                    syntax.message,
                    path=parsed.path,
                    line=syntax.line,
                    fix="correct the line; GitHub ignores it as written",
                )
                out.append(self.stamp(self.builtin["RW302"], problem, None))
        out += self._attestation_findings(discovered, attested)
        out += self._unparseable(None)
        return [f for f in out if self.builtin_enabled(f.code)]

    def _attestation_findings(
        self, discovered: Discovered, attested: set[str] | None
    ) -> list[Finding]:
        """RW005: the repository's and each component's ATTESTATIONS.yaml, as an auditor will
        read them in `roadworthy evidence`: malformed, unknown clauses, expired."""
        from roadworthy.evidence import attestations

        if not self.builtin_enabled("RW005"):
            return []
        reader = self.ctx.reader
        folders = [c.path for c in discovered.components if c.path]
        if attested is not None:
            folders = [f for f in folders if f in attested]  # the workers asked
        present = [f"{f}/{attestations.FILE}" for f in folders]
        if attested is None:
            present = [p for p in present if reader.tree.exists(p)]
        paths = [attestations.FILE] if reader.tree.exists(attestations.FILE) else []
        out = []
        for path in paths + present:
            try:
                items, problems = attestations.parse(path, reader.text(path))
            except ArtifactError:
                continue  # unreadable: RW001 reports it
            for wrong in problems:
                problem = Problem(
                    f"attestation {wrong.message}", path=path, line=wrong.line, fix=_FIX_ATTEST
                )
                out.append(self.stamp(self.builtin["RW005"], problem, None))
            for item in items:
                if dt.date.fromisoformat(item.expires) < self.ctx.today:
                    problem = Problem(
                        f"attestation for {item.clause} by {item.attested_by} expired on "
                        f"{item.expires}; it no longer counts as evidence",
                        path=path,
                        line=item.line,
                        fix="renew it (a new statement, attested and expires dates) or remove it",
                    )
                    out.append(self.stamp(self.builtin["RW005"], problem, None))
        return out

    def stamp(self, rule: Rule, problem: Problem, found: Found | None) -> Finding:
        span = NO_SPAN
        if problem.path is not None:
            path, line, span = problem.path, problem.line or 1, problem.span
        elif found is not None:
            path, line = found.anchor.path, problem.line or found.anchor.line or 1
        else:
            path, line = self.policy.location.path, problem.line or 1
        return Finding(
            path=path,
            line=line,
            code=rule.code,
            name=rule.name,
            severity=problem.severity or rule.severity,
            message=problem.message,
            fix=problem.fix,
            component=found.name if found is not None else None,
            dimension=rule.dimension,
            span=span,
        )


def _result(
    component: Component,
    own: Iterable[Finding],
    rules: tuple[str, ...] | None,
    stopped: tuple[str, ...],
    ctx: Context,
    *,
    signed: bool = False,
    required: tuple[tuple[CriterionResult, bool], ...] = (),
) -> ComponentResult:
    from roadworthy.gates.verdict import gate

    colours = readiness(own)
    return ComponentResult(
        name=component.name,
        path=component.found.display_path,
        risk=component.meta.risk,
        stage=component.meta.stage,
        readiness=colours,
        rules=rules,
        stopped=stopped,
        gate=gate(component, ctx, colours, signed=signed, required=required),
    )


def _portable(ctx: Context, before: set[Hashable]) -> tuple[tuple[Hashable, bytes], ...]:
    """What the checks remembered since ``before`` and can travel between processes (a
    compiled schema cannot, and each process compiles its own), pickled now: a value a later
    component of the same chunk changes (a validator compiled on its first use) travels as it
    was, and cannot make the chunk's whole answer unpicklable (attack round 11)."""
    import pickle

    out = []
    for key in ctx.remembered():
        if key not in before:
            try:
                out.append((key, pickle.dumps(ctx.recalled(key))))
            except Exception:
                continue
    return tuple(out)

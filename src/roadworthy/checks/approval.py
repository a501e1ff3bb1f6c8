"""``approval`` (diff mode): a material change to a component carries a valid approval.

Material: the policy's ``change_control.material`` files (weights by default; keyed files only
when the values at their keys change), Git LFS pointers whose ``oid`` or ``size`` changes, a stage
promoted, the risk lowered, the owners changed, the component added or removed, a breaking data
contract change. The approval is an entry of the component's ledger (``APPROVALS.yaml`` beside the
model card) whose digest covers the head's material files; see ``roadworthy.change.verdict``.

Options: none (``change_control.approval`` configures ledgers, approvers and verification).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from roadworthy.artifacts import ArtifactReader
from roadworthy.change import ledger, location
from roadworthy.change import verdict as approval
from roadworthy.change.view import ChangeView, MaterialChange, content_digest, read_ledger
from roadworthy.checks.base import Component, Context, Problem
from roadworthy.workspace.worktree import ArtifactError, content_id

KIND = "approval"
NEEDS_DIFF = True
OPTIONS_SCHEMA: Mapping[str, Any] = {"type": "object", "additionalProperties": False}


def check(component: Component, ctx: Context, options: Mapping[str, Any]) -> Iterator[Problem]:
    view = ctx.change
    if view is None:
        return
    for link in view.outside_links(component):
        yield Problem(
            f"weights: {link} is a symlink out of what git records; what it points to cannot be "
            "reviewed or approved",
            path=link,
            fix=f"commit the weights (or a Git LFS pointer) at {link} instead of a link",
        )
    own = set(component.found.files)
    for out in view.dvc_moved()[1]:
        if out.source in own:
            yield Problem(
                f"weights: {out.source} tracks {out.written}, which is no path in the "
                "repository (out of it, or placed by a templated wdir); what it tracks cannot be "
                "reviewed or approved",
                path=out.source,
                fix="track weights inside the repository: an output path that stays in it, "
                "resolved from the DVC file's folder through `..` and symlinks",
            )
    removed = view.is_removed(component)
    material = view.removed(component) if removed else view.material(component)
    if not material:
        return
    request_path = view.config.governance_ledger if removed else view.ledger_path(component)
    try:
        entries = _entries(view.head, request_path, component.path if removed else None)
    except ArtifactError:
        return  # reported once as RW001
    # A removal is bound to what it removes: the base's material files.
    target = removed_digest(view, component) if removed else current_digest(view, component)
    before = view.before(component)
    metadata_owners = (before or component).meta.owners
    inherited = [] if removed else view.inherited(component)
    risk = max(
        component.meta.risk,
        before.meta.risk if before else component.meta.risk,
        key=ctx.policy.risk_rank,
    )
    owners = (
        view.added_owners(component)
        if before is None and not removed
        else view.owners_of(component.path, metadata_owners, is_dir=True)
    )
    request = approval.Request(
        digest=target,
        owners=owners,
        anyone=view.config.approvers == "anyone",
        needed=view.config.approvers_needed(risk),
        authors=_authors(view, component, material, removed),
        people=ctx.policy.people,
        verify=view.config.verify,
        ledger_path=request_path,
        inherited=tuple(
            approval.Requirement(
                f"{b.found.display_path} at the base",
                view.owners_of(b.path, b.meta.owners, is_dir=True),
                view.config.approvers_needed(b.meta.risk),
            )
            for b in inherited
        )
        + _file_owners(view, component, material, owners, removed),
    )
    verdict = approval.judge(entries, request, view.checker(), view.review_approvals)
    if verdict.approved:
        return
    what = "; ".join(str(m) for m in material[:5]) + (
        f"; and {len(material) - 5} more" if len(material) > 5 else ""
    )
    command = f"roadworthy approve {component.found.display_path} --by @owner"
    # On the changed line, so that code scanning shows the alert on the pull request.
    found = location.material_line(view.changes, (m.path for m in material))
    where, at = found if found else (None, location.FILE)
    yield Problem(
        f"unapproved material change ({'; '.join(verdict.reasons)}): {what}",
        path=where,
        line=at.line if where else None,
        fix=f"an owner runs `{command}` (digest {target[:19]}…) and commits {request_path}",
        span=at.span,
    )


def _file_owners(
    view: ChangeView,
    component: Component,
    material: list[MaterialChange],
    owners: frozenset[str],
    removed: bool,
) -> tuple[approval.Requirement, ...]:
    """A CODEOWNERS rule of the base for a changed material file itself (``*.onnx
    @ml-security``) whose owners are not the component's: GitHub asks one of them to review
    that file, and so does its approval."""
    codeowners = view.base_codeowners()
    if codeowners is None:
        return ()
    out: dict[frozenset[str], approval.Requirement] = {}
    paths = {m.path for m in material if m.path}
    # Bytes changed behind a link are the target's; an added or removed component's weights
    # are its material files.
    targets = {view.linked()[p] for p in paths if p in view.linked() and view.linked()[p]}
    if targets:  # (a walk over every changed path, for each of a hundred components, else)
        inside = tuple(f"{t}/" for t in targets)
        paths |= {p for p in view.changed_paths() if p in targets or p.startswith(inside)}
    if any(m.kind in ("added", "removed") for m in material):
        side = view.base if removed else view.head
        paths |= set(view.material_files(component, side))
    for path in sorted(paths):
        match = codeowners.owners_of(path)
        handles = frozenset(h.lower() for h in match.owners) if match else frozenset()
        if handles and not handles <= owners and handles not in out:
            label = f"{path} (CODEOWNERS line {match.rule.line})" if match else path
            out[handles] = approval.Requirement(label, handles, 1)
    return tuple(out.values())


def _authors(
    view: ChangeView, component: Component, material: list[MaterialChange], removed: bool
) -> frozenset[str]:
    if not view.config.forbid_self_approval:
        return frozenset()
    return view.author_handles(_changed_paths(view, component, material, removed))


def _changed_paths(
    view: ChangeView, component: Component, material: list[MaterialChange], removed: bool
) -> list[str]:
    """Where the material change is: its files; for a component added or removed, the material
    files it has at the head or had at the base. Not the whole folder: the commit that adds the
    approval touches the folder's ledger, and would make the approver an author."""
    paths = {m.path for m in material if m.path}
    # New bytes behind a link were written where the link points, by whoever changed them there.
    paths |= {view.linked()[p] or "." for p in paths if p in view.linked()}
    if all(m.path for m in material):
        return sorted(paths)
    side = view.base if removed else view.head
    return sorted(paths | set(view.material_files(component, side))) or [component.path or "."]


def current_digest(view: ChangeView, component: Component) -> str:
    return _digest(view.head, view.material_files(component, view.head), component.path)


def removed_digest(view: ChangeView, before: Component) -> str:
    return _digest(view.base, view.material_files(before, view.base), before.path)


def _digest(reader: ArtifactReader, files: list[str], folder: str) -> str:
    return content_digest([(f, content_id(reader.tree, f) or "") for f in files], folder)


def _entries(
    reader: ArtifactReader, path: str, removed_component: str | None
) -> list[ledger.Entry]:
    entries = list(read_ledger(reader, path).entries)
    if removed_component is not None:
        entries = [
            e
            for e in entries
            if isinstance(e.raw, dict) and e.raw.get("component") == removed_component
        ]
    else:
        entries = [e for e in entries if e.scope not in (ledger.GOVERNANCE, ledger.SIGNOFF)]
    return entries

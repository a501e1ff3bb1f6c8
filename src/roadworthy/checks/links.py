"""``links``: relative links in Markdown artifacts point at files that exist.

Links are resolved like GitHub renders them: relative to the file's folder, or to the
repository root when they start with ``/``; the ``#fragment`` and ``?query`` are ignored and
``%20``-style escapes decoded. A link that leaves the repository is broken too. URLs with a
scheme are not followed (no network).

Options: ``artifacts`` (names of Markdown artifacts; default all of the policy's ``.md`` ones)
or ``paths`` (globs relative to the component).
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator, Mapping
from typing import Any

from roadworthy.checks.base import Component, Context, Problem
from roadworthy.formats import markdown
from roadworthy.formats.globs import GlobSet
from roadworthy.workspace.worktree import ArtifactError

KIND = "links"
NEEDS_DIFF = False
OPTIONS_SCHEMA: Mapping[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "artifacts": {"type": "array", "minItems": 1, "items": {"type": "string"}},
        "paths": {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}},
    },
    "not": {"required": ["artifacts", "paths"]},
}


def check(component: Component, ctx: Context, options: Mapping[str, Any]) -> Iterator[Problem]:
    for path in _documents(component, ctx, options):
        try:
            parsed = ctx.reader.markdown(path)
        except ArtifactError:
            continue  # RW001 reports it; the other documents are still checked
        links = [
            (link, _resolve(path, markdown.link_path(link.target)))
            for link in parsed.links
            if markdown.link_path(link.target)
        ]
        present = _present(component, ctx, {r for _, r in links if r is not None})
        for link, resolved in links:
            if resolved is not None and resolved in present:
                continue
            yield Problem(
                f"link to {link.target!r} does not resolve"
                + ("" if resolved is not None else " (it leaves the repository)"),
                path=path,
                line=link.line,
                fix=f"point the link at a tracked file, or add {resolved or link.target}",
            )


def _present(component: Component, ctx: Context, targets: set[str]) -> set[str]:
    """Targets in the component are looked up in its (tracked) files; others are asked of the
    repository in one go."""
    files = set(component.found.files)
    inside = {t for t in targets if _inside(t, component.path)}
    found = {t for t in inside if t in files or any(f.startswith(f"{t}/") for f in files)}
    found |= {""} & targets
    outside = targets - inside - {""}
    return found | (ctx.reader.tree.exists_many(outside) if outside else set())


def _inside(path: str, folder: str) -> bool:
    return not folder or path == folder or path.startswith(f"{folder}/")


def _documents(component: Component, ctx: Context, options: Mapping[str, Any]) -> list[str]:
    found = component.found
    if "paths" in options:
        patterns = GlobSet(found.join(p) for p in options["paths"])
        return [f for f in found.files if patterns.match(f)]
    names = options.get("artifacts") or sorted(ctx.policy.artifacts)
    documents = []
    for name in names:
        path = ctx.reader.locate(found.path, found.files, ctx.policy.artifacts.get(name, ()))
        if path is not None and path.endswith((".md", ".markdown")) and path not in documents:
            documents.append(path)
    return documents


def _resolve(document: str, target: str) -> str | None:
    base = "" if target.startswith("/") else posixpath.dirname(document)
    joined = posixpath.normpath(posixpath.join(base, target.lstrip("/")))
    if joined == ".":
        return ""
    if joined == ".." or joined.startswith("../"):
        return None
    return joined

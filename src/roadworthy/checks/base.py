"""What every check kind shares: the protocol it satisfies and the context it is given.

A check is a module with ``KIND``, ``OPTIONS_SCHEMA``, ``NEEDS_DIFF`` and a pure
``check(component, ctx, options)`` that yields `Problem`s. It does not know its rule's code,
name or severity; the engine stamps those.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from roadworthy.artifacts import ArtifactReader
from roadworthy.findings import Problem
from roadworthy.formats.codeowners_file import CodeOwners
from roadworthy.metadata import Component
from roadworthy.policy.model import Candidate, Policy

if TYPE_CHECKING:
    from roadworthy.change.view import ChangeView

__all__ = ["TARGET_OPTIONS", "Check", "Component", "Context", "Problem"]

# Options shared by checks that look at one artifact: a named artifact of the policy, or paths
# (globs relative to the component, first match wins).
TARGET_OPTIONS: dict[str, Any] = {
    "artifact": {"type": "string", "pattern": "^[a-z][a-z0-9_]*$"},
    "paths": {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}},
}


class Check(Protocol):
    KIND: str
    OPTIONS_SCHEMA: Mapping[str, Any]
    NEEDS_DIFF: bool

    def check(
        self, component: Component, ctx: Context, options: Mapping[str, Any]
    ) -> Iterator[Problem]: ...


class Context:
    def __init__(
        self,
        reader: ArtifactReader,
        policy: Policy,
        today: dt.date,
        change: ChangeView | None = None,
    ) -> None:
        self.reader = reader
        self.policy = policy
        self.today = today
        self.change = change  # set in diff mode (--diff, --staged, --hook)
        self._memo: dict[Hashable, Any] = {}

    def memo(self, key: Hashable, make: Callable[[], Any]) -> Any:
        """A value computed once per run (a compiled schema, a parsed shared file)."""
        if key not in self._memo:
            self._memo[key] = make()
        return self._memo[key]

    def recalled(self, key: Hashable) -> Any:
        """What `memo` computed for ``key`` in this run; None when nothing did."""
        return self._memo.get(key)

    def remembered(self) -> list[Hashable]:
        """The keys `memo` computed a value for, oldest first."""
        return list(self._memo)

    def candidates(self, options: Mapping[str, Any]) -> tuple[Candidate, ...]:
        if "artifact" in options:
            return self.policy.artifacts[options["artifact"]]
        return tuple(Candidate(p) for p in options.get("paths", ()))

    def locate(self, component: Component, options: Mapping[str, Any]) -> str | None:
        found = component.found
        return self.reader.locate(found.path, found.files, self.candidates(options))

    def label(self, options: Mapping[str, Any]) -> str:
        """How messages name the artifact: "model card", or the first path."""
        if "artifact" in options:
            return str(options["artifact"]).replace("_", " ")
        return str(options["paths"][0])

    def describe(self, options: Mapping[str, Any]) -> str:
        return describe_candidates(self.candidates(options))

    def codeowners(self) -> CodeOwners | None:
        """The CODEOWNERS file GitHub would use (first of its three locations), parsed once."""
        return self.reader.codeowners()


def describe_candidates(candidates: Sequence[Candidate]) -> str:
    names: list[str] = []
    for group in _spellings(candidates):
        names += [_describe(group)] if len(group) > 2 else [_describe([c]) for c in group]
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} or {names[-1]}"


def _describe(group: Sequence[Candidate]) -> str:
    first = group[0]
    if first.keys:
        return f"{first.pattern} with card front matter ({', '.join(first.keys[:2])}, ...)"
    if first.front_matter:
        return f"{first.pattern} with front matter"
    if len(group) > 2:
        return f"{first.pattern} (any of {len(group)} spellings)"
    return first.pattern


def _spellings(candidates: Sequence[Candidate]) -> list[list[Candidate]]:
    """Candidates grouped by spelling (MODEL_CARD.md, model-card.md, ModelCard.md are one
    name to a reader), in policy order, so a message lists names rather than spellings."""
    groups: dict[str, list[Candidate]] = {}
    for c in candidates:
        key = c.pattern.lower().replace("-", "").replace("_", "")
        groups.setdefault(key if not c.front_matter else c.pattern, []).append(c)
    return list(groups.values())

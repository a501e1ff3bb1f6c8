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
    names = [c.pattern + (" with front matter" if c.front_matter else "") for c in candidates]
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} or {names[-1]}"

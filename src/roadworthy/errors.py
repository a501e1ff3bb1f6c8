"""Expected errors: each carries a location and prints as ``path:line:col: message``.

Only the CLI's top-level handler turns these into exit code 2; anything else that escapes is a bug
(exit code 3 with a crash file).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple


class Location(NamedTuple):
    path: str
    line: int | None = None
    col: int | None = None

    def __str__(self) -> str:
        parts = [self.path]
        if self.line is not None:
            parts.append(str(self.line))
            if self.col is not None:
                parts.append(str(self.col))
        return ":".join(parts)


class RoadworthyError(Exception):
    """Base of every error roadworthy expects and reports without a traceback."""


class LocatedError(RoadworthyError):
    def __init__(self, location: Location, message: str) -> None:
        super().__init__(f"{location}: {message}")
        self.location = location
        self.message = message


class PolicyError(RoadworthyError):
    """One or more problems in a policy file; all of them, so the user fixes them in one go."""

    def __init__(self, problems: Sequence[LocatedError]) -> None:
        self.problems = tuple(sorted(problems, key=_problem_order))
        super().__init__("\n".join(str(p) for p in self.problems))


class WorkspaceError(RoadworthyError):
    """The repository or a revision cannot be used (not a repository, missing revision, ...)."""


class UsageError(RoadworthyError):
    """The command line asks for something impossible."""


def _problem_order(p: LocatedError) -> tuple[str, int, int, str]:
    loc = p.location
    return (loc.path, loc.line or 0, loc.col or 0, p.message)

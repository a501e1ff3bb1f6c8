"""Errors, and the one handler that ends a run on them (pre-commit's three-way split).

Expected errors carry a location and print as ``path:line:col: message``; `handle` turns them into
exit code 2. An interrupt exits 130; anything else that escapes is a bug: a short message, and the
traceback with the versions written to a crash file (exit code 3).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence

from roadworthy import __version__
from roadworthy.records import NamedTuple


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


# Where tokens come from: roadworthy's own inputs and the variables CI systems set.
SECRET_ENV = ("GITHUB_TOKEN", "GH_TOKEN", "INPUT_GITHUB_TOKEN", "INPUT_GITHUB-TOKEN")


def redact(text: str, secrets: Sequence[str | None] | None = None) -> str:
    """``text`` with every form of a secret that can reach output replaced by ``***``: the
    token, its URL-encoded form, the base64 of ``x-access-token:TOKEN`` (git's Basic
    credential) and of the token itself, in any letter case. Without ``secrets``, the tokens
    of the environment (`SECRET_ENV`)."""
    import re

    chosen = secrets if secrets is not None else [os.environ.get(k) for k in SECRET_ENV]
    for secret in sorted({s.strip() for s in chosen if s and len(s.strip()) >= 8}, key=len):
        for form in _forms(secret):
            text = re.sub(re.escape(form), "***", text, flags=re.IGNORECASE)
    return text


def _forms(secret: str) -> list[str]:
    import base64
    import urllib.parse

    raw = secret.encode("utf-8", "surrogateescape")
    forms = {secret, urllib.parse.quote(secret, safe=""), urllib.parse.quote_plus(secret, safe="")}
    for encode in (base64.b64encode, base64.urlsafe_b64encode):
        credential = encode(b"x-access-token:" + raw).decode("ascii")
        forms |= {credential, credential.rstrip("=")}
        # Base64 depends on alignment: after any other prefix (another user name, a header) the
        # token's bytes still decide a stretch of characters; mask that stretch at each of the
        # three alignments, whatever comes before it.
        for pad in range(3):
            encoded = encode(b"\0" * pad + raw).decode("ascii")
            first, last = -(-8 * pad // 6), 8 * (pad + len(raw)) // 6
            if last - first >= 8:
                forms.add(encoded[first:last])
    # Longest first, so a credential is replaced whole before the token inside it.
    return sorted(forms, key=len, reverse=True)


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


def handle(command: Callable[[], int], *, debug: bool, argv: Sequence[str] | None) -> int:
    try:
        return command()
    except KeyboardInterrupt:
        print("roadworthy: interrupted", file=sys.stderr)
        return 130
    except PolicyError as exc:
        for problem in exc.problems:
            print(redact(str(problem)), file=sys.stderr)
        count = len(exc.problems)
        print(
            f"roadworthy: {count} problem{'s' if count != 1 else ''} in the policy", file=sys.stderr
        )
        return 2
    except RoadworthyError as exc:
        print(f"roadworthy: {redact(str(exc))}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader went away (`roadworthy check | head`); say nothing more.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141
    except Exception as exc:
        if debug:
            raise
        path = write_crash_file(exc, argv)
        said = redact(str(exc))
        print(
            f"roadworthy: internal error ({type(exc).__name__}: {said}); this is a bug in "
            f"roadworthy. Details, to attach to a bug report: {path}",
            file=sys.stderr,
        )
        return 3


def write_crash_file(exc: BaseException, argv: Sequence[str] | None) -> str:
    import platform
    import tempfile
    import traceback

    lines = [
        f"roadworthy {__version__}\n",
        f"python {platform.python_version()} ({sys.executable})\n",
        f"platform {platform.platform()}\n",
        f"git {_git_version()}\n",
        f"argv {list(argv) if argv is not None else sys.argv[1:]}\n\n",
        *traceback.format_exception(type(exc), exc, exc.__traceback__),
    ]
    fd, path = tempfile.mkstemp(prefix="roadworthy-crash-", suffix=".log")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(redact("".join(lines)))  # a traceback can hold a token in a URL or a message
    return path


def _git_version() -> str:
    import subprocess

    try:
        out = subprocess.run(["git", "--version"], capture_output=True, text=True, check=False)
    except OSError:
        return "not found"
    return out.stdout.strip() or "unknown"

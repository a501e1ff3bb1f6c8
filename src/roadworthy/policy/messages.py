"""The policy schema's complaints in words a policy author reads.

A JSON Schema validator says ``'nobody' does not match '^(@[A-Za-z0-9]...)$'``; the author
wrote an owner, and needs to hear what an owner looks like. Each pattern of the shipped schema
has its description here (a meta test holds the two together), and an ``owners`` value that
fits neither of its two forms is told which handles are wrong.
"""

from __future__ import annotations

import re
from typing import Any, Final

from roadworthy import lazyre
from roadworthy.formats.yamlio import JsonPath

#: Each pattern of policy.schema.json, described.
PATTERN_WORDS: Final[dict[str, str]] = {
    r"^[A-Z]{2,5}[0-9]{3}$": "a rule code: 2 to 5 capital letters and 3 digits (ACME101)",
    r"^[a-z][a-z0-9_-]*$": "a lowercase word (letters, digits, '-' and '_')",
    r"^[a-z][a-z0-9_]*$": "a lowercase identifier (letters, digits and '_')",
    r"^(@[A-Za-z0-9][A-Za-z0-9_.-]*(/[A-Za-z0-9][A-Za-z0-9_.-]*)?|[^@\s]+@[^@\s]+)$": (
        "an owner: @user, @org/team or an e-mail address"
    ),
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$": "a date (YYYY-MM-DD)",
    r"^[A-Za-z0-9][A-Za-z0-9_.-]*$": "a name of letters, digits, '.', '-' and '_'",
    r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$": "a kebab-case name (missing-model-card)",
    r"^[A-Za-z][A-Za-z0-9_.@/-]*$": "a metric name (a letter, then letters, digits, '_.@/-')",
    r"^\s*(>=|<=|>|<|==)\s*-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?\s*$": (
        'a comparison with a number (">= 0.80")'
    ),
}
_HANDLE = lazyre.compile(
    r"^(@[A-Za-z0-9][A-Za-z0-9_.-]*(/[A-Za-z0-9][A-Za-z0-9_.-]*)?|[^@\s]+@[^@\s]+)$"
)
_MISMATCH = lazyre.compile(r"^(?P<value>.*) does not match '(?P<pattern>.*)'$", re.S)


def readable(path: JsonPath, message: str, value: Any) -> str:
    """``message`` about the value at ``path``, with no regular expression in it."""
    if path and path[-1] == "owners" and "is not of type" in message:
        return _owners(value)
    match = _MISMATCH.match(message)
    if match is None:
        return message
    pattern = match.group("pattern").replace("\\\\", "\\")
    words = PATTERN_WORDS.get(pattern, "in the form the policy schema gives")
    return f"{match.group('value')} is not {words}"


def _owners(value: Any) -> str:
    if isinstance(value, dict):  # RACI roles: each a handle or a list of them
        value = [h for v in value.values() for h in (v if isinstance(v, list) else [v])]
    if isinstance(value, list):
        bad = [repr(v) for v in value if not isinstance(v, str) or not _HANDLE.match(v)]
        if bad:
            return (
                f"{', '.join(bad)} {'is' if len(bad) == 1 else 'are'} not an owner:"
                " @user, @org/team or an e-mail address"
            )
    return (
        "owners are a list of handles (@user, @org/team, e-mail) or RACI roles"
        " ({accountable: '@lead', responsible: [...]})"
    )

"""Validation verdicts (`formats.verdicts`) kept in the user's cache folder between runs.

One file, ``$XDG_CACHE_HOME/roadworthy/verdicts/verdicts.json`` (else under ``~/.cache``): the
newest `KEEP` verdicts, each under the digest of its schema, document and validating code. It
is read on the first lookup of a run and written once, at its end, when the run validated
anything new. A verdict decides whether a contract or a policy passes its schema, so it is
believed under the rules every kept file of roadworthy follows (`treecache`,
docs/security.md): the folder and the file are the user's own, not links and writable by nobody
else; the folder is used through one handle and the file replaced, never written through; the
file carries an HMAC-SHA256 under the user's key (`cachekey`), checked before its body is
parsed, and every verdict's shape is checked before it is used. Anything else is ignored and
validated afresh.
"""

from __future__ import annotations

import json
from typing import Any

from roadworthy.formats.verdicts import Verdict
from roadworthy.workspace.keptfile import KeptEntries

FOLDER = "verdicts"
NAME = "verdicts.json"
KEEP = 512  # verdicts kept: a policy, its rules' options, the contracts of the last changes


class VerdictCache(KeptEntries):
    """The verdicts in the user's ``roadworthy/verdicts/`` folder."""

    FOLDER, NAME, KEEP = FOLDER, NAME, KEEP

    def get(self, key: str) -> Verdict | None:
        found = self.entry(key)
        return [(path, message) for path, message in found] if _is_verdict(found) else None

    def put(self, key: str, verdict: Verdict) -> None:
        self.add(key, [[list(path), message] for path, message in verdict])

    def maker(self) -> bytes:
        return b"verdicts\0"

    def encode(self, entries: dict[str, Any]) -> bytes:
        return json.dumps(entries, separators=(",", ":")).encode("ascii")

    def decode(self, body: bytes) -> Any:
        try:
            return json.loads(body)
        except (ValueError, RecursionError):  # (nested past the parser's depth)
            return None


def _is_verdict(value: Any) -> bool:
    """The shape `put` is given: a list of [path, message], a path a list of keys and
    indexes."""
    return isinstance(value, list) and all(
        isinstance(issue, list)
        and len(issue) == 2
        and isinstance(issue[1], str)
        and isinstance(issue[0], list)
        and all(type(part) in (str, int) for part in issue[0])
        for issue in value
    )

"""``ATTESTATIONS.yaml``: statements, signed off by a person, for clauses a repository cannot
evidence with files (a conformity assessment, CE marking, AI literacy training).

At the repository root, or in a component's folder (then for that component only): a list of
``{clause, statement, attested_by, evidence, attested, expires}``, validated by the shipped
schema (``roadworthy schema attestations``) and by the clause grammar of `formats.refs`.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Sequence
from typing import Any

from roadworthy.formats import packaged, refs, yamlio
from roadworthy.formats.validation import Validator
from roadworthy.records import NamedTuple
from roadworthy.workspace.revtree import ATTESTATIONS

FILE = ATTESTATIONS  # noted by listings (workspace/revtree.py)


def attestation_files(components: Sequence[str]) -> list[str]:
    """Where attestations may be: the root and each component folder."""
    return [FILE] + [f"{c}/{FILE}" for c in components if c]


class Attestation(NamedTuple):
    path: str  # the file it is in
    line: int
    clause: str  # FRAMEWORK:CLAUSE
    statement: str
    attested_by: str
    evidence: str
    attested: str  # ISO date
    expires: str

    def valid_on(self, day: dt.date) -> bool:
        return dt.date.fromisoformat(self.attested) <= day <= dt.date.fromisoformat(self.expires)


class Problem(NamedTuple):
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


def schema() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(packaged.read_text("schemas", "attestations.schema.json"))
    return loaded


def parse(path: str, text: str) -> tuple[list[Attestation], list[Problem]]:
    """The attestations of one file, and what is wrong with the others (each at its line)."""
    try:
        doc = yamlio.load(text, positions=True)
    except yamlio.YamlError as exc:
        return [], [Problem(path, exc.line, exc.message)]
    if doc.data is None:
        return [], []
    issues = Validator(schema()).issues(doc.data)
    if issues:
        where = issues[0].path
        return [], [Problem(path, doc.position(where)[0], _message(where, issues[0].message))]
    found, problems = [], []
    for i, item in enumerate(doc.data):
        line = doc.position((i,))[0]
        wrong = refs.problem(item["clause"]) or _dates(item)
        if wrong is None and item["expires"] < item["attested"]:
            wrong = f"expires ({item['expires']}) before it was attested ({item['attested']})"
        if wrong is not None:
            problems.append(Problem(path, line, f"[{i}]: {wrong}"))
            continue
        found.append(
            Attestation(
                path,
                line,
                item["clause"],
                item["statement"],
                item["attested_by"],
                item["evidence"],
                item["attested"],
                item["expires"],
            )
        )
    return found, problems


def _dates(item: dict[str, Any]) -> str | None:
    for key in ("attested", "expires"):
        try:
            dt.date.fromisoformat(item[key])
        except ValueError:
            return f"{key}: {item[key]!r} is not a date"
    return None


def _message(where: Sequence[Any], message: str) -> str:
    shown = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in where).lstrip(".")
    return f"{shown or 'attestations'}: {message}"


def for_clause(items: Sequence[Attestation], clause: str) -> Iterator[Attestation]:
    return (a for a in items if a.clause == clause)

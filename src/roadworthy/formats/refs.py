"""Framework references on rules: ``FRAMEWORK:CLAUSE``, e.g. ``EU-AIA:Art.14(4)``,
``ISO42001:A.6.2.4``, ``NIST-AI-RMF:MEASURE 2.3``.

Only the identifiers are written down (the frameworks' texts are theirs; ISO/IEC 42001's is
copyrighted): each framework has a clause grammar, so a typo is a policy error at load rather
than a clause nobody can find.
"""

from __future__ import annotations

import re
from typing import Any

from roadworthy import lazyre
from roadworthy.records import NamedTuple


class Framework(NamedTuple):
    key: str  # the prefix in a ref
    name: str  # as SARIF's taxonomy and reports name it
    version: str
    uri: str
    clause: re.Pattern[str]
    example: str
    # Clauses a repository cannot evidence with files: attested, or not assessed.
    attestation_only: tuple[str, ...] = ()


FRAMEWORKS: dict[str, Framework] = {
    f.key: f
    for f in (
        Framework(
            "EU-AIA",
            "EU AI Act",
            "Regulation (EU) 2024/1689",
            "https://eur-lex.europa.eu/eli/reg/2024/1689/oj",
            # Art.14, Art.14(4), Art.17(1)(a), Annex IV, Annex IV(2)(b)
            lazyre.compile(r"(?:Art\.\d{1,3}|Annex [IVX]{1,5})(?:\(\d{1,2}\))?(?:\([a-z]\))?"),
            "EU-AIA:Art.14(4)",
            ("Art.4", "Art.27", "Art.43(1)", "Art.47", "Art.48", "Art.49", "Annex IV(7)"),
        ),
        Framework(
            "ISO42001",
            "ISO/IEC 42001",
            "2023",
            "https://www.iso.org/standard/81230.html",
            # Annex A controls (A.6.2.4) and the clauses of the management system (8.4)
            lazyre.compile(r"A\.\d{1,2}(?:\.\d{1,2}){1,2}|\d{1,2}(?:\.\d{1,2}){0,2}"),
            "ISO42001:A.6.2.4",
            (
                *("A.2.2", "A.2.3", "A.3.3", "A.4.2", "A.4.3", "A.4.4", "A.4.5", "A.4.6"),
                *("A.5.2", "A.5.3", "A.5.4", "A.5.5", "A.8.3", "A.8.5", "A.9.2", "A.9.3"),
                *("A.10.2", "A.10.3", "A.10.4"),
            ),
        ),
        Framework(
            "NIST-AI-RMF",
            "NIST AI RMF",
            "1.0",
            "https://doi.org/10.6028/NIST.AI.100-1",
            lazyre.compile(r"(?:GOVERN|MAP|MEASURE|MANAGE) \d(?:\.\d{1,2})?"),
            "NIST-AI-RMF:MEASURE 2.3",
            ("GOVERN 3", "GOVERN 4", "GOVERN 5", "GOVERN 6", "MAP 4", "MAP 5"),
        ),
    )
}


class Ref(NamedTuple):
    framework: Framework
    clause: str

    def __str__(self) -> str:
        return f"{self.framework.key}:{self.clause}"


def parse(text: str) -> Ref | None:
    key, sep, clause = text.partition(":")
    framework = FRAMEWORKS.get(key)
    if not sep or framework is None or not framework.clause.fullmatch(clause):
        return None
    return Ref(framework, clause)


def problem(text: str) -> str | None:
    """Why ``text`` is not a reference, or None."""
    key, sep, clause = text.partition(":")
    framework = FRAMEWORKS.get(key)
    if not sep or framework is None:
        known = ", ".join(FRAMEWORKS)
        return f"{text!r} is not FRAMEWORK:CLAUSE with a known framework ({known})"
    if not framework.clause.fullmatch(clause):
        return f"{clause!r} is not a {framework.name} clause (like {framework.example})"
    return None


PRESETS = {"eu-ai-act-high-risk": "EU-AIA", "iso-42001": "ISO42001", "nist-ai-rmf": "NIST-AI-RMF"}


def clause_order(clause: str) -> tuple[Any, ...]:
    """Art.9 before Art.10, A.6.2.4 before A.6.2.10: numbers compare as numbers."""
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", clause))

"""Rules the engine itself reports. They exist in every policy; policies may tune them."""

from __future__ import annotations

from typing import Any

BUILTIN_LAYER = "builtin"

# Written in the policy format so that policies override them like any other rule.
ENGINE_RULES: dict[str, dict[str, Any]] = {
    "RW001": {
        "name": "unparseable-artifact",
        "check": "builtin",
        "severity": "error",
        "dimension": "integration",
        "locked": True,
        "summary": "An artifact cannot be read or parsed; its other checks are skipped.",
    },
    "RW002": {
        "name": "unused-waiver",
        "check": "builtin",
        "severity": "warning",
        "dimension": "governance",
        "summary": "A waiver matches no finding.",
    },
    "RW003": {
        "name": "expired-waiver",
        "check": "builtin",
        "severity": "error",
        "dimension": "governance",
        "locked": True,
        "summary": "A waiver has expired (an error) or expires within 14 days (a warning).",
    },
    "RW005": {
        "name": "invalid-attestation",
        "check": "builtin",
        "severity": "error",
        "dimension": "governance",
        "summary": "An ATTESTATIONS.yaml entry is malformed, cites an unknown clause, or expired.",
    },
    "RW004": {
        "name": "invalid-component-metadata",
        "check": "builtin",
        "severity": "error",
        "dimension": "governance",
        "summary": "A component's risk, stage or owners metadata is not a known value.",
    },
    "RW105": {
        "name": "undeclared-component",
        "check": "builtin",
        "severity": "error",
        "dimension": "governance",
        "summary": "A model-looking folder is not covered by any declared component.",
    },
    "RW302": {
        "name": "invalid-codeowners",
        "check": "builtin",
        "severity": "error",
        "dimension": "organization",
        "summary": "A CODEOWNERS line GitHub cannot use: its files silently lose their owners.",
    },
    "RW411": {
        "name": "missing-risk-signoff",
        "check": "builtin",
        "severity": "error",
        "dimension": "governance",
        "locked": True,
        "summary": "A component with more yellow dimensions than the policy allows has a sign-off "
        "accepting its current warnings.",
    },
    "RW406": {
        "name": "weakened-policy",
        "check": "builtin",
        "severity": "error",
        "dimension": "governance",
        "locked": True,
        "summary": "A change weakens the policy in force (diff mode); each weakening is named.",
    },
    "RW407": {
        "name": "unapproved-governance-change",
        "check": "builtin",
        "severity": "error",
        "dimension": "governance",
        "locked": True,
        "summary": "A change to the policy or CODEOWNERS has no governance approval (diff mode).",
    },
    "RW408": {
        "name": "self-granted-waiver",
        "check": "builtin",
        "severity": "error",
        "dimension": "governance",
        "locked": True,
        "summary": "A waiver is added by the very change it would excuse (diff mode).",
    },
    "RW409": {
        "name": "approval-ledger-edited",
        "check": "builtin",
        "severity": "error",
        "dimension": "governance",
        "locked": True,
        "summary": "An approval ledger entry is edited or removed; ledgers are append-only.",
    },
}

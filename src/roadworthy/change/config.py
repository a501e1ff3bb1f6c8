"""The policy's ``change_control`` section as typed data, with the defaults documented there."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, NamedTuple

from roadworthy.formats.globs import GlobSet

VERIFY_LEVELS = ("entry", "author", "signature")


class Material(NamedTuple):
    name: str
    paths: tuple[str, ...]
    keys: tuple[str, ...] = ()

    @property
    def globs(self) -> GlobSet:
        return GlobSet(self.paths)


class ChangeControl(NamedTuple):
    material: tuple[Material, ...] = ()
    ledger: str = "APPROVALS.yaml"
    governance_ledger: str = "APPROVALS.yaml"
    min_approvers: Mapping[str, int] = MappingProxyType({"default": 1, "high": 2})
    approvers: str = "owners"
    forbid_self_approval: bool = True
    verify: str = "entry"
    allowed_signers: str | None = None
    require_version_bump: bool = True

    def approvers_needed(self, risk: str) -> int:
        return int(self.min_approvers.get(risk, self.min_approvers.get("default", 1)))


def parse(raw: Mapping[str, Any]) -> ChangeControl:
    approval = raw.get("approval", {})
    defaults = ChangeControl()
    return ChangeControl(
        material=tuple(
            Material(m["name"], tuple(m["paths"]), tuple(m.get("keys", ())))
            for m in raw.get("material", [])
            if m.get("enabled", True)
        ),
        ledger=approval.get("ledger", defaults.ledger),
        governance_ledger=approval.get("governance_ledger", defaults.governance_ledger),
        min_approvers={**defaults.min_approvers, **approval.get("min_approvers", {})},
        approvers=approval.get("approvers", defaults.approvers),
        forbid_self_approval=approval.get("forbid_self_approval", defaults.forbid_self_approval),
        verify=approval.get("verify", defaults.verify),
        allowed_signers=approval.get("allowed_signers"),
        require_version_bump=raw.get("require_version_bump", defaults.require_version_bump),
    )

"""The signed-in viewer: who they are, their role, the units whose citizens they may see."""

from __future__ import annotations

from dataclasses import dataclass

from queries.scope import Scope

ROLES = ("leder", "analytiker", "admin", "databeskyttelse")
RIGHTS = ("list", "export", "unmask")


@dataclass(frozen=True)
class Viewer:
    user_id: str  # stable: a demo persona id, the proxy's user, or "oid@tid" from Entra ID
    name: str
    role: str  # one of ROLES
    units: frozenset[str] = frozenset()  # each with its descendants, for citizen data
    all_units: bool = False
    rights: frozenset[str] = frozenset()  # a subset of RIGHTS
    groups: tuple[str, ...] = ()
    demo: bool = False

    @property
    def scope(self) -> Scope:
        """Deny by default: no units, no citizen rows."""
        if self.all_units:
            return Scope.everything()
        return Scope(units=self.units)

    def may(self, right: str) -> bool:
        return right in self.rights

"""Who may see which citizens, asked by the services before any row is fetched.

Rights, scope and purpose are checked here, for every list page, export and CPR shown,
whatever the request says; a refused attempt is written to the audit log as `denied`.
A unit is open to a viewer when it lies within their units, or above them (then only
their own units' citizens are shown: the data layer filters every row by scope).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from identity import current
from identity.viewer import RIGHTS, Viewer
from queries.orgtree import OrgTree
from queries.scope import Scope

FIXED_PURPOSE = "Ledelsesinformation"
DEFAULT_CONTACT = "Ledelsesinformation, MSB"


class Refused(Exception):
    """The viewer may not see this; the message says why and whom to ask, in Danish."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason  # short, for the audit log


class PurposeMissing(Refused):
    pass


@dataclass(frozen=True)
class Looker:
    """Whoever asks for citizen data in this request."""

    user_id: str
    scope: Scope
    rights: frozenset[str]
    purpose: str | None
    signed_in: bool = True
    role: str | None = None  # kept on every audit row, for the data-protection officer

    @classmethod
    def fixed(cls, user_id: str, scope: Scope) -> Looker:
        """For services built without sign-in (tools, benchmarks, tests): every right."""
        return cls(user_id, scope, frozenset(RIGHTS), FIXED_PURPOSE)

    @classmethod
    def of(cls, viewer: Viewer | None, purpose: str | None) -> Looker:
        if viewer is None:
            return cls("ukendt", Scope(), frozenset(), None, signed_in=False)
        return cls(viewer.user_id, viewer.scope, viewer.rights, purpose, role=viewer.role)


def open_to(scope: Scope, org: OrgTree, unit: str) -> bool:
    """The unit is within the scope, or above a unit of it."""
    if scope.all_units:
        return True
    if unit not in org:
        return False
    return any(a in scope.units for a in org.ancestors(unit)) or any(
        unit in org.ancestors(own) for own in scope.units if own in org
    )


def partial(scope: Scope, org: OrgTree, unit: str) -> bool:
    """The unit is open only because it lies above the viewer's units: some rows are hidden."""
    if scope.all_units or unit not in org:
        return False
    return not any(a in scope.units for a in org.ancestors(unit))


def contact() -> str:
    return current.contact() or DEFAULT_CONTACT


def _names(org: OrgTree, units: frozenset[str]) -> str:
    return ", ".join(sorted(org.name(u) for u in units if u in org)) or "ingen enheder"


def refusal(looker: Looker, org: OrgTree, unit: str, right: str) -> Refused | None:
    """Why this looker may not use `right` on `unit`'s citizens, or None when they may."""
    ask = f"Har du et arbejdsmæssigt behov, så kontakt {contact()}."
    if not looker.signed_in:
        return Refused("Du er ikke logget ind.", "ikke logget ind")
    if not looker.scope.all_units and not looker.scope.units:
        return Refused(f"Du har ikke adgang til borgerdata. {ask}", "ingen enheder")
    if not open_to(looker.scope, org, unit):
        whose = org.name(unit) if unit in org else unit
        owner = org.ancestors(unit)[-2] if unit in org and len(org.ancestors(unit)) > 1 else None
        under = f" (en del af {org.name(owner)})" if owner and owner != unit else ""
        return Refused(
            f"Borgerne i {whose}{under} ses kun af medarbejdere med adgang til den enhed; "
            f"det har du ikke adgang til. Du har adgang til: {_names(org, looker.scope.units)}. "
            f"{ask}",
            f"uden for adgang ({unit})",
        )
    if right not in looker.rights:
        doing = {"list": "se borgerlister", "export": "hente lister", "unmask": "se CPR-numre"}
        return Refused(f"Du har ikke ret til at {doing[right]}. {ask}", f"mangler ret: {right}")
    return None


def check(
    looker: Looker,
    org: OrgTree,
    unit: str,
    right: str,
    deny: Callable[[str], None],
    need_purpose: bool = True,
) -> None:
    """Raise Refused (after `deny(reason)` writes the audit row) unless the look may happen."""
    refused = refusal(looker, org, unit, right)
    if refused is None and need_purpose and not looker.purpose:
        refused = PurposeMissing(
            "Vælg først formålet med at se borgerne, og tryk Vis borgerne.", "intet formål"
        )
    if refused is not None:
        deny(refused.reason)
        raise refused

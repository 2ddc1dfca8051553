"""The KPI page's state store: which KPI, unit, grain and period every lens shows."""

from __future__ import annotations

from datetime import date

from components.formatting import format_delta, format_period, format_value
from components.services import Services
from components.status import good_side
from components.view import View, params_from_search, view_from_params
from queries.catalogue.models import Kpi

STORE = "kpi-state"


def resolve_state(services: Services, state: dict | None) -> tuple[Kpi, View, date] | None:
    """(kpi, view, period) for a stored state, the period defaulting to the latest with data."""
    if not state or not state.get("kpi"):
        return None
    kpi = services.catalogue.kpi(state["kpi"])
    view = view_from_params(
        params_from_search(state.get("query")),
        services.org.units,
        services.org.root,
        kpi.time.grain,
    )
    period = view.period or services.latest_period(kpi.id, view.grain)
    if period is None:
        return None
    return kpi, view, period


def templated_sentence(
    kpi: Kpi, unit_name: str, grain: str, period: date, value: float, target: float | None
) -> str:
    """The analyst's own sentence from the catalogue, with the target comparison added."""
    text = kpi.sentence.format(
        periode=f"I {format_period(period, grain)}",
        værdi=format_value(value, kpi.format.value, kpi.decimals),
        enhed=unit_name,
    )
    if target is not None:
        margin = good_side(value, target, kpi.direction.value)
        delta = format_delta(abs(margin), kpi.format.value, kpi.decimals).lstrip("+")
        if abs(margin) < 1e-9:
            text += " — på niveau med målet"
        else:
            text += f" — {delta} {'bedre' if margin > 0 else 'dårligere'} end målet"
    return text[0].upper() + text[1:] + "."

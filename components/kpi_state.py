"""The KPI page's state store: which KPI, unit, grain and period every lens shows."""

from __future__ import annotations

from datetime import date

from components.period_text import period_name
from components.sentences import (
    NOT_YET,
    PRO_RATED,
    WHOLE,
    comparisons,
    template_sentence,
    trend_sentence,
    with_comparisons,
)
from components.services import Services
from components.states import keep_together
from components.view import BadView, View, params_from_search, view_from_params
from queries.catalogue.models import Grain, Kpi
from queries.lazy import pandas as pd
from queries.partial import Coverage, target_comparable, target_for_part

STORE = "kpi-state"


def read_state(services: Services, state: dict | None) -> tuple[Kpi, View] | None:
    """(kpi, view) for a stored state, from the catalogue and the org tree alone (the
    view's period may be None: the latest complete one)."""
    if not state or not state.get("kpi"):
        return None
    try:
        kpi = services.catalogue.kpi(state["kpi"])
        view = view_from_params(
            params_from_search(state.get("query")),
            services.org.units,
            services.org.root,
            kpi.time.grain,
        )
    except (KeyError, BadView):
        return None  # a state the page itself never writes: show "no data", not an error
    return kpi, view


def resolve_state(services: Services, state: dict | None) -> tuple[Kpi, View, date] | None:
    """(kpi, view, period) for a stored state, the period defaulting to the latest
    complete one (the running quarter or year is one click away in the picker)."""
    found = read_state(services, state)
    if found is None:
        return None
    kpi, view = found
    period = view.period or services.default_period(kpi.id, view.grain)
    if period is None:
        return None
    return kpi, view, period


def running_trend(
    services: Services, kpi: Kpi, unit: str, grain: Grain, period: date, frame: pd.DataFrame
) -> tuple[pd.DataFrame, Coverage | None]:
    """The trend ending in `period`, with how far the data reaches into it when it is
    still running; then its last-year value is the same months of last year."""
    part = services.coverage(kpi.id, grain, period)
    if part is None or frame.empty:
        return frame, None
    found = services.like_for_like(kpi.id, unit, grain, period)
    frame = frame.copy()
    frame.loc[frame.index[-1], "last_year"] = found[unit].last_year if found else float("nan")
    return frame, part


def target_rule(kpi: Kpi, part: Coverage | None) -> str:
    """How the KPI's targets meet a (possibly running) period: WHOLE, PRO_RATED or NOT_YET."""
    if part is None:
        return WHOLE
    if not target_comparable(kpi, part):
        return NOT_YET
    return PRO_RATED if target_for_part(kpi, 1.0, part) != 1.0 else WHOLE


def partial_target(
    kpi: Kpi, target: float | None, part: Coverage | None
) -> tuple[float | None, str]:
    """The target a (possibly running) period is measured against, and how it was treated."""
    return target_for_part(kpi, target, part), target_rule(kpi, part)


def headline_sentence(*args, **kwargs) -> str:
    """The one sentence that says what the latest figure is (see _headline)."""
    return keep_together(_headline(*args, **kwargs))


def _headline(
    kpi: Kpi,
    unit_name: str,
    grain: str,
    period: date,
    row,
    target: float | None,
    part: Coverage | None = None,
    own_goal: float | None = None,
) -> str:
    """The one sentence that says what the latest figure is: the analyst's own template
    from the catalogue when there is one, else the generic trend sentence; measured
    against the target and, when the unit has one for the period, its own goal.

    `row` is the trend row of the period (value, last_year, suppressed); for a running
    period (`part`) its last_year holds the same months of last year."""
    value, suppressed = row["value"], bool(row["suppressed"])
    target, rule = partial_target(kpi, target, part)
    own_goal = target_for_part(kpi, own_goal, part)
    if not suppressed and value != value:  # NaN: no rows at all
        return f"Der er ingen data for {unit_name} i {period_name(period, grain, part)}."
    if kpi.sentence and not suppressed:
        text = template_sentence(
            kpi.sentence,
            unit_name,
            kpi.format.value,
            grain,
            period,
            value,
            decimals=kpi.decimals,
            part=part,
        )
        clauses = comparisons(
            value,
            row["last_year"],
            target,
            kpi.format.value,
            kpi.direction.value,
            grain,
            period,
            decimals=kpi.decimals,
            part=part,
            target_rule=rule,
            own_goal=own_goal,
        )
        return with_comparisons(text[0].upper() + text[1:], clauses)
    return trend_sentence(
        kpi.title,
        unit_name,
        kpi.format.value,
        kpi.direction.value,
        grain,
        period,
        value,
        row["last_year"],
        target,
        suppressed=suppressed,
        min_n=kpi.min_n,
        decimals=kpi.decimals,
        part=part,
        target_rule=rule,
        own_goal=own_goal,
    )

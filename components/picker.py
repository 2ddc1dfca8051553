"""Controls shared by the KPI page: organisational unit, grain and period."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

import dash_bootstrap_components as dbc

from components.period_text import period_name
from components.view import GRAIN_LABEL, GRAIN_PARAM, View
from queries.catalogue.models import Grain
from queries.compiler.periods import period_param
from queries.data_range import periods_between
from queries.orgtree import OrgTree
from queries.partial import coverage

UNIT, GRAIN, PERIOD = "picker-unit", "picker-grain", "picker-period"


def unit_options(org: OrgTree) -> list[dict]:
    """Every unit, indented by its level, in tree order."""
    return [
        {"label": ("\u2003" * depth) + org.name(unit), "value": unit} for unit, depth in org.walk()
    ]


def period_options(data: tuple[date, date] | None, grain: Grain) -> list[dict]:
    """Exactly the periods with data, newest first: every period from the one holding
    the first month with data to the one holding the last. A quarter or year the data
    does not yet cover to its end says how far it goes ("4. kvartal 2026 til og med
    oktober")."""
    if data is None:
        return []
    return [{"label": label, "value": value} for label, value in _period_options(data, grain)]


@lru_cache(maxsize=256)
def _period_options(data: tuple[date, date], grain: Grain) -> tuple[tuple[str, str], ...]:
    """Named once per data range and grain: Babel's month names cost more than the rest
    of the controls together."""
    earliest, through = data
    return tuple(
        (period_name(p, grain.value, coverage(p, grain, through)), period_param(p, grain))
        for p in reversed(periods_between(earliest, through, grain))
    )


def controls(
    org: OrgTree, view: View, data: tuple[date, date] | None, period: date | None
) -> dbc.Row:
    """Unit, grain and period; `data` is the KPI's (first month, last month) with data."""
    return unit_grain_period(org, view.unit, view.grain, data, period)


def unit_grain_period(
    org: OrgTree,
    unit: str,
    grain: Grain,
    data: tuple[date, date] | None,
    period: date | None,
    ids: tuple[str, str, str] = (UNIT, GRAIN, PERIOD),
    class_name: str = "",
) -> dbc.Row:
    """The three controls under the ids (unit, grain, period) of the page they are on."""
    unit_id, grain_id, period_id = ids
    return dbc.Row(
        [
            dbc.Col(
                [
                    dbc.Label("Enhed", html_for=unit_id),
                    # A native select: keyboard, screen readers and tablets know it.
                    dbc.Select(id=unit_id, options=unit_options(org), value=unit),
                ],
                md=5,
            ),
            dbc.Col(
                [
                    dbc.Label("Interval", html_for=grain_id),
                    dbc.RadioItems(
                        id=grain_id,
                        value=GRAIN_PARAM[grain],
                        inline=True,
                        options=[{"label": GRAIN_LABEL[g], "value": GRAIN_PARAM[g]} for g in Grain],
                        className="pt-1",
                    ),
                ],
                md=3,
            ),
            dbc.Col(
                [
                    dbc.Label("Periode", html_for=period_id),
                    dbc.Select(
                        id=period_id,
                        options=period_options(data, grain),
                        value=period_param(period, grain) if period else None,
                    ),
                ],
                md=4,
            ),
        ],
        className=f"g-3 picker {class_name}".strip(),
    )

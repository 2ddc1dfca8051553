"""Controls shared by the KPI page: organisational unit, grain and period."""

from __future__ import annotations

from datetime import date

import dash_bootstrap_components as dbc

from components.formatting import format_period
from components.view import GRAIN_LABEL, GRAIN_PARAM, View
from queries.catalogue.models import Grain
from queries.compiler.periods import next_period, period_param, periods_back
from queries.orgtree import OrgTree

UNIT, GRAIN, PERIOD = "picker-unit", "picker-grain", "picker-period"


def unit_options(org: OrgTree) -> list[dict]:
    """Every unit, indented by its level, in tree order."""
    return [
        {"label": ("\u2003" * depth) + org.name(unit), "value": unit} for unit, depth in org.walk()
    ]


def period_options(
    latest: date | None, grain: Grain, count: int = 36, through: date | None = None
) -> list[dict]:
    """The periods to choose from, newest first; a quarter or year that the data does not
    yet cover to its end says how far it goes ("4. kvartal 2026 (til og med okt. 2026)")."""
    if latest is None:
        return []
    shown = {Grain.month: count, Grain.quarter: count // 3, Grain.year: 6}[grain]
    options = [
        {"label": format_period(p, grain.value), "value": period_param(p, grain)}
        for p in reversed(periods_back(latest, grain, shown))
    ]
    if through is not None and next_period(latest, grain) > next_period(through, Grain.month):
        options[0]["label"] += f" (til og med {format_period(through, 'month', short=True)})"
    return options


def controls(
    org: OrgTree, view: View, latest: date | None, period: date | None, through: date | None = None
) -> dbc.Row:
    return dbc.Row(
        [
            dbc.Col(
                [
                    dbc.Label("Enhed", html_for=UNIT),
                    # A native select: keyboard, screen readers and tablets know it.
                    dbc.Select(id=UNIT, options=unit_options(org), value=view.unit),
                ],
                md=5,
            ),
            dbc.Col(
                [
                    dbc.Label("Interval", html_for=GRAIN),
                    dbc.RadioItems(
                        id=GRAIN,
                        value=GRAIN_PARAM[view.grain],
                        inline=True,
                        options=[{"label": GRAIN_LABEL[g], "value": GRAIN_PARAM[g]} for g in Grain],
                        className="pt-1",
                    ),
                ],
                md=3,
            ),
            dbc.Col(
                [
                    dbc.Label("Periode", html_for=PERIOD),
                    dbc.Select(
                        id=PERIOD,
                        options=period_options(latest, view.grain, through=through),
                        value=period_param(period, view.grain) if period else None,
                    ),
                ],
                md=4,
            ),
        ],
        className="g-3 picker",
    )

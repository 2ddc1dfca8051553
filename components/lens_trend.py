"""Lens 1, Udvikling over tid: the KPI per period with last year, the parent and the target."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
from dash import Dash, Input, Output, dcc, html

from components import states
from components.figures import empty_figure, trend_figure
from components.formatting import format_period
from components.kpi_state import resolve_state, templated_sentence
from components.sentences import trend_sentence
from components.services import Services
from queries.catalogue.models import Grain

GRAPH, SENTENCE = "trend-graph", "trend-sentence"
PERIODS = {Grain.month: 24, Grain.quarter: 12, Grain.year: 6}


def without_empty_start(frame: pd.DataFrame) -> pd.DataFrame:
    """Drop the periods before the data begins, so the axis starts where the story does."""
    known = frame[["value", "last_year", "parent"]].notna().any(axis=1) | frame["suppressed"]
    if not known.any():
        return frame
    return frame.loc[known.idxmax() :]


def panel() -> dbc.Card:
    return dbc.Card(
        [
            dbc.CardHeader(html.H2("Udvikling over tid", className="h5 mb-0")),
            dbc.CardBody(
                [
                    html.P(id=SENTENCE, className="lens-sentence"),
                    dcc.Loading(
                        dcc.Graph(
                            id=GRAPH,
                            figure=empty_figure("Henter tal …"),
                            config={"locale": "da", "displayModeBar": False},
                        ),
                        type="dot",
                        delay_show=300,
                    ),
                    html.P(
                        "Klik på et punkt for at se borgerne bag tallet i den periode.",
                        className="small text-body-secondary mb-0",
                    ),
                ]
            ),
        ],
        className="lens-card h-100",
    )


def register(app: Dash, services: Services) -> None:
    @app.callback(Output(GRAPH, "figure"), Output(SENTENCE, "children"), Input("kpi-state", "data"))
    def draw(state: dict | None):
        try:
            resolved = resolve_state(services, state)
            if resolved is None:
                return empty_figure(), states.no_data()
            kpi, view, period = resolved
            trend = services.trend(kpi.id, view.unit, view.grain, period, PERIODS[view.grain])
            org = services.org
            parent = org.parent(view.unit)
            figure = trend_figure(
                without_empty_start(trend.frame),
                kpi.format.value,
                view.grain.value,
                org.name(view.unit),
                org.name(parent) if parent else None,
                services.warehouse.target_of(kpi, view.unit),
                decimals=kpi.decimals,
            )
            return figure, _sentence(kpi, view, period, trend, services)
        except Exception as error:
            return empty_figure("Kunne ikke hente tallene"), states.failed(
                "Udvikling over tid", error
            )


def _sentence(kpi, view, period, trend, services: Services) -> str:
    last = trend.frame.iloc[-1]
    unit_name = services.org.name(view.unit)
    target = services.warehouse.target_of(kpi, view.unit)
    if not last["suppressed"] and last["value"] != last["value"]:  # NaN: no rows at all
        return f"Der er ingen data for {unit_name} i {format_period(period, view.grain.value)}."
    if kpi.sentence and not last["suppressed"]:
        return templated_sentence(kpi, unit_name, view.grain.value, period, last["value"], target)
    return trend_sentence(
        kpi.title,
        unit_name,
        kpi.format.value,
        kpi.direction.value,
        view.grain.value,
        period,
        last["value"],
        last["last_year"],
        target,
        suppressed=bool(last["suppressed"]),
        min_n=kpi.min_n,
        decimals=kpi.decimals,
    )

"""/brugerstatistik: how the tool is used — per week, KPI, unit and role, never a citizen.

Only for the roles admin and databeskyttelse; anyone else is told so in Danish.
"""

from __future__ import annotations

from datetime import timedelta

import dash
import dash_bootstrap_components as dbc
import plotly.graph_objects as go
from dash import Dash, dcc, html
from flask import current_app

from appdb import usage_stats
from appdb.audit import utc_now
from components.data_use_question import per_area_table
from components.formatting import format_count
from components.services import Services
from components.states import log
from queries.lazy import pandas as pd
from webapp.usage import EXTENSION as USAGE_LOG
from webapp.who import role

ALLOWED_ROLES = ("admin", "databeskyttelse")
WEEKS_SHOWN = 26
NOT_ALLOWED = (
    "Brugerstatistik er kun for administratorer og databeskyttelse. "
    "Kontakt Ledelsesinformation, hvis du har brug for tallene."
)


def may_see_usage() -> bool:
    """Deny by default: a viewer without a known role (or not signed in) sees nothing."""
    return role() in ALLOWED_ROLES


def week_figure(weeks: pd.DataFrame) -> go.Figure:
    figure = go.Figure(
        go.Bar(
            x=list(weeks["uge"]),
            y=list(weeks["visninger"]),
            name="Visninger",
            hovertemplate="%{x}: %{y} visninger<extra></extra>",
            marker_color="#0d6efd",
        )
    )
    figure.update_layout(
        height=260,
        margin={"l": 40, "r": 10, "t": 10, "b": 40},
        separators=",.",
        yaxis_title="Visninger",
        showlegend=False,
    )
    return figure


def table(frame: pd.DataFrame, names: dict[str, str] | None = None) -> dbc.Table | html.P:
    if frame.empty:
        return html.P("Ingen brug endnu.", className="text-body-secondary")
    names = names or {}
    first = frame.columns[0]
    header = html.Thead(
        html.Tr([html.Th(first.capitalize()), html.Th("Visninger"), html.Th("Brugere")])
    )
    body = html.Tbody(
        [
            html.Tr(
                [
                    html.Td(str(names.get(row[first], row[first]))),
                    html.Td(format_count(int(row["visninger"])), className="text-end"),
                    html.Td(format_count(int(row["brugere"])), className="text-end"),
                ]
            )
            for _, row in frame.head(20).iterrows()
        ]
    )
    return dbc.Table([header, body], size="sm", striped=True, className="mb-0")


def section(title: str, content) -> dbc.Card:
    return dbc.Card(
        [dbc.CardHeader(html.H2(title, className="h5 mb-0")), dbc.CardBody(content)],
        className="lens-card mb-3",
    )


def layout_for(services: Services):
    def layout(**_params) -> html.Div:
        heading = html.H1("Brugerstatistik", className="h2")
        if not may_see_usage():
            return html.Div([heading, dbc.Alert(NOT_ALLOWED, color="warning")])
        try:
            events = current_app.extensions[USAGE_LOG].events(
                since=utc_now() - timedelta(weeks=WEEKS_SHOWN)
            )
        except Exception as error:
            log.exception("usage statistics unavailable", exc_info=error)
            return html.Div(
                [heading, dbc.Alert("Statistikken kan ikke hentes lige nu.", color="danger")]
            )
        kpi_titles = {kpi.id: kpi.title for kpi in services.catalogue.kpis}
        unit_names = {unit: services.org.name(unit) for unit in services.org.units}
        weeks = usage_stats.per_week(events)
        return html.Div(
            [
                heading,
                html.P(
                    f"Brugen af MSB i tal de seneste {WEEKS_SHOWN} uger: sidevisninger og "
                    "Excel-udtræk og antal forskellige brugere. Ingen borgeroplysninger.",
                    className="lead-text",
                ),
                section(
                    "Pr. uge",
                    [
                        dcc.Graph(figure=week_figure(weeks), config={"displayModeBar": False}),
                        table(weeks),
                    ]
                    if not weeks.empty
                    else table(weeks),
                ),
                dbc.Row(
                    [
                        dbc.Col(
                            section("Pr. nøgletal", table(usage_stats.per_kpi(events), kpi_titles)),
                            lg=6,
                        ),
                        dbc.Col(
                            section("Pr. enhed", table(usage_stats.per_unit(events), unit_names)),
                            lg=6,
                        ),
                        dbc.Col(section("Pr. rolle", table(usage_stats.per_role(events))), lg=6),
                    ]
                ),
                section("Databrug i ledelsen (1–10) pr. driftsområde", per_area_table(services)),
            ]
        )

    return layout


def register(app: Dash, services: Services) -> None:
    dash.register_page(
        "usage",
        path="/brugerstatistik",
        name="Brugerstatistik",
        title="Brugerstatistik – MSB i tal",
        layout=layout_for(services),
        order=95,
    )

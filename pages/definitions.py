"""/definitioner: every KPI's definition, generated from the catalogue."""

from __future__ import annotations

from urllib.parse import urlencode

import dash
import dash_bootstrap_components as dbc
from dash import Dash, Input, Output, State, dcc, html, no_update

from components.carry import carried_href
from components.formatting import format_count, format_datetime
from components.services import Services
from components.states import log
from pages import for_a_viewer
from queries.catalogue.describe import describe_measure, describe_unit
from queries.catalogue.models import Kpi, SourceSql
from queries.explain import explain


def _row(label: str, value) -> list:
    return [html.Dt(label, className="col-sm-3"), html.Dd(value, className="col-sm-9")]


def definition(
    services: Services,
    kpi: Kpi,
    loaded: dict,
    orphans: dict[str, int] | None = None,
    unit: str | None = None,
) -> dbc.Card:
    """One KPI's definition; its title opens the KPI for `unit` (the unit chosen before)."""
    query = f"?{urlencode({'enhed': unit})}" if unit else ""
    source = kpi.source.sql if isinstance(kpi.source, SourceSql) else kpi.source
    area, section = services.catalogue.section(kpi.section)
    when = loaded.get(source)
    rows = [
        *_row("Beskrivelse", kpi.description),
        *_row("Beregning", describe_measure(kpi)),
        *_row("Enhed og retning", describe_unit(kpi)),
        *_row("Placering", f"{area.title} › {section.title}"),
        *_row("Kilde", [html.Code(source), f" — {kpi.source_note}" if kpi.source_note else ""]),
        *_row("Data senest indlæst", format_datetime(when) if when else "Ukendt"),
        *_row("Ansvarlig", kpi.owner),
    ]
    if orphans and orphans.get(kpi.id):
        rows += _row(
            "Rækker uden enhed",
            f"{format_count(orphans[kpi.id])} rækker i kilden har en enhed, der ikke findes i "
            "organisationen (eller ingen enhed), og tælles ikke med i nogen enhed.",
        )
    if kpi.legal_ref:
        rows += _row("Lovgrundlag", kpi.legal_ref)
    if kpi.min_n:
        rows += _row(
            "Diskretion", f"Tal med færre end {kpi.min_n} borgere bag vises som <{kpi.min_n}."
        )
    return dbc.Card(
        dbc.CardBody(
            [
                html.H2(
                    dcc.Link(kpi.title, href=carried_href(services, f"/kpi/{kpi.id}", query)),
                    className="h5",
                    id=kpi.id,
                ),
                html.Dl(rows, className="row mb-2"),
                html.Details(
                    [
                        html.Summary("Vis den genererede SQL"),
                        html.Pre(
                            id={"type": "definition-sql", "kpi": kpi.id}, className="sql-block"
                        ),
                    ],
                    id={"type": "definition-details", "kpi": kpi.id},
                ),
            ]
        ),
        className="mb-3 definition",
    )


def layout_for(services: Services):
    def layout(enhed: str | None = None, **_ignored) -> html.Div:
        if not for_a_viewer():
            return html.Div()  # only pattern ids here: nothing for Dash's validation
        try:
            loaded = services.load_times()
        except Exception:
            loaded = {}
        orphans = services.known_orphans()
        return html.Div(
            [
                html.H1("Definitioner", className="h2"),
                html.P(
                    "Sådan er hvert nøgletal defineret. Teksten dannes automatisk ud fra "
                    "kpi_definitions.yaml, så den altid passer med tallene.",
                    className="lead-text",
                ),
                *[
                    definition(services, kpi, loaded, orphans, enhed)
                    for kpi in services.catalogue.kpis
                ],
            ]
        )

    return layout


def register(app: Dash, services: Services) -> None:
    dash.register_page(
        "definitions",
        path="/definitioner",
        name="Definitioner",
        title="Definitioner – MSB i tal",
        layout=layout_for(services),
        order=90,
    )
    dialect = services.warehouse.engine.dialect.name

    @app.callback(
        Output({"type": "definition-sql", "kpi": dash.MATCH}, "children"),
        Input({"type": "definition-details", "kpi": dash.MATCH}, "open"),
        State({"type": "definition-sql", "kpi": dash.MATCH}, "id"),
        prevent_initial_call=True,
    )
    def show_sql(is_open: bool, ident: dict):
        if not is_open:
            return no_update
        try:
            return explain(
                services.warehouse,
                ident["kpi"],
                "trend",
                dialect if dialect in ("duckdb", "sqlite", "postgresql", "mssql") else "mssql",
            )
        except Exception as error:
            log.exception("explain %s failed", ident["kpi"], exc_info=error)
            return (
                "SQL'en kunne ikke dannes lige nu. Prøv igen, eller kør python -m queries explain."
            )

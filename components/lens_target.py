"""Lens 4, Over/under målet: every unit against its target, coloured by the KPI's direction."""

from __future__ import annotations

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Dash, Input, Output, dcc, html

from components import states
from components.formatting import format_delta, format_value
from components.kpi_state import resolve_state
from components.sentences import target_sentence
from components.services import Services
from components.status import STATUS_LABELS, status_of

GRID, SENTENCE = "target-grid", "target-sentence"

COLUMNS = [
    {"field": "enhed", "headerName": "Enhed", "flex": 2, "minWidth": 220},
    {"field": "vaerdi", "headerName": "Værdi", "flex": 1, "minWidth": 100, "type": "rightAligned"},
    {"field": "maal", "headerName": "Mål", "flex": 1, "minWidth": 100, "type": "rightAligned"},
    {
        "field": "afvigelse",
        "headerName": "Afvigelse",
        "flex": 1,
        "minWidth": 160,
        "type": "rightAligned",
    },
    {
        "field": "status",
        "headerName": "Status",
        "flex": 1.3,
        "minWidth": 170,
        "cellClassRules": {
            f"status-{key}": f"params.data.status_key == '{key}'" for key in STATUS_LABELS
        },
    },
    {
        "field": "bevaegelse",
        "headerName": "Siden sidste periode",
        "flex": 1.2,
        "type": "rightAligned",
    },
]


def panel() -> dbc.Card:
    return dbc.Card(
        [
            dbc.CardHeader(html.H2("Over/under målet", className="h5 mb-0")),
            dbc.CardBody(
                [
                    html.P(id=SENTENCE, className="lens-sentence"),
                    dcc.Loading(
                        dag.AgGrid(
                            id=GRID,
                            columnDefs=COLUMNS,
                            rowData=[],
                            defaultColDef={"sortable": True, "resizable": True},
                            dashGridOptions={
                                "domLayout": "normal",
                                "animateRows": False,
                                "localeText": {"noRowsToShow": "Ingen enheder"},
                            },
                            style={"height": "420px"},
                        ),
                        type="dot",
                        delay_show=300,
                    ),
                ]
            ),
        ],
        className="lens-card",
    )


def rows_for(result, kpi, tolerance: float) -> list[dict]:
    fmt, decimals, direction = kpi.format.value, kpi.decimals, kpi.direction.value
    rows = []
    for row in result.frame.itertuples():
        if pd.isna(row.value) and not row.suppressed and pd.isna(row.previous):
            continue  # a unit that does not do this work has no row, rather than a row of dashes
        status = status_of(None if row.suppressed else row.value, row.target, tolerance, direction)
        label = "Skjult (for få borgere)" if row.suppressed else STATUS_LABELS[status]
        value = f"<{kpi.min_n}" if row.suppressed else format_value(row.value, fmt, decimals)
        rows.append(
            {
                "unit_id": row.unit_id,
                "depth": int(row.depth),
                "enhed": "\u2003" * int(row.depth) + row.unit_name,  # indented like the org tree
                "vaerdi": value,
                "maal": format_value(row.target, fmt, decimals),
                "afvigelse": "–" if row.suppressed else format_delta(row.deviation, fmt, decimals),
                "status": label,
                "status_key": status,
                "bevaegelse": "–"
                if row.suppressed or pd.isna(row.movement)
                else format_delta(row.movement, fmt, decimals),
            }
        )
    return rows


def register(app: Dash, services: Services) -> None:
    @app.callback(Output(GRID, "rowData"), Output(SENTENCE, "children"), Input("kpi-state", "data"))
    def draw(state: dict | None):
        try:
            resolved = resolve_state(services, state)
            if resolved is None:
                return [], states.no_data()
            kpi, view, period = resolved
            if kpi.target is None:
                return [], states.message("Der er ikke fastsat et mål for dette nøgletal.")
            result = services.targets(kpi.id, view.grain, period)
            rows = rows_for(result, kpi, kpi.target.tolerance)
            counts = {key: sum(r["status_key"] == key for r in rows) for key in STATUS_LABELS}
            return rows, states.keep_together(
                target_sentence(kpi.title, kpi.format.value, view.grain.value, period, counts)
            )
        except Exception as error:
            return [], states.failed("Over/under målet", error)

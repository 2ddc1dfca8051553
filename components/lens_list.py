"""Lens 3, Detaljer: the rows behind one unit and period, paged and sorted on the server.

Only the visible page is fetched; the viewer's scope is applied in the data layer.
"""

from __future__ import annotations

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import Dash, Input, Output, State, dcc, html, no_update

from components import list_export, states
from components.formatting import format_value
from components.kpi_state import resolve_state
from components.sentences import list_sentence
from components.services import Services

GRID, SENTENCE, NUMERATOR = "list-grid", "list-sentence", "list-numerator"
PAGE_SIZE = 25
SCROLLED = "list-scrolled"


def panel(numerator_only: bool) -> dbc.Card:
    return dbc.Card(
        [
            dcc.Store(id=SCROLLED),
            dbc.CardHeader(
                [
                    html.H2("Detaljer – borgerne bag tallet", className="h5 mb-0"),
                    dbc.Switch(
                        id=NUMERATOR,
                        value=numerator_only,
                        label="Kun dem i tælleren",
                        className="small mb-0",
                    ),
                ],
                className="d-flex justify-content-between align-items-center flex-wrap gap-2",
            ),
            dbc.CardBody(
                [
                    html.P(id=SENTENCE, className="lens-sentence"),
                    dag.AgGrid(
                        id=GRID,
                        columnDefs=[],
                        rowModelType="infinite",
                        defaultColDef={
                            "sortable": True,
                            "resizable": True,
                            "flex": 1,
                            "minWidth": 110,
                        },
                        dashGridOptions={
                            "pagination": True,
                            "paginationPageSize": PAGE_SIZE,
                            "paginationPageSizeSelector": False,
                            "cacheBlockSize": PAGE_SIZE,
                            "maxBlocksInCache": 4,
                            "infiniteInitialRowCount": 1,
                            "rowBuffer": 0,
                            "localeText": {
                                "noRowsToShow": "Ingen rækker",
                                "page": "Side",
                                "of": "af",
                                "ofPage": "af",
                                "to": "–",
                                "more": "flere",
                                "loadingOoo": "Henter …",
                            },
                        },
                        style={"height": "560px"},
                    ),
                    list_export.button(),
                    html.P(
                        "Listen viser kun borgere i de enheder, du har adgang til. CPR-numre er "
                        "maskeret, og hver visning logges.",
                        className="small text-body-secondary mt-2 mb-0",
                    ),
                ]
            ),
        ],
        className="lens-card",
        id="liste",
    )


def _display(value: object, key: str) -> object:
    if isinstance(value, float):
        return format_value(value, "number", 0 if value.is_integer() else 1)
    if isinstance(value, str) and len(value) >= 10 and value[4] == "-" and value[7] == "-":
        day = f"{value[8:10]}.{value[5:7]}.{value[0:4]}"
        return f"{day} {value[11:16]}".strip()
    return value


def register(app: Dash, services: Services) -> None:
    list_export.register(app, services)
    # A drill-down that asked for the list (#liste) lands on it once the list is described.
    app.clientside_callback(
        """function (sentence) {
            if (window.location.hash === "#liste") {
                const card = document.getElementById("liste");
                if (card) { card.scrollIntoView({behavior: "smooth", block: "start"}); }
            }
            return window.location.hash;
        }""",
        Output(SCROLLED, "data"),
        Input(SENTENCE, "children"),
        prevent_initial_call=True,
    )

    @app.callback(
        Output(GRID, "columnDefs"), Output(SENTENCE, "children"), Input("kpi-state", "data")
    )
    def columns(state: dict | None):
        try:
            resolved = resolve_state(services, state)
            if resolved is None:
                return [], states.no_data()
            kpi, view, period = resolved
            if kpi.list is None:
                return [], states.message("Dette nøgletal har ingen liste over borgere.")
            page = services.list_header(kpi.id, view.unit, view.grain, period, view.numerator_only)
            defs = [{"field": key, "headerName": label} for key, label in page.columns]
            singular, plural = kpi.list.noun
            text = list_sentence(
                page.total,
                services.org.name(view.unit),
                view.grain.value,
                period,
                view.numerator_only,
                singular,
                plural,
                hidden=services.is_hidden(kpi.id, view.unit, view.grain, period),
            )
            return defs, states.keep_together(text)
        except Exception as error:
            return [], states.failed("Listen", error)

    @app.callback(
        Output(GRID, "getRowsResponse"),
        Input(GRID, "getRowsRequest"),
        State("kpi-state", "data"),
        prevent_initial_call=True,
    )
    def rows(request: dict | None, state: dict | None):
        if not request:
            return no_update
        try:
            resolved = resolve_state(services, state)
            if resolved is None or resolved[0].list is None:
                return {"rowData": [], "rowCount": 0}
            kpi, view, period = resolved
            start = int(request.get("startRow", 0))
            limit = max(1, min(int(request.get("endRow", start + PAGE_SIZE)) - start, 500))
            sort = tuple(
                (item["colId"], item["sort"] == "desc") for item in request.get("sortModel") or []
            )
            page = services.list_page(
                kpi.id,
                view.unit,
                view.grain,
                period,
                numerator_only=view.numerator_only,
                sort=sort,
                offset=start,
                limit=limit,
            )
            data = [{k: _display(v, k) for k, v in row.items()} for row in page.rows]
            return {"rowData": data, "rowCount": page.total}
        except Exception as error:
            states.log.exception("list page failed", exc_info=error)
            return {"rowData": [], "rowCount": 0}

"""Lens 3, Detaljer: the rows behind one unit and period, paged and sorted on the server.

No citizen row leaves the server before the viewer presses "Vis borgerne" and, once a
session, has given a purpose; until then the grid's request waits unanswered. Only the
visible page is fetched; scope, rights and purpose are checked by the services for
every page, and each page shown is logged with the view it was shown in.
"""

from __future__ import annotations

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import Dash, Input, Output, State, dcc, html, no_update
from dash.exceptions import PreventUpdate

from components import list_export, states
from components.citizen_access import Refused, partial
from components.formatting import format_value
from components.grid_locale import locale_text
from components.kpi_state import resolve_state
from components.sentences import list_sentence
from components.services import Services
from queries.catalogue.describe import numerator_toggle_label

GRID, SENTENCE, NUMERATOR = "list-grid", "list-sentence", "list-numerator"
PAGE_SIZE = 25
ROW_HEIGHT = 50  # two lines of text: rows of a paged list cannot grow one by one
SCROLLED = "list-scrolled"
OPENED, OPEN, GATE, GATE_STATUS = "list-opened", "list-open", "list-gate", "list-gate-status"
PURPOSE, PURPOSE_FIELD, NOTICE, BODY = (
    "list-purpose",
    "list-purpose-field",
    "list-notice",
    "list-body",
)
UNMASK, UNMASK_RESULT = "list-unmask", "list-unmask-result"
HIDDEN, SHOWN = {"display": "none"}, {"display": "block"}
NO_ROWS = {"rowData": [], "rowCount": 0}


def _gate() -> html.Div:
    """The purpose (asked once a session) and the button that opens the list."""
    row = html.Div(
        [
            html.Div(
                [
                    dbc.Label(
                        "Formål med at se borgerne", html_for=PURPOSE, className="small mb-1"
                    ),
                    dbc.Select(id=PURPOSE, options=[], placeholder="Vælg formål …", size="sm"),
                ],
                id=PURPOSE_FIELD,
                className="me-2",
                style={"minWidth": "16rem"},
            ),
            dbc.Button(
                [html.I(className="bi bi-people me-1", **{"aria-hidden": "true"}), "Vis borgerne"],
                id=OPEN,
                color="primary",
                size="sm",
            ),
            html.Span(id=GATE_STATUS, className="small text-danger ms-2", role="status"),
        ],
        className="d-flex align-items-end flex-wrap gap-2 mb-2",
    )
    return html.Div(row, id=GATE, hidden=True)  # `hidden` would lose to d-flex's !important


def _grid() -> dag.AgGrid:
    return dag.AgGrid(
        id=GRID,
        columnDefs=[],
        rowModelType="infinite",
        defaultColDef={
            "sortable": True,
            "resizable": True,
            "flex": 1,
            "minWidth": 88,
            "wrapText": True,  # a name or team longer than its column takes a second line
            "wrapHeaderText": True,
            "autoHeaderHeight": True,
        },
        dashGridOptions={
            "rowHeight": ROW_HEIGHT,  # the infinite row model needs one height for all rows
            "pagination": True,
            "paginationPageSize": PAGE_SIZE,
            "paginationPageSizeSelector": False,
            "cacheBlockSize": PAGE_SIZE,
            "maxBlocksInCache": 4,
            "infiniteInitialRowCount": 1,
            "rowBuffer": 0,
            "suppressRowVirtualisation": True,  # the page's rows all drawn, for print
            "ensureDomOrder": True,
            "rowSelection": {
                "mode": "singleRow",
                "checkboxes": False,
                "enableClickSelection": True,
            },
            "localeText": locale_text(),
        },
        style={"height": "560px"},
    )


def _unmask() -> html.Div:
    return html.Div(
        [
            dbc.Button("Vis CPR", id=UNMASK, color="secondary", outline=True, size="sm"),
            html.Span(id=UNMASK_RESULT, className="small ms-2", role="status"),
        ],
        className="mt-2",
    )


def panel(numerator_only: bool, numerator_label: str | None = None) -> dbc.Card:
    """`numerator_label` names the switch to a ratio's numerator rows
    (queries.catalogue.describe.numerator_toggle_label); None hides the switch, since
    the list of any other measure already is the rows it counts."""
    return dbc.Card(
        [
            dcc.Store(id=SCROLLED),
            dcc.Store(id=OPENED, data=False),
            dbc.CardHeader(
                [
                    html.H2("Detaljer – borgerne bag tallet", className="h5 mb-0"),
                    dbc.Switch(
                        id=NUMERATOR,
                        value=numerator_only and numerator_label is not None,
                        label=numerator_label or "",
                        className="small mb-0" if numerator_label else "d-none",
                    ),
                ],
                className="d-flex justify-content-between align-items-center flex-wrap gap-2",
            ),
            dbc.CardBody(
                [
                    html.P(id=SENTENCE, className="lens-sentence"),
                    html.Div(id=NOTICE, className="small mb-2"),
                    _gate(),
                    html.Div(
                        [
                            _grid(),
                            html.Div(_unmask(), id="list-unmask-row", hidden=True),
                            list_export.button(),
                        ],
                        id=BODY,
                        style=HIDDEN,
                    ),
                    html.P(
                        "Listen viser kun borgere i de enheder, du har adgang til. CPR-numre er "
                        "maskeret, og hver visning logges med dit formål.",
                        className="small text-body-secondary mt-2 mb-0",
                    ),
                ]
            ),
        ],
        className="lens-card",
        id="liste",
    )


def _column(key: str, label: str, cpr: str | None) -> dict:
    """A list column; the masked CPR number keeps one line and cannot be sorted by (the
    data layer refuses it too); a name gets room to wrap onto two lines."""
    if key == cpr:
        return {
            "field": key,
            "headerName": label,
            "sortable": False,
            "wrapText": False,
            "minWidth": 106,
        }
    return {"field": key, "headerName": label, "flex": 1.6 if key.endswith("navn") else 1}


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
        Output(GRID, "columnDefs"),
        Output(SENTENCE, "children"),
        Output(NOTICE, "children"),
        Output(GATE, "hidden"),
        Output(PURPOSE_FIELD, "hidden"),
        Output(PURPOSE, "options"),
        Output("list-unmask-row", "hidden"),
        Input("kpi-state", "data"),
    )
    def columns(state: dict | None):
        closed = ("", True, True, [], True)
        try:
            resolved = resolve_state(services, state)
            if resolved is None:
                return [], states.no_data(), *closed
            kpi, view, period = resolved
            if kpi.list is None:
                return [], states.message("Dette nøgletal har ingen liste over borgere."), *closed
            try:
                page = services.list_header(
                    kpi.id, view.unit, view.grain, period, view.numerator_only
                )
            except Refused as refused:
                return [], states.message(str(refused), "muted", "lock"), *closed
            cpr = services.warehouse.cpr_key()
            defs = [_column(key, label, cpr) for key, label in page.columns]
            singular, plural = kpi.list.noun
            text = list_sentence(
                page.total,
                services.org.name(view.unit),
                view.grain.value,
                period,
                view.numerator_only and numerator_toggle_label(kpi) is not None,
                singular,
                plural,
                hidden=services.is_hidden(kpi.id, view.unit, view.grain, period),
            )
            looker = services.looker()
            notice = ""
            if partial(looker.scope, services.org, view.unit):
                notice = "Tallet og listen omfatter kun borgerne i de enheder, du har adgang til."
            options = [{"label": p, "value": p} for p in services.purposes()]
            return (
                defs,
                states.keep_together(text),
                notice,
                False,
                bool(looker.purpose),
                options,
                "unmask" not in looker.rights,
            )
        except Exception as error:
            return [], states.failed("Listen", error), *closed

    def fetch(request: dict, state: dict | None) -> dict:
        """One page for the grid, or an empty one with the reason logged."""
        resolved = resolve_state(services, state)
        if resolved is None or resolved[0].list is None:
            return {"rowData": [], "rowCount": 0}
        kpi, view, period = resolved
        start = max(0, int(request.get("startRow", 0)))
        limit = max(1, min(int(request.get("endRow", start + PAGE_SIZE)) - start, 500))
        page = services.list_page(
            kpi.id,
            view.unit,
            view.grain,
            period,
            numerator_only=view.numerator_only,
            sort=_sort(request),
            offset=start,
            limit=limit,
        )
        data = [{k: _display(v, k) for k, v in row.items()} for row in page.rows]
        return {"rowData": data, "rowCount": page.total}

    @app.callback(
        Output(OPENED, "data"),
        Output(BODY, "style"),
        Output(GATE_STATUS, "children"),
        Output(PURPOSE_FIELD, "hidden", allow_duplicate=True),
        Output(GRID, "getRowsResponse", allow_duplicate=True),
        Output(SENTENCE, "children", allow_duplicate=True),
        Input(OPEN, "n_clicks"),
        State(PURPOSE, "value"),
        State(GRID, "getRowsRequest"),
        State("kpi-state", "data"),
        prevent_initial_call=True,
    )
    def open_list(clicks: int | None, chosen: str | None, request: dict | None, state):
        """The viewer asks to see the citizens: purpose first, then the waiting page."""
        if not clicks:
            raise PreventUpdate
        if not services.purpose() and not services.choose_purpose(chosen):
            return False, HIDDEN, "Vælg et formål først.", False, no_update, no_update
        try:
            answer = fetch(request, state) if request else no_update
        except Refused as refused:
            return False, HIDDEN, str(refused), True, no_update, no_update
        except Exception as error:  # in place of the sentence: no count above no rows
            return False, HIDDEN, "", True, no_update, states.failed("Listen", error)
        return True, SHOWN, "", True, answer, no_update

    @app.callback(
        Output(GRID, "getRowsResponse"),
        Output(SENTENCE, "children", allow_duplicate=True),
        Input(GRID, "getRowsRequest"),
        State("kpi-state", "data"),
        State(OPENED, "data"),
        prevent_initial_call=True,
    )
    def rows(request: dict | None, state: dict | None, opened: bool | None):
        """A page of rows; or none, and the sentence above the grid says why instead of
        counting rows that are not shown."""
        if not request:
            return no_update, no_update
        if not opened:
            raise PreventUpdate  # the grid waits until "Vis borgerne" answers it
        try:
            return fetch(request, state), no_update
        except Refused as refused:
            return NO_ROWS, states.message(str(refused), "muted", "lock")
        except Exception as error:
            return NO_ROWS, states.failed("Listen", error)

    @app.callback(
        Output(UNMASK_RESULT, "children"),
        Input(UNMASK, "n_clicks"),
        State(GRID, "cellClicked"),
        State(GRID, "selectedRows"),
        State(GRID, "getRowsRequest"),
        State("kpi-state", "data"),
        prevent_initial_call=True,
    )
    def unmask(clicks, clicked: dict | None, selected: list | None, request, state):
        """The CPR of the one row the viewer chose; refused and logged without the right."""
        if not clicks:
            raise PreventUpdate
        resolved = resolve_state(services, state)
        cpr_key = services.warehouse.cpr_key()
        if not clicked or not selected or resolved is None or resolved[0].list is None:
            return "Vælg først én række i listen."
        kpi, view, period = resolved
        try:
            cpr = services.unmask_row(
                kpi.id,
                view.unit,
                view.grain,
                period,
                int(clicked.get("rowIndex", -1)),
                str(selected[0].get(cpr_key, "")),
                numerator_only=view.numerator_only,
                sort=_sort(request or {}),
            )
        except Refused as refused:
            return str(refused)
        except Exception as error:
            states.log.exception("unmask failed", exc_info=error)
            return "CPR-nummeret kunne ikke vises lige nu."
        if not cpr:
            return "Rækken er ikke længere den samme; vælg den igen."
        return f"CPR-nummer for {selected[0].get(cpr_key)}: {cpr} (visningen er logget)."


def _sort(request: dict) -> tuple[tuple[str, bool], ...]:
    return tuple(
        (str(item["colId"]), item["sort"] == "desc") for item in request.get("sortModel") or []
    )

"""Lens 4, Over/under målet: every unit against its target, coloured by the KPI's direction."""

from __future__ import annotations

from datetime import date

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import Dash, Input, Output, State, dcc, html
from flask import g, has_request_context

from components import maalkompas, states
from components.formatting import format_delta, format_value
from components.grid_locale import locale_text
from components.kpi_state import partial_target, read_state, resolve_state, target_rule
from components.sentences import NOT_YET, target_sentence
from components.services import Services
from components.status import STATUS_LABELS, status_of
from queries.catalogue.models import Grain
from queries.compiler.periods import floor_period
from queries.lazy import pandas as pd
from queries.partial import Coverage, movement_comparable

GRID, SENTENCE = "target-grid", "target-sentence"
NO_TARGET = (
    "Der er ikke fastsat et mål for dette nøgletal. Tabellen viser enhedernes tal og "
    "udviklingen siden sidste periode."
)


def _number_column(field: str, header: str, **extra) -> dict:
    """A column that sorts on the raw number in `field` and shows the Danish text kept
    beside it in `<field>_tekst` (a hidden figure has no number: AG Grid sorts it first
    ascending, last descending)."""
    return {
        "field": field,
        "headerName": header,
        "type": "rightAligned",
        "valueFormatter": {"function": f"params.data ? params.data.{field}_tekst : ''"},
        "flex": 1,
        "minWidth": 80,
        **extra,
    }


# Narrow enough together for a tablet (768 px); a text longer than its column wraps
# onto a second line (defaultColDef), so nothing is cut off.
COLUMNS = [
    {"field": "enhed", "headerName": "Enhed", "flex": 2, "minWidth": 150},
    _number_column("vaerdi", "Værdi"),
    _number_column(
        "maal", maalkompas.ORG_TARGET, minWidth=75, wrapHeaderText=True, autoHeaderHeight=True
    ),
    _number_column(
        "eget_maal",
        maalkompas.OWN_GOAL,
        minWidth=75,
        wrapHeaderText=True,
        autoHeaderHeight=True,
        hide=True,  # shown once a unit in the grid has its own goal (see register)
    ),
    _number_column("afvigelse", "Afvigelse", minWidth=100, flex=1.3),
    {
        "field": "status",
        "headerName": "Status",
        "flex": 1.3,
        "minWidth": 110,
        "cellClassRules": {
            f"status-{key}": f"params.data.status_key == '{key}'" for key in STATUS_LABELS
        },
    },
    _number_column("bevaegelse", "Siden sidste periode", minWidth=100, flex=1.3),
]


def columns_for(rows: list[dict]) -> list[dict]:
    """The columns, "Enhedens eget mål" shown only when a unit in `rows` has its own goal
    (what the grid's client-side callback does when its rows change)."""
    shown = any(row.get("eget_maal") is not None for row in rows)
    return [
        {**column, "hide": not shown} if column["field"] == "eget_maal" else column
        for column in COLUMNS
    ]


def panel(shown: tuple | None = None) -> dbc.Card:
    """`shown`: the grid's rows and the sentence, drawn with the page (see `outputs`)."""
    rows, sentence = shown if shown is not None else ([], None)
    return dbc.Card(
        [
            dbc.CardHeader(html.H2("Over/under målet", className="h5 mb-0")),
            dbc.CardBody(
                [
                    html.P(sentence, id=SENTENCE, className="lens-sentence"),
                    html.P(
                        "Status og afvigelse måles mod organisationens mål. Enhedens eget mål "
                        "er det, enhedens ledelse selv har sat i Målkompas.",
                        className="small text-body-secondary",
                    ),
                    dcc.Loading(
                        dag.AgGrid(
                            id=GRID,
                            columnDefs=columns_for(rows),
                            rowData=rows,
                            defaultColDef={
                                "sortable": True,
                                "resizable": True,
                                "wrapText": True,
                                "autoHeight": True,
                                "wrapHeaderText": True,
                                "autoHeaderHeight": True,
                            },
                            dashGridOptions={
                                "domLayout": "normal",
                                "animateRows": False,
                                # every row drawn, so print holds them all
                                "suppressRowVirtualisation": True,
                                "ensureDomOrder": True,  # rows in sorted order also on paper
                                "localeText": locale_text(noRowsToShow="Ingen enheder"),
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


def _number(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def rows_for(
    result, kpi, tolerance: float, part: Coverage | None = None, own: dict | None = None
) -> list[dict]:
    """One row per unit: raw numbers to sort on, and their Danish text to show.

    In a running period (`part`) the target is pro-rated or left out (see
    queries.partial), and a count's movement against a whole previous period is left out.
    `own` holds the units' own goals (Målkompas) by unit, shown beside the target."""
    own = own or {}
    fmt, decimals, direction = kpi.format.value, kpi.decimals, kpi.direction.value
    moves = movement_comparable(kpi, part)
    rows = []
    for row in result.frame.itertuples():
        if pd.isna(row.value) and not row.suppressed and pd.isna(row.previous):
            continue  # a unit that does not do this work has no row, rather than a row of dashes
        hidden = bool(row.suppressed) or pd.isna(row.value)
        target, rule = partial_target(kpi, _number(row.target), part)
        value = None if hidden else float(row.value)
        deviation = None if value is None or target is None else value - target
        movement = None if hidden or not moves else _number(row.movement)
        status = status_of(value, target, tolerance, direction)
        if row.suppressed:
            label = "Skjult (for få borgere)"
        elif rule == NOT_YET:
            label = "Kan ikke sammenlignes endnu"
        else:
            label = STATUS_LABELS[status]
        rows.append(
            {
                "unit_id": row.unit_id,
                "depth": int(row.depth),
                "enhed": "\u2003" * int(row.depth) + row.unit_name,  # indented like the org tree
                "vaerdi": value,
                "vaerdi_tekst": f"<{kpi.min_n}"
                if row.suppressed
                else format_value(value, fmt, decimals),
                "maal": target,
                "maal_tekst": format_value(target, fmt, decimals),
                "eget_maal": own.get(row.unit_id),
                "eget_maal_tekst": format_value(own.get(row.unit_id), fmt, decimals),
                "afvigelse": deviation,
                "afvigelse_tekst": "–"
                if deviation is None
                else format_delta(deviation, fmt, decimals),
                "status": label,
                "status_key": status,
                "bevaegelse": movement,
                "bevaegelse_tekst": "–"
                if movement is None
                else format_delta(movement, fmt, decimals),
            }
        )
    return rows


def readable_goals(services: Services, kpi_id: str) -> dict:
    """Every unit's active goal the viewer may read, from the app database once per
    request: a kept answer's key and the answer it keeps are made of the same read."""
    found = g.get("target_goals") if has_request_context() else None
    if found is not None and found[0] == kpi_id:
        return found[1]
    goals = maalkompas.own_goals(services, kpi_id)
    if has_request_context():
        g.target_goals = (kpi_id, goals)
    return goals


def own_goals(services: Services, kpi_id: str, grain: Grain, period: date) -> dict[str, float]:
    """The own goals (Målkompas) the viewer may read that apply in `period`, by unit."""
    return {
        unit: goal.value
        for unit, goal in readable_goals(services, kpi_id).items()
        if floor_period(goal.from_period, grain) <= period
    }


def answer_key(services: Services, state: dict | None) -> tuple | None:
    """What the grid's answer is made of besides the data version and the release, for
    keeping it (webapp/lens_answers.py): the KPI, grain and period asked (every unit is
    in the grid, so the unit chosen is not; a period left out is the latest complete one
    of the data version), and the own goals this viewer reads from the app database now,
    so a goal stored by any process is a new key at once. The warehouse is not asked.
    None: not kept."""
    found = read_state(services, state)
    if found is None:
        return None
    kpi, view = found
    goals = readable_goals(services, kpi.id)
    own = sorted((unit, goal.value, goal.from_period.isoformat()) for unit, goal in goals.items())
    return (kpi.id, view.grain.value, str(view.period), tuple(own))


def register(app: Dash, services: Services) -> None:
    # The page fills the grid with its layout (pages/kpi.py); this answers a later state.
    @app.callback(
        Output(GRID, "rowData"),
        Output(SENTENCE, "children"),
        Input("kpi-state", "data"),
        prevent_initial_call=True,
    )
    def draw(state: dict | None):
        return outputs(services, state)

    maalkompas.redraw_on_new_goal(
        app, ((GRID, "rowData"), (SENTENCE, "children")), lambda state: outputs(services, state)
    )

    # "Enhedens eget mål" takes room only when a unit in the grid has set one: beside the
    # organisation's target it would otherwise squeeze the grid past a tablet's width.
    # (The page's first rows come with their columns: `columns_for`.)
    app.clientside_callback(
        """(rows, columns) => columns.map(column => column.field !== 'eget_maal' ? column :
            {...column, hide: !(rows || []).some(row => row.eget_maal != null)})""",
        Output(GRID, "columnDefs"),
        Input(GRID, "rowData"),
        State(GRID, "columnDefs"),
        prevent_initial_call=True,
    )


def outputs(services: Services, state: dict | None):
    """The grid's rows and the sentence for a page state, or why there are none."""
    try:
        resolved = resolve_state(services, state)
        if resolved is None:
            return [], states.no_data()
        kpi, view, period = resolved
        result = services.targets(kpi.id, view.grain, period)
        part = services.coverage(kpi.id, view.grain, period)
        own = own_goals(services, kpi.id, view.grain, period)
        if kpi.target is None:  # every unit's figure and movement, judged by no one
            return rows_for(result, kpi, 0.0, part, own), states.message(NO_TARGET)
        rows = rows_for(result, kpi, kpi.target.tolerance, part, own)
        counts = {key: sum(r["status_key"] == key for r in rows) for key in STATUS_LABELS}
        sentence = target_sentence(
            kpi.title,
            kpi.format.value,
            view.grain.value,
            period,
            counts,
            part,
            target_rule(kpi, part),
        )
        return rows, states.keep_together(sentence)
    except Exception as error:
        return [], states.failed("Over/under målet", error)

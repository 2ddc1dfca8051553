"""Målkompas on the KPI page: the organisation's target and the unit's own goal side by
side, a form to set, change or stop the unit's goal, and the goal's history.

The organisation's target comes from the catalogue and is what the status colours are
measured against; the unit's own goal is the leader's, kept in the app database
(appdb.goal_store). `VERSION` changes whenever a goal is stored, so the trend and target
lenses redraw with the new goal line and column.
"""

from __future__ import annotations

import functools
from datetime import date

import dash_bootstrap_components as dbc
from dash import Dash, Input, Output, State, ctx, dcc, html, no_update

from appdb import goal_store
from appdb.goal_store import Goal, GoalInvalid, GoalRefused
from appdb.history import may_read
from components import states
from components.formatting import format_value
from components.kpi_state import STORE, resolve_state
from components.people import app_db, person, when
from components.period_text import month_name
from components.services import Services
from identity import current
from queries.catalogue.models import Kpi
from queries.compiler.periods import add_months

OWN_GOAL, ORG_TARGET = "Enhedens eget mål", "Organisationens mål"
VERSION = "maalkompas-version"
SUMMARY, HISTORY, STATUS = "maalkompas-summary", "maalkompas-history", "maalkompas-status"
FORM, HINT = "maalkompas-form", "maalkompas-hint"
VALUE, TOLERANCE, FROM, WHY = (
    "maalkompas-value",
    "maalkompas-tolerance",
    "maalkompas-from",
    "maalkompas-why",
)
SAVE, STOP = "maalkompas-save", "maalkompas-stop"
FIELD_NAMES = {
    "value": "Mål",
    "tolerance": "Tolerance",
    "from_period": "Gælder fra",
    "why": "Begrundelse",
    "active": "Status",
}
BOX = "p-3 border rounded h-100"
_ENTRY_UNIT = {"percent": "%", "number": "antal", "kr": "kr.", "days": "dage"}


# ---- reading goals for the lenses -----------------------------------------------------


def readable(services: Services, unit: str) -> bool:
    """A unit's own goals and their history are read by the unit's own leaders, those
    above it, and viewers with every unit (as on the Målkompas page)."""
    return may_read(current.viewer(), unit, services.org)


def own_goal(services: Services, kpi_id: str, unit: str) -> Goal | None:
    """The unit's active goal; None when there is none, the viewer may not read it, or
    the app database is away (the lens then draws without it rather than failing)."""
    engine = app_db(services)
    if not readable(services, unit):
        return None
    try:
        return goal_store.active_goal(engine, kpi_id, unit) if engine is not None else None
    except Exception as error:
        states.log.warning("own goal unavailable (%s)", type(error).__name__)
        return None


def own_goals(services: Services, kpi_id: str) -> dict[str, Goal]:
    """Every unit's active goal for the KPI, by unit."""
    engine = app_db(services)
    try:
        found = goal_store.active_goals(engine, kpi_id) if engine is not None else []
    except Exception as error:
        states.log.warning("own goals unavailable (%s)", type(error).__name__)
        return {}
    viewer, org = current.viewer(), services.org
    return {goal.unit: goal for goal in found if may_read(viewer, goal.unit, org)}


# ---- text ------------------------------------------------------------------------------


def tolerance_text(kpi: Kpi, tolerance: float | None) -> str:
    if tolerance is None or tolerance == 0:
        return ""
    if kpi.format.value == "percent":
        return f" ± {format_value(tolerance * 100, 'number', 1)} procentpoint"
    return f" ± {format_value(tolerance, kpi.format.value, kpi.decimals)}"


def goal_text(kpi: Kpi, value: float | None, tolerance: float | None) -> str:
    if value is None:
        return "Ikke fastsat"
    return states.keep_together(
        format_value(value, kpi.format.value, kpi.decimals) + tolerance_text(kpi, tolerance)
    )


def entry_text(kpi: Kpi, value: float | None) -> str:
    """A stored value as the leader types it: a percentage as 82,5, a decimal comma."""
    if value is None:
        return ""
    shown = value * 100 if kpi.format.value == "percent" else value
    return f"{round(shown, 4):g}".replace(".", ",")


def month_label(day: date) -> str:
    return f"{month_name(day)} {day.year}"


def changed_text(kpi: Kpi, field: str, text: str | None) -> str:
    """One side of "old → new" in the history, in words."""
    if text is None or text == "":
        return "–"
    try:
        if field == "value":
            return format_value(float(text), kpi.format.value, kpi.decimals)
        if field == "tolerance":
            return tolerance_text(kpi, float(text)).removeprefix(" ± ") or "0"
        if field == "from_period":
            return month_label(date.fromisoformat(text[:10]))
    except ValueError:
        return text
    if field == "active":
        return "aktivt" if text == "True" else "stoppet"
    return text


# ---- the panel -------------------------------------------------------------------------


def month_options(today: date) -> list[dict]:
    """Two years back and one ahead: a goal may start in the past or the coming year."""
    return list(_month_options(date(today.year, today.month, 1)))


@functools.lru_cache(maxsize=4)  # 37 Danish month names, the same all month for every page
def _month_options(first: date) -> tuple[dict, ...]:
    months = [add_months(first, step) for step in range(12, -25, -1)]
    return tuple({"label": month_label(m), "value": m.isoformat()} for m in months)


def _field(label: str, control, width: int) -> dbc.Col:
    return dbc.Col([dbc.Label(label, html_for=control.id, className="small"), control], md=width)


def panel() -> dbc.Card:
    form = html.Div(
        [
            dbc.Row(
                [
                    _field("Enhedens mål", dbc.Input(id=VALUE, inputMode="decimal"), 3),
                    _field("Tolerance", dbc.Input(id=TOLERANCE, inputMode="decimal"), 3),
                    _field("Gælder fra", dbc.Select(id=FROM, options=[]), 3),
                ],
                className="g-2",
            ),
            dbc.Label("Hvorfor dette mål? (én sætning)", html_for=WHY, className="small mt-2"),
            dbc.Textarea(id=WHY, rows=2, maxLength=goal_store.MAX_WHY),
            html.Div(
                [
                    dbc.Button("Gem enhedens mål", id=SAVE, color="primary", size="sm"),
                    dbc.Button(
                        "Stop enhedens mål", id=STOP, color="primary", outline=True, size="sm"
                    ),
                ],
                className="d-flex gap-2 mt-2",
            ),
        ],
        id=FORM,
        className="maalkompas-form mt-3",
    )
    return dbc.Card(
        [
            dbc.CardHeader(html.H2("Målkompas", className="h5 mb-0")),
            dbc.CardBody(
                [
                    dcc.Store(id=VERSION, data=0),
                    html.Div(id=SUMMARY),
                    html.P(id=HINT, className="small text-body-secondary mt-2 mb-0"),
                    form,
                    html.Div(id=STATUS, role="status", className="mt-2"),
                    html.Div(id=HISTORY, className="mt-3"),
                ]
            ),
        ],
        className="lens-card maalkompas",
    )


def summary(
    kpi: Kpi, unit_name: str, target: float | None, goal: Goal | None, shown: bool = True
) -> dbc.Row:
    org_tolerance = kpi.target.tolerance if kpi.target else None
    org_box = [
        html.Div(ORG_TARGET, className="small text-body-secondary"),
        html.Div(goal_text(kpi, target, org_tolerance), className="fs-5 fw-semibold"),
        html.Div(
            "Fastsat i nøgletallets definition. Statusfarverne måles mod dette mål.",
            className="small text-body-secondary",
        ),
    ]
    own_box = [
        html.Div(f"{OWN_GOAL} ({unit_name})", className="small text-body-secondary"),
        html.Div(
            goal_text(kpi, goal.value if goal else None, goal.tolerance if goal else None),
            className="fs-5 fw-semibold own-goal-value",
        ),
    ]
    if not shown:
        own_box[1] = html.Div(
            "Vises for enhedens egne ledere og lederne over den.",
            className="small own-goal-value",
        )
    if goal is not None:
        own_box.append(
            html.Div(
                f"Gælder fra {month_label(goal.from_period)} · sat af {person(goal.set_by)}, "
                f"{when(goal.set_at)}",
                className="small text-body-secondary",
            )
        )
        if goal.why:
            own_box.append(html.Div(f"Hvorfor: {goal.why}", className="small"))
    return dbc.Row(
        [
            dbc.Col(html.Div(org_box, className=f"goal-box {BOX}"), md=6),
            dbc.Col(html.Div(own_box, className=f"goal-box goal-box-own {BOX}"), md=6),
        ],
        className="g-3",
    )


def history_table(kpi: Kpi, rows: list[dict], org) -> html.Div:
    if not rows:
        return html.P("Enhedens mål er ikke ændret endnu.", className="small text-body-secondary")
    body = [
        html.Tr(
            [
                html.Td(when(row["changed_at"])),
                html.Td(person(row["changed_by"])),
                html.Td(org.name(row["unit"]) if row["unit"] in org else row["unit"]),
                html.Td(FIELD_NAMES.get(row["field"], row["field"])),
                html.Td(
                    f"{changed_text(kpi, row['field'], row['old_value'])} → "
                    f"{changed_text(kpi, row['field'], row['new_value'])}"
                ),
            ]
        )
        for row in rows[:20]
    ]
    head = html.Thead(
        html.Tr([html.Th(t) for t in ("Hvornår", "Hvem", "Enhed", "Hvad", "Før → efter")])
    )
    return html.Div(
        [
            html.H3("Ændringer af enhedens mål", className="h6"),
            dbc.Table([head, html.Tbody(body)], size="sm", striped=True, className="mb-0 small"),
        ]
    )


# ---- callbacks -------------------------------------------------------------------------


SHOWN = (
    (SUMMARY, "children"),
    (HISTORY, "children"),
    (HINT, "children"),
    (FORM, "hidden"),
    (VALUE, "value"),
    (TOLERANCE, "value"),
    (FROM, "options"),
    (FROM, "value"),
    (WHY, "value"),
    (STOP, "disabled"),
)
"""What `shown` answers, in order: the page draws it with its layout (components.prefill)."""


def shown(services: Services, state: dict | None) -> tuple:
    """The summary, history and the form's fields for a page state."""
    resolved = resolve_state(services, state)
    engine = app_db(services)
    if resolved is None or engine is None:
        return states.no_data(), None, "", True, "", "", [], None, "", True
    kpi, view, period = resolved
    org = services.org
    may_read_goal = readable(services, view.unit)
    try:
        goal = goal_store.active_goal(engine, kpi.id, view.unit) if may_read_goal else None
        changes = goal_store.goal_history(engine, kpi.id, [view.unit]) if may_read_goal else []
    except Exception as error:
        failed = states.failed("Målkompas", error)
        return failed, None, "", True, "", "", [], None, "", True
    target = services.warehouse.target_of(kpi, view.unit)
    refused = goal_store.refusal(current.viewer(), view.unit, org)
    unit_word = _ENTRY_UNIT[kpi.format.value]
    hint = refused or (
        f"Skriv målet i {unit_word}"
        + (" og tolerancen i procentpoint" if unit_word == "%" else "")
        + ", fx 82,5. Ændringer gemmes med dit navn og tidspunkt."
    )
    start = goal.from_period if goal else date(period.year, period.month, 1)
    options = month_options(date.today())
    if start.isoformat() not in {o["value"] for o in options}:
        options.append({"label": month_label(start), "value": start.isoformat()})
    return (
        summary(kpi, org.name(view.unit), target, goal, may_read_goal),
        history_table(kpi, changes, org) if may_read_goal else None,
        hint,
        refused is not None,
        entry_text(kpi, goal.value if goal else None),
        entry_text(kpi, goal.tolerance if goal else None),
        options,
        start.isoformat(),
        (goal.why or "") if goal else "",
        goal is None,
    )


def register(app: Dash, services: Services) -> None:
    @app.callback(
        *(Output(component, prop) for component, prop in SHOWN),
        Input(STORE, "data"),
        Input(VERSION, "data"),
        prevent_initial_call=True,  # the page's first answer comes with it (pages/kpi.py)
    )
    def show(state: dict | None, _version: int | None):
        return shown(services, state)

    @app.callback(
        Output(STATUS, "children"),
        Output(VERSION, "data"),
        Input(SAVE, "n_clicks"),
        Input(STOP, "n_clicks"),
        State(STORE, "data"),
        State(VALUE, "value"),
        State(TOLERANCE, "value"),
        State(FROM, "value"),
        State(WHY, "value"),
        State(VERSION, "data"),
        prevent_initial_call=True,
    )
    def save(_save, _stop, state, value, tolerance, start, why, version):
        resolved = resolve_state(services, state)
        engine = app_db(services)
        if resolved is None or engine is None:
            return states.message("Målet kan ikke gemmes lige nu.", "warning"), no_update
        kpi, view, _period = resolved
        viewer = current.viewer()
        try:
            if ctx.triggered_id == STOP:
                stopped = goal_store.stop_goal(engine, services.org, viewer, kpi, view.unit)
                text = "Enhedens mål er stoppet." if stopped else "Der var intet mål at stoppe."
            else:
                day = _month(start)
                goal_store.set_goal(
                    engine, services.org, viewer, kpi, view.unit, value, tolerance, day, why
                )
                text = "Enhedens mål er gemt."
        except (GoalRefused, GoalInvalid) as error:
            return states.message(str(error), "warning", "exclamation-triangle"), no_update
        except Exception as error:
            return states.failed("Målkompas", error), no_update
        return states.message(text, "info", "check-circle"), (version or 0) + 1


def _month(text: str | None) -> date | None:
    try:
        return date.fromisoformat(str(text)[:10]) if text else None
    except ValueError:
        return None


def redraw_on_new_goal(app: Dash, outputs: tuple[tuple[str, str], ...], drawn) -> None:
    """A goal stored in Målkompas redraws a lens with it: a callback of its own, so the
    lens's own request stays the one every client and test sends."""

    @app.callback(
        *(Output(component, prop, allow_duplicate=True) for component, prop in outputs),
        Input(VERSION, "data"),
        State("kpi-state", "data"),
        prevent_initial_call=True,
    )
    def redraw_with_goals(_goals_changed: int | None, state: dict | None):
        return drawn(state)

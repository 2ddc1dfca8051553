"""The Spilleplade panel on the KPI page: a leader starts a forløb on what they see (KPI,
unit, grain and period from the view) and fills in the board's five steps, with
Få-det-nu-gjort-kort in step 4 and the follow-up in step 5. Every edit keeps history.
The form's ids and pieces are in components/board_form.py; its callbacks are here."""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
import sqlalchemy as sa
from dash import ALL, Dash, Input, Output, State, ctx, dcc, html, no_update

from appdb import forloeb_store as store
from appdb.history import may_write
from components.board_form import (
    ACTION_ADD,
    ACTION_DUE,
    ACTION_OWNER,
    ACTION_TITLE,
    ACTIONS,
    CARD_DUE,
    CARD_OWNER,
    CARD_SAVE,
    CARD_STATUS,
    CARD_WHY,
    FIELD_IDS,
    FIELDS,
    FOLLOW_UP,
    FORM,
    HEADING,
    HISTORY,
    LOADED,
    MESSAGE,
    NEW_TITLE,
    NOTE,
    PICK,
    SAVE,
    START,
    START_BOX,
    TEXTS,
    VERSION,
    WATCH,
    card_editor,
    panel,
)
from components.board_parts import history_table, safe_follow_up, short_date
from components.formatting import format_period
from components.kpi_state import STORE, resolve_state
from components.people import app_db, person
from components.services import Services
from components.states import log
from identity import current

__all__ = ["panel", "register"]
UNAVAILABLE = "Spillepladen kan ikke vises lige nu. Prøv igen om lidt."
NOT_SAVED = "Spillepladen kunne ikke gemmes lige nu. Prøv igen om lidt; intet er gemt."


def _readable_elsewhere(services: Services, engine, viewer, kpi_id: str) -> list:
    """For a viewer who cannot write here: the forløb on this KPI they may read."""
    found = store.list_forloeb(engine, viewer, services.org, kpi_id=kpi_id)
    if not found:
        return []
    return [
        html.P("Forløb på dette nøgletal, som du kan læse:", className="mb-1 small"),
        html.Ul(
            [
                html.Li(
                    dcc.Link(
                        f"{f['title']} ({services.org.name(f['unit'])})",
                        href=f"/kpi/{kpi_id}?enhed={f['unit']}#spilleplade",
                    )
                )
                for f in found
            ],
            className="small",
        ),
    ]


def _option(found: dict[str, Any]) -> dict[str, Any]:
    period = format_period(found["period"], found["grain"])
    return {
        "label": f"{found['title']} · {period} · {found['status']} · {person(found['created_by'])}",
        "value": str(found["id"]),
    }


SHOWN = (
    (NOTE, "children"),
    (PICK, "options"),
    (PICK, "value"),
    (PICK, "style"),
    (START_BOX, "hidden"),
)
"""What `shown` answers, in order: the page draws it with its layout (components.prefill)."""


def shown(services: Services, state, version=None, picked=None) -> tuple:
    """The board's note and its forløb to pick from for a page state."""
    try:
        return _shown(services, state, version, picked)
    except Exception as error:  # the app database or the warehouse away: say so
        log.warning("Spilleplade not shown (%s)", type(error).__name__)
        return _note(UNAVAILABLE), [], None, {"display": "none"}, True


def _shown(services: Services, state, version, picked) -> tuple:
    engine = app_db(services)
    resolved = resolve_state(services, state)
    hide = {"display": "none"}
    if engine is None or resolved is None:
        return _note("Spillepladen kan ikke vises for dette udsnit."), [], None, hide, True
    kpi, view, period = resolved
    viewer = current.viewer()
    org = services.org
    if not may_write(viewer, view.unit, org):
        why = (
            f"Du kan ikke starte eller skrive forløb for {org.name(view.unit)}: du skriver "
            "kun for dine egne enheder og dem under dem"
            + (
                ""
                if viewer and (viewer.units or viewer.all_units)
                else ", og du har ingen enheder endnu"
            )
            + ". Vælg din egen enhed ovenfor, eller kontakt Ledelsesinformation."
        )
        note = [_note(why), *_readable_elsewhere(services, engine, viewer, kpi.id)]
        return note, [], None, hide, True
    found = store.list_forloeb(engine, viewer, org, kpi_id=kpi.id, units=[view.unit])
    options = [_option(f) for f in found]
    wanted = str((version or {}).get("pick") or picked or "")
    known = [o["value"] for o in options]
    value = wanted if wanted in known else (known[0] if known else None)
    lead = html.P(
        f"Start et forløb på {kpi.title.lower()} for {org.name(view.unit)} "
        f"({format_period(period, view.grain.value)}), eller fortsæt et I har startet.",
        className="small text-body-secondary",
    )
    return lead, options, value, None if options else hide, False


def register(app: Dash, services: Services) -> None:
    @app.callback(
        *(Output(component, prop) for component, prop in SHOWN),
        Input(STORE, "data"),
        Input(VERSION, "data"),
        State(PICK, "value"),
        prevent_initial_call=True,  # the page's first answer comes with it (pages/kpi.py)
    )
    def show(state, version, picked):
        return shown(services, state, version, picked)

    @app.callback(
        Output(FORM, "hidden"),
        Output(LOADED, "data"),
        Output(HEADING, "children"),
        *(Output(i, "value") for i in FIELD_IDS),
        Output(WATCH, "options"),
        Output(ACTIONS, "children"),
        Output(ACTION_OWNER, "value"),
        Output(FOLLOW_UP, "children"),
        Output(HISTORY, "children"),
        Input(PICK, "value"),
        Input(VERSION, "data"),
        State(LOADED, "data"),
    )
    def fill(picked, version, loaded=None):
        try:
            return filled(picked, version, loaded)
        except Exception as error:
            log.warning("Spilleplade not filled (%s)", type(error).__name__)
            return True, None, *([no_update] * (len(FIELD_IDS) + 6))

    def filled(picked, _version, loaded):
        engine = app_db(services)
        viewer = current.viewer()
        found = (
            store.get_forloeb(engine, viewer, services.org, int(picked))
            if engine is not None and picked
            else None
        )
        if found is None or not may_write(viewer, found["unit"], services.org):
            return True, None, *([no_update] * (len(FIELD_IDS) + 6))
        cards = store.list_actions(engine, viewer, services.org, [found["id"]])
        values = [found[f] for f in TEXTS]
        watch = store.watch_list(found["watch_kpis"]) or [found["kpi_id"]]
        follow = found["follow_up_on"].isoformat() if found["follow_up_on"] else None
        heading = (
            f"{found['title']} — startet {short_date(found['created_at'].date())} af "
            f"{person(found['created_by'])}, på {format_period(found['period'], found['grain'])}"
        )
        kpis = [  # the watched ones first, so the scrolled box shows them
            {"label": k.title, "value": k.id}
            for k in sorted(services.catalogue.kpis, key=lambda k: k.id not in watch)
        ]
        # The same forløb redrawn after a card was added: keep what the leader has typed
        # and not yet saved; another forløb chosen: show its stored fields.
        same = str(loaded) == str(found["id"])
        fields = [*values, watch, found["direction"], follow, found["status"]]
        return (
            False,
            found["id"],
            heading,
            *([no_update] * len(fields) if same else fields),
            kpis,
            [card_editor(card, services) for card in cards]
            or [html.Li("Ingen handlinger endnu.", className="small text-body-secondary")],
            no_update if same else (viewer.name if viewer else None),
            safe_follow_up(services, found, cards),
            history_table(store.board_history(engine, viewer, services.org, found["id"]), services),
        )

    @app.callback(
        Output(VERSION, "data"),
        Output(MESSAGE, "children"),
        Output(NEW_TITLE, "value"),
        Output(ACTION_TITLE, "value"),
        Input(START, "n_clicks"),
        Input(SAVE, "n_clicks"),
        Input(ACTION_ADD, "n_clicks"),
        Input({"type": CARD_SAVE, "id": ALL}, "n_clicks"),
        State(STORE, "data"),
        State(PICK, "value"),
        State(NEW_TITLE, "value"),
        *(State(i, "value") for i in FIELD_IDS),
        State(ACTION_TITLE, "value"),
        State(ACTION_OWNER, "value"),
        State(ACTION_DUE, "value"),
        State({"type": CARD_STATUS, "id": ALL}, "value"),
        State({"type": CARD_WHY, "id": ALL}, "value"),
        State({"type": CARD_OWNER, "id": ALL}, "value"),
        State({"type": CARD_DUE, "id": ALL}, "value"),
        State({"type": CARD_STATUS, "id": ALL}, "id"),
        State(VERSION, "data"),
        prevent_initial_call=True,
        # A second click while the first is saved would start the same forløb again.
        running=[(Output(START, "disabled"), True, False)],
    )
    def write(_start, _save, _add, card_clicks, state, picked, new_title, *rest):
        *board, title, owner, due, statuses, whys, owners, dues, card_ids, version = rest
        trigger = ctx.triggered_id
        if trigger is None or not ctx.triggered[0].get("value"):  # a card just drawn
            return no_update, no_update, no_update, no_update
        engine = app_db(services)
        viewer = current.viewer()
        resolved = resolve_state(services, state)
        if engine is None or resolved is None:
            return (
                no_update,
                _alert("Spillepladen kan ikke gemmes lige nu.", "warning"),
                no_update,
                no_update,
            )
        kpi, view, period = resolved
        number = (version or {}).get("n", 0) + 1
        pick = int(picked) if picked else None
        clear_title = clear_action = no_update
        try:
            if trigger == START:
                pick = store.create_forloeb(
                    engine,
                    viewer,
                    services.org,
                    kpi_id=kpi.id,
                    unit=view.unit,
                    grain=view.grain.value,
                    period=period,
                    title=new_title,
                )
                said, clear_title = "Forløbet er startet. Udfyld Spillepladen trin for trin.", ""
            elif pick is None:
                return (
                    no_update,
                    _alert("Vælg eller start et forløb først.", "warning"),
                    no_update,
                    no_update,
                )
            elif trigger == SAVE:
                changes = dict(zip(FIELDS, board, strict=True))
                changed = store.update_forloeb(engine, viewer, services.org, pick, **changes)
                said = f"Gemt: {changed} felt{'er' if changed != 1 else ''} ændret."
            elif trigger == ACTION_ADD:
                store.create_action(
                    engine,
                    viewer,
                    services.org,
                    pick,
                    title=title,
                    owner=owner,
                    due_on=due,
                    started_period=period,
                )
                said, clear_action = "Handlingskortet er tilføjet.", ""
            else:
                at = [i["id"] for i in card_ids].index(trigger["id"])
                store.update_action(
                    engine,
                    viewer,
                    services.org,
                    trigger["id"],
                    owner=owners[at],
                    due_on=dues[at],
                    status=statuses[at],
                    why_dropped=whys[at],
                )
                said = "Handlingskortet er gemt."
        except (store.NotAllowed, store.Invalid, store.NotFound) as error:
            return no_update, _alert(str(error), "danger"), no_update, no_update
        except sa.exc.SQLAlchemyError as error:
            log.warning("Spilleplade not saved (%s)", type(error).__name__)
            return no_update, _alert(NOT_SAVED, "warning"), no_update, no_update
        return {"n": number, "pick": pick}, _alert(said, "success"), clear_title, clear_action


def _note(text: str) -> dbc.Alert:
    return dbc.Alert(text, color="secondary", className="small mb-2")


def _alert(text: str, color: str) -> dbc.Alert:
    return dbc.Alert(text, color=color, className="small py-2", dismissable=True)

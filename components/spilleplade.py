"""The Spilleplade panel on the KPI page: a leader starts a forløb on what they see (KPI,
unit, grain and period from the view) and fills in the board's five steps, with
Få-det-nu-gjort-kort in step 4 and the follow-up in step 5. Every edit keeps history."""

from __future__ import annotations

import json
from typing import Any

import dash_bootstrap_components as dbc
import sqlalchemy as sa
from dash import ALL, Dash, Input, Output, State, ctx, dcc, html, no_update

from appdb import forloeb_store as store
from appdb.history import may_write
from appdb.models import ACTION_STATUSES, FORLOEB_STATUSES
from components.board_parts import (
    BOARD_VERSION,
    STEPS,
    action_line,
    app_db,
    history_table,
    person,
    safe_follow_up,
    short_date,
)
from components.formatting import format_period
from components.kpi_state import STORE, resolve_state
from components.services import Services
from components.states import log
from identity import current

VERSION, NOTE, START_BOX, FORM = BOARD_VERSION, "board-note", "board-start-box", "board-form"
PICK, NEW_TITLE, START = "board-pick", "board-new-title", "board-start"
SAVE, MESSAGE, HISTORY, ACTIONS = "board-save", "board-message", "board-history", "board-actions"
FOLLOW_UP, HEADING = "board-follow-up", "board-heading"
ACTION_TITLE, ACTION_OWNER, ACTION_DUE = "board-action-title", "board-action-owner", "board-due"
ACTION_ADD = "board-action-add"
CARD_STATUS, CARD_WHY, CARD_SAVE = "board-card-status", "board-card-why", "board-card-save"
# The board's text fields, each with its input id; step 3 is the 2×2 of explanations.
TEXTS = {
    "known": "board-known",
    "noticed": "board-noticed",
    "external_collective": "board-ext-coll",
    "external_individual": "board-ext-ind",
    "internal_collective": "board-int-coll",
    "internal_individual": "board-int-ind",
    "inform": "board-inform",
}
WATCH, DIRECTION, FOLLOW_UP_ON, STATUS = (
    "board-watch",
    "board-direction",
    "board-follow",
    "board-status",
)
UNAVAILABLE = "Spillepladen kan ikke vises lige nu. Prøv igen om lidt."
NOT_SAVED = "Spillepladen kunne ikke gemmes lige nu. Prøv igen om lidt; intet er gemt."
STATUS_LABELS = {"åben": "Forløbet er åbent", "afsluttet": "Forløbet er afsluttet"}
FIELDS = (*TEXTS, "watch_kpis", "direction", "follow_up_on", "status")
FIELD_IDS = (*TEXTS.values(), WATCH, DIRECTION, FOLLOW_UP_ON, STATUS)


def _area(field: str, label: str, rows: int = 3) -> html.Div:
    return html.Div(
        [
            dbc.Label(label, html_for=TEXTS[field], className="small fw-semibold"),
            dbc.Textarea(id=TEXTS[field], rows=rows, maxLength=4000),
        ],
        className="mb-2",
    )


def _step(number: int, body: list, hint: str) -> dbc.AccordionItem:
    return dbc.AccordionItem(
        [html.P(hint, className="small text-body-secondary"), *body],
        title=f"{number} · {STEPS[number - 1]}",
        item_id=f"trin-{number}",
    )


def _explanations() -> dbc.Row:
    cells = [
        ("external_collective", "Ekstern · kollektiv"),
        ("internal_collective", "Intern · kollektiv"),
        ("external_individual", "Ekstern · individuel"),
        ("internal_individual", "Intern · individuel"),
    ]
    return dbc.Row(
        [dbc.Col(_area(field, label, 2), md=6) for field, label in cells], className="g-2"
    )


def _new_action() -> dbc.Row:
    return dbc.Row(
        [
            dbc.Col(
                [
                    dbc.Label("Handling", html_for=ACTION_TITLE, className="small"),
                    dbc.Input(id=ACTION_TITLE, maxLength=200),
                ],
                md=5,
            ),
            dbc.Col(
                [
                    dbc.Label("Ansvarlig", html_for=ACTION_OWNER, className="small"),
                    dbc.Input(id=ACTION_OWNER, maxLength=200),
                ],
                md=3,
            ),
            dbc.Col(
                [
                    dbc.Label("Frist", html_for=ACTION_DUE, className="small"),
                    dbc.Input(id=ACTION_DUE, type="date"),
                ],
                md=2,
            ),
            dbc.Col(
                dbc.Button("Tilføj kort", id=ACTION_ADD, color="primary", outline=True),
                md=2,
                className="d-flex align-items-end",
            ),
        ],
        className="g-2 mt-1",
    )


def _follow_up() -> list:
    return [
        dbc.Row(
            [
                dbc.Col(
                    html.Fieldset(
                        [
                            html.Legend("Nøgletal at følge", className="small fw-semibold mb-1"),
                            dbc.Checklist(id=WATCH, className="board-watch"),
                        ]
                    ),
                    md=6,
                ),
                dbc.Col(
                    html.Fieldset(
                        [
                            html.Legend("Forventet retning", className="small fw-semibold mb-1"),
                            dbc.RadioItems(
                                id=DIRECTION,
                                options=[
                                    {"label": "Op", "value": "op"},
                                    {"label": "Ned", "value": "ned"},
                                ],
                                inline=True,
                            ),
                        ]
                    ),
                    md=3,
                ),
                dbc.Col(
                    [
                        dbc.Label(
                            "Opfølgningsdato", html_for=FOLLOW_UP_ON, className="small fw-semibold"
                        ),
                        dbc.Input(id=FOLLOW_UP_ON, type="date"),
                    ],
                    md=3,
                ),
            ],
            className="g-2 mb-2",
        ),
        _area("inform", "Hvem skal vide det?", 2),
        html.Div(id=FOLLOW_UP, className="mt-2"),
    ]


def panel() -> dbc.Card:
    """The panel's fixed frame; callbacks fill it for the viewer and the view."""
    board = html.Div(
        [
            html.H3(id=HEADING, className="h6"),
            dbc.Accordion(
                [
                    _step(
                        1,
                        [_area("known", "Det ved vi i forvejen")],
                        "Hvad ved vi allerede om borgere, medarbejdere og ledere? "
                        "Hvad ville også hjælpe?",
                    ),
                    _step(
                        2,
                        [_area("noticed", "Det lagde vi mærke til")],
                        "Hvilke udviklinger undrer os? Er resultaterne tilfredsstillende, "
                        "sammenlignet med hvad? Se linserne ovenfor.",
                    ),
                    _step(
                        3,
                        [_explanations()],
                        "Er forklaringen ekstern (uden for din indflydelse) eller intern, "
                        "kollektiv (rammer alle) eller individuel?",
                    ),
                    _step(
                        4,
                        [html.Ul(id=ACTIONS, className="list-unstyled mb-1"), _new_action()],
                        "Få-det-nu-gjort-kort: én konkret handling med ansvarlig og frist.",
                    ),
                    _step(
                        5,
                        _follow_up(),
                        "Hvilke tal viser, om vi bevæger os den rigtige vej? Hvem skal vide det?",
                    ),
                ],
                always_open=True,
                active_item=[f"trin-{n}" for n in range(1, 6)],
                className="mb-2",
            ),
            dbc.Row(
                [
                    dbc.Col(
                        [
                            dbc.Label(
                                "Forløbets status", html_for=STATUS, className="visually-hidden"
                            ),
                            dbc.Select(
                                id=STATUS,
                                options=[
                                    {"label": STATUS_LABELS[s], "value": s}
                                    for s in FORLOEB_STATUSES
                                ],
                            ),
                        ],
                        md=4,
                    ),
                    dbc.Col(dbc.Button("Gem Spillepladen", id=SAVE, color="primary"), md="auto"),
                ],
                className="g-2 align-items-center",
            ),
            html.Details(
                [
                    html.Summary("Historik: hvem ændrede hvad"),
                    html.Div(id=HISTORY, className="mt-2"),
                ],
                className="mt-3 board-history",
            ),
        ],
        id=FORM,
        hidden=True,
    )
    start = html.Div(
        dbc.InputGroup(
            [
                dbc.Input(
                    id=NEW_TITLE, placeholder="Hvad vil I arbejde med? (kort titel)", maxLength=200
                ),
                dbc.Button("Start et forløb", id=START, color="primary"),
            ],
        ),
        id=START_BOX,
        hidden=True,
        className="mb-3",
    )
    return dbc.Card(
        [
            dbc.CardHeader(html.H2("Spilleplade", className="h5 mb-0")),
            dbc.CardBody(
                [
                    dcc.Store(id=VERSION, data={"n": 0}),
                    html.Div(id=NOTE),
                    dbc.Label("Forløb", html_for=PICK, className="visually-hidden"),
                    dbc.Select(id=PICK, className="mb-3"),
                    start,
                    html.Div(id=MESSAGE),
                    board,
                ]
            ),
        ],
        className="board-card",
        id="spilleplade",
    )


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


def register(app: Dash, services: Services) -> None:
    @app.callback(
        Output(NOTE, "children"),
        Output(PICK, "options"),
        Output(PICK, "value"),
        Output(PICK, "style"),
        Output(START_BOX, "hidden"),
        Input(STORE, "data"),
        Input(VERSION, "data"),
        State(PICK, "value"),
    )
    def show(state, version, picked):
        try:
            return shown(state, version, picked)
        except Exception as error:  # the app database or the warehouse away: say so
            log.warning("Spilleplade not shown (%s)", type(error).__name__)
            return _note(UNAVAILABLE), [], None, {"display": "none"}, True

    def shown(state, version, picked):
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

    @app.callback(
        Output(FORM, "hidden"),
        Output(HEADING, "children"),
        *(Output(i, "value") for i in FIELD_IDS),
        Output(WATCH, "options"),
        Output(ACTIONS, "children"),
        Output(ACTION_OWNER, "value"),
        Output(FOLLOW_UP, "children"),
        Output(HISTORY, "children"),
        Input(PICK, "value"),
        Input(VERSION, "data"),
    )
    def fill(picked, version):
        try:
            return filled(picked, version)
        except Exception as error:
            log.warning("Spilleplade not filled (%s)", type(error).__name__)
            return True, *([no_update] * (len(FIELD_IDS) + 6))

    def filled(picked, _version):
        engine = app_db(services)
        viewer = current.viewer()
        found = (
            store.get_forloeb(engine, viewer, services.org, int(picked))
            if engine is not None and picked
            else None
        )
        if found is None or not may_write(viewer, found["unit"], services.org):
            return True, *([no_update] * (len(FIELD_IDS) + 6))
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
        return (
            False,
            heading,
            *values,
            watch,
            found["direction"],
            follow,
            found["status"],
            kpis,
            [_card_editor(card, services) for card in cards]
            or [html.Li("Ingen handlinger endnu.", className="small text-body-secondary")],
            viewer.name if viewer else None,
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
        State({"type": CARD_STATUS, "id": ALL}, "id"),
        State(VERSION, "data"),
        prevent_initial_call=True,
    )
    def write(_start, _save, _add, card_clicks, state, picked, new_title, *rest):
        *board, title, owner, due, statuses, whys, card_ids, version = rest
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


def _card_editor(card: dict[str, Any], services: Services) -> html.Li:
    """An action card with its status and "hvorfor ikke?" editable in place."""
    key = card["id"]
    return html.Li(
        [
            html.Ul(action_line(card, services), className="list-unstyled mb-1"),
            dbc.Label(
                f"Status for {card['title']}",
                html_for=_dom_id(CARD_STATUS, key),
                className="visually-hidden",
            ),
            dbc.Label(
                f"Hvorfor ikke? for {card['title']}",
                html_for=_dom_id(CARD_WHY, key),
                className="visually-hidden",
            ),
            dbc.InputGroup(
                [
                    dbc.Select(
                        id={"type": CARD_STATUS, "id": key},
                        options=[{"label": s.capitalize(), "value": s} for s in ACTION_STATUSES],
                        value=card["status"],
                    ),
                    dbc.Input(
                        id={"type": CARD_WHY, "id": key},
                        value=card.get("why_dropped") or "",
                        placeholder="Hvorfor ikke? (når den droppes)",
                        maxLength=500,
                    ),
                    dbc.Button("Gem kort", id={"type": CARD_SAVE, "id": key}, outline=True),
                ],
                size="sm",
            ),
        ],
        className="board-card-editor border rounded p-2 mb-2",
    )


def _dom_id(kind: str, key: int) -> str:
    """The id Dash gives a pattern-matching component in the page (sorted keys, JSON)."""
    return json.dumps({"id": key, "type": kind}, separators=(",", ":"), sort_keys=True)


def _note(text: str) -> dbc.Alert:
    return dbc.Alert(text, color="secondary", className="small mb-2")


def _alert(text: str, color: str) -> dbc.Alert:
    return dbc.Alert(text, color=color, className="small py-2", dismissable=True)

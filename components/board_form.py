"""The Spilleplade's form on the KPI page: its ids and the pieces it is built of (the
five steps, the 2×2 of explanations, the action cards, the follow-up). The callbacks that
fill and save it are in components/spilleplade.py."""

from __future__ import annotations

import json
from typing import Any

import dash_bootstrap_components as dbc
from dash import dcc, html

from appdb.models import ACTION_STATUSES, FORLOEB_STATUSES
from components.board_parts import BOARD_VERSION, STEPS, action_line
from components.services import Services

VERSION, NOTE, START_BOX, FORM = BOARD_VERSION, "board-note", "board-start-box", "board-form"
PICK, NEW_TITLE, START = "board-pick", "board-new-title", "board-start"
SAVE, MESSAGE, HISTORY, ACTIONS = "board-save", "board-message", "board-history", "board-actions"
FOLLOW_UP, HEADING = "board-follow-up", "board-heading"
LOADED = "board-loaded"  # the forløb whose fields the form holds (unsaved typing is kept)
ACTION_TITLE, ACTION_OWNER, ACTION_DUE = "board-action-title", "board-action-owner", "board-due"
ACTION_ADD = "board-action-add"
CARD_STATUS, CARD_WHY, CARD_SAVE = "board-card-status", "board-card-why", "board-card-save"
CARD_OWNER, CARD_DUE = "board-card-owner", "board-card-due"
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
STATUS_LABELS = {"åben": "Forløbet er åbent", "afsluttet": "Forløbet er afsluttet"}
FIELDS = (*TEXTS, "watch_kpis", "direction", "follow_up_on", "status")
FIELD_IDS = (*TEXTS.values(), WATCH, DIRECTION, FOLLOW_UP_ON, STATUS)


def area(field: str, label: str, rows: int = 3) -> html.Div:
    return html.Div(
        [
            dbc.Label(label, html_for=TEXTS[field], className="small fw-semibold"),
            dbc.Textarea(id=TEXTS[field], rows=rows, maxLength=4000),
        ],
        className="mb-2",
    )


def step(number: int, body: list, hint: str) -> dbc.AccordionItem:
    return dbc.AccordionItem(
        [html.P(hint, className="small text-body-secondary"), *body],
        title=f"{number} · {STEPS[number - 1]}",
        item_id=f"trin-{number}",
    )


def explanations() -> dbc.Row:
    cells = [
        ("external_collective", "Ekstern · kollektiv"),
        ("internal_collective", "Intern · kollektiv"),
        ("external_individual", "Ekstern · individuel"),
        ("internal_individual", "Intern · individuel"),
    ]
    return dbc.Row(
        [dbc.Col(area(field, label, 2), md=6) for field, label in cells], className="g-2"
    )


def new_action() -> dbc.Row:
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


def follow_up() -> list:
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
        area("inform", "Hvem skal vide det?", 2),
        html.Div(id=FOLLOW_UP, className="mt-2"),
    ]


def panel() -> dbc.Card:
    """The panel's fixed frame; callbacks fill it for the viewer and the view."""
    board = html.Div(
        [
            html.H3(id=HEADING, className="h6"),
            dbc.Accordion(
                [
                    step(
                        1,
                        [area("known", "Det ved vi i forvejen")],
                        "Hvad ved vi allerede om borgere, medarbejdere og ledere? "
                        "Hvad ville også hjælpe?",
                    ),
                    step(
                        2,
                        [area("noticed", "Det lagde vi mærke til")],
                        "Hvilke udviklinger undrer os? Er resultaterne tilfredsstillende, "
                        "sammenlignet med hvad? Se linserne ovenfor.",
                    ),
                    step(
                        3,
                        [explanations()],
                        "Er forklaringen ekstern (uden for din indflydelse) eller intern, "
                        "kollektiv (rammer alle) eller individuel?",
                    ),
                    step(
                        4,
                        [html.Ul(id=ACTIONS, className="list-unstyled mb-1"), new_action()],
                        "Få-det-nu-gjort-kort: én konkret handling med ansvarlig og frist.",
                    ),
                    step(
                        5,
                        follow_up(),
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
                    dcc.Store(id=LOADED),
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


def card_editor(card: dict[str, Any], services: Services) -> html.Li:
    """An action card with its owner, deadline, status and "hvorfor ikke?" editable in
    place: a card handed to someone else or moved a week is corrected, not made again."""
    key, title = card["id"], card["title"]
    due = card.get("due_on")
    return html.Li(
        [
            html.Ul(action_line(card, services), className="list-unstyled mb-1"),
            *(
                dbc.Label(
                    f"{label} for {title}", html_for=dom_id(kind, key), className="visually-hidden"
                )
                for kind, label in (
                    (CARD_OWNER, "Ansvarlig"),
                    (CARD_DUE, "Frist"),
                    (CARD_STATUS, "Status"),
                    (CARD_WHY, "Hvorfor ikke?"),
                )
            ),
            dbc.InputGroup(
                [
                    dbc.InputGroupText("Ansvarlig"),
                    dbc.Input(
                        id={"type": CARD_OWNER, "id": key},
                        value=card.get("owner") or "",
                        maxLength=200,
                    ),
                    dbc.InputGroupText("Frist"),
                    dbc.Input(
                        id={"type": CARD_DUE, "id": key},
                        type="date",
                        value=due.isoformat() if hasattr(due, "isoformat") else due,
                    ),
                ],
                size="sm",
                className="mb-1",
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


def dom_id(kind: str, key: int) -> str:
    """The id Dash gives a pattern-matching component in the page (sorted keys, JSON)."""
    return json.dumps({"id": key, "type": kind}, separators=(",", ":"), sort_keys=True)

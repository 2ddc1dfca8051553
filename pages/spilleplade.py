"""/spilleplade: every forløb the viewer may read, per unit (`?enhed=` gives a unit and
those below it), with their action cards; and "Mine kort", the leader's actions due this
week and overdue."""

from __future__ import annotations

from datetime import date
from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import Dash, dcc, html

from appdb import forloeb_store as store
from components.board_parts import action_line, my_cards_list, short_date
from components.formatting import format_period
from components.not_found import not_found
from components.people import app_db, person
from components.services import Services
from identity import current
from pages import for_a_viewer

PATH = "/spilleplade"
NOTHING_DUE = "Du har ingen handlinger med frist i denne uge, og ingen er overskredet."


def _forloeb_card(services: Services, found: dict[str, Any], cards: list) -> dbc.Card:
    try:
        kpi_title = services.catalogue.kpi(found["kpi_id"]).title
    except KeyError:
        kpi_title = found["kpi_id"]
    href = f"/kpi/{found['kpi_id']}?enhed={found['unit']}#spilleplade"
    return dbc.Card(
        dbc.CardBody(
            [
                html.H3(
                    [
                        dcc.Link(found["title"], href=href),
                        dbc.Badge(found["status"], color="secondary", className="ms-2"),
                    ],
                    className="h6",
                ),
                html.P(
                    f"{kpi_title} · {format_period(found['period'], found['grain'])} · "
                    f"startet {short_date(found['created_at'].date())} af "
                    f"{person(found['created_by'])}",
                    className="small text-body-secondary mb-1",
                ),
                html.Ul([action_line(card, services) for card in cards], className="mb-0")
                if cards
                else html.P("Ingen handlinger endnu.", className="small mb-0"),
            ]
        ),
        className="mb-2 board-forloeb",
    )


def _per_unit(services: Services, found: list, cards: list) -> list:
    by_forloeb: dict[int, list] = {}
    for card in cards:
        by_forloeb.setdefault(card["forloeb_id"], []).append(card)
    blocks: list[Any] = []
    order = {unit: n for n, (unit, _depth) in enumerate(services.org.walk())}
    for unit in sorted({f["unit"] for f in found}, key=lambda u: order.get(u, len(order))):
        blocks.append(html.H2(services.org.name(unit), className="h5 mt-4"))
        blocks += [
            _forloeb_card(services, f, by_forloeb.get(f["id"], []))
            for f in found
            if f["unit"] == unit
        ]
    return blocks


def layout_for(services: Services):
    def layout(enhed: str | None = None, **_ignored) -> html.Div:
        if not for_a_viewer():
            return html.Div()  # no callbacks: nothing for Dash's validation
        org = services.org
        if enhed and enhed not in org:
            return not_found(f"Enheden '{enhed}' findes ikke i organisationen.")
        engine = app_db(services)
        viewer = current.viewer()
        units = org.descendants(enhed) if enhed else None
        found = store.list_forloeb(engine, viewer, org, units=units) if engine else []
        cards = store.list_actions(engine, viewer, org, [f["id"] for f in found]) if engine else []
        mine = my_cards_list(services, date.today())
        where = f" for {org.name(enhed)} og enhederne under" if enhed else ""
        return html.Div(
            [
                html.H1("Spilleplade", className="h2"),
                html.P(
                    "Forløb fra tal til handling: hvad I lagde mærke til, forklaringerne, "
                    "de valgte handlinger og opfølgningen. Start et forløb fra et nøgletals "
                    "side under Spilleplade.",
                    className="lead-text",
                ),
                html.H2("Mine kort", className="h4 mt-3"),
                *(mine or [html.P(NOTHING_DUE, className="small")]),
                html.H2(f"Forløb{where}", className="h4 mt-4"),
                *(
                    _per_unit(services, found, cards)
                    or [
                        html.P(
                            "Der er ingen forløb, du kan læse, endnu. Du kan læse forløb for "
                            "dine egne enheder og enhederne under dem.",
                            className="small",
                        )
                    ]
                ),
            ],
            className="board-page",
        )

    return layout


def register(app: Dash, services: Services) -> None:
    dash.register_page(
        "spilleplade",
        path=PATH,
        title="Spilleplade – MSB i tal",
        name="Spilleplade",
        layout=layout_for(services),
    )

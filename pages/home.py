"""/ : Ledelsesoverblik – a card per KPI for the chosen unit, grouped by area and section."""

from __future__ import annotations

import functools
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from urllib.parse import quote

import dash
import dash_bootstrap_components as dbc
from dash import Dash, Input, Output, State, dcc, html, no_update
from flask import copy_current_request_context, has_request_context

from components import data_use_question, dialog
from components.board_parts import my_cards_box
from components.kpi_card import kpi_card
from components.not_found import not_found
from components.picker import unit_options
from components.services import Services
from pages import for_a_viewer

HOME_UNIT = "home-unit"
CARD_THREADS = 4


def cards(shown: list) -> dbc.Row:
    return dbc.Row(
        [dbc.Col(card, xs=12, md=6, xl=4, xxl=3) for card in shown], className="g-3 mb-4"
    )


def grouped_cards(
    services: Services, unit: str, area_ids: set[str] | None = None, titles: bool = True
) -> list:
    """Cards by area; KPIs without any rows for the unit are left out, and said so."""
    blocks, left_out = [], []
    areas = [a for a in services.catalogue.areas if area_ids is None or a.id in area_ids]
    every_card = all_cards(services, unit, areas)
    for area in areas:
        kpis = tuple(k for s in area.sections for k in services.catalogue.kpis_in(s.id))
        shown = []
        for kpi in kpis:
            card = every_card[kpi.id]
            if card is None:
                left_out.append(kpi)
            else:
                shown.append(card)
        if shown:
            if titles:
                blocks.append(html.H2(area.title, className="h4 mt-4 area-title"))
            blocks.append(cards(shown))
    if left_out:
        names = ", ".join(kpi.title.lower() for kpi in left_out)
        blocks.append(
            html.P(
                f"{len(left_out)} nøgletal har ingen data for {services.org.name(unit)} og er "
                f"ikke vist: {names}.",
                className="small text-body-secondary left-out",
            )
        )
    return blocks


def all_cards(services: Services, unit: str, areas: list) -> dict[str, object]:
    """Every card at once, a few at a time in threads: a slow warehouse then costs one
    deadline for the page, not one per card."""
    kpis = [k for area in areas for s in area.sections for k in services.catalogue.kpis_in(s.id)]

    work = [functools.partial(kpi_card, services, kpi, unit) for kpi in kpis]
    if has_request_context():  # the viewer and request id travel with the work, one copy each
        work = [copy_current_request_context(job) for job in work]
    with ThreadPoolExecutor(max_workers=CARD_THREADS) as pool:
        futures = [pool.submit(job) for job in work]
        return {kpi.id: future.result() for kpi, future in zip(kpis, futures, strict=True)}


def unit_picker(services: Services, unit: str) -> html.Div:
    return dbc.Col(
        [
            dbc.Label("Vis for enhed", html_for=HOME_UNIT),
            dbc.Select(id=HOME_UNIT, options=unit_options(services.org), value=unit),
        ],
        className="home-picker",
        md=6,
        lg=4,
    )


def start_here(services: Services, unit: str) -> html.P | None:
    """For a new leader: where to begin (Start her's decision tree), with the unit."""
    if services.catalogue.start_tree is None:
        return None
    href = "/start" if unit == services.org.root else f"/start?enhed={quote(unit)}"
    return html.P(
        [
            html.I(className="bi bi-signpost-split me-2", **{"aria-hidden": "true"}),
            "Ny her, eller ved du ikke, hvor du skal begynde? ",
            dcc.Link("Start her", href=href, className="fw-semibold", id="home-start-her"),
            " – et par spørgsmål fører dig det rigtige sted hen.",
        ],
        className="start-here-callout",
    )


def layout_for(services: Services):
    def layout(enhed: str | None = None, **_ignored) -> html.Div:
        unit = enhed or services.org.root
        if unit not in services.org:
            return not_found(f"Enheden '{unit}' findes ikke i organisationen.")
        if not for_a_viewer():
            # the ids, for Dash's validation
            return html.Div(
                [data_use_question.box(services, ask=False), unit_picker(services, unit)]
            )
        return html.Div(
            [
                html.H1("Ledelsesoverblik", className="h2"),
                html.P(
                    f"De vigtigste nøgletal for {services.org.name(unit)}. Klik på et kort for at "
                    "se udviklingen, sammenligne enheder og finde borgerne bag tallet.",
                    className="lead-text",
                ),
                start_here(services, unit),
                data_use_question.box(services),  # the programme's 1–10 question
                my_cards_box(services, date.today()),
                dialog.waiting_box(services),  # new answers, or requests to answer
                unit_picker(services, unit),
                *grouped_cards(services, unit),
            ]
        )

    return layout


def register(app: Dash, services: Services) -> None:
    dash.register_page(
        "home",
        path="/",
        title="Ledelsesoverblik – MSB i tal",
        name="Ledelsesoverblik",
        layout=layout_for(services),
        order=0,
    )
    data_use_question.register(app, services)

    @app.callback(
        Output("nav", "href", allow_duplicate=True),
        Input(HOME_UNIT, "value"),
        State("nav", "pathname"),
        State("nav", "search"),
        prevent_initial_call=True,
    )
    def choose(unit: str | None, pathname: str | None, search: str | None):
        if not unit or unit not in services.org or f"enhed={unit}" in (search or ""):
            return no_update
        return f"{pathname or '/'}?enhed={unit}"

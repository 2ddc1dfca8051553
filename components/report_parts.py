"""Status-rapport's other parts: the unit's cards (as on Ledelsesoverblik, for the
report's period), the target status that picks the default KPIs, and the open forløb
and due action cards."""

from __future__ import annotations

import functools
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import dash_bootstrap_components as dbc
from babel.dates import format_date
from dash import html
from flask import copy_current_request_context, has_request_context

from components import states
from components.formatting import LOCALE
from components.kpi_card import card_status, kpi_card
from components.kpi_state import running_trend
from components.report_method import method_rows
from components.services import Services
from identity import current
from queries.catalogue.models import Grain, Kpi

CARD_THREADS = 4


def _in_request(job):
    """The viewer and request id travel with work done in a thread, one copy each."""
    return copy_current_request_context(job) if has_request_context() else job


def cards_and_status(
    services: Services, unit: str, grain: Grain, period: date
) -> tuple[dict[str, object], dict[str, str]]:
    """Every KPI's card for the unit and period (None: no rows for the unit) and its
    target status as the card shows it ("worse" is outside the tolerance)."""
    kpis = services.catalogue.kpis
    where = (unit, grain, period)
    cards = [_in_request(functools.partial(kpi_card, services, k, *where)) for k in kpis]
    statuses = [_in_request(functools.partial(_status, services, k, *where)) for k in kpis]
    with ThreadPoolExecutor(max_workers=CARD_THREADS) as pool:
        card_futures = [pool.submit(job) for job in cards]
        status_futures = [pool.submit(job) for job in statuses]
        return (
            {k.id: f.result() for k, f in zip(kpis, card_futures, strict=True)},
            {k.id: f.result() for k, f in zip(kpis, status_futures, strict=True)},
        )


def _status(services: Services, kpi: Kpi, unit: str, grain: Grain, period: date) -> str:
    try:  # the same cached trend the card reads
        trend = services.trend(kpi.id, unit, grain, period, periods=13).frame
        frame, part = running_trend(services, kpi, unit, grain, period, trend)
        return card_status(services, kpi, unit, frame.iloc[-1], part)[0] if len(frame) else "none"
    except Exception:  # the card says what went wrong
        return "none"


def card_grid(cards: list) -> dbc.Row:
    return dbc.Row(
        [dbc.Col(card, xs=12, sm=6, className="report-card") for card in cards],
        className="g-3 report-cards",
    )


def _day(day: date | None) -> str:
    return format_date(day, "d. MMM y", locale=LOCALE) if day else "–"


def _table(header: list[str], rows: list[list]) -> dbc.Table:
    return dbc.Table(
        [
            html.Thead(html.Tr([html.Th(h) for h in header])),
            html.Tbody([html.Tr([html.Td(cell) for cell in row]) for row in rows]),
        ],
        size="sm",
        className="report-table",
    )


def method_section(services: Services, unit: str, today: date) -> html.Section | None:
    """Open forløb and the action cards due within a week or overdue, when there are any."""
    if services.audit is None:
        return None
    try:
        found = method_rows(services.audit.engine, services.org, current.viewer(), unit, today)
    except Exception as error:
        return html.Section(states.failed("Forløb og handlinger", error), className="report-method")
    if not found.forloeb and not found.actions:
        return None
    org, catalogue = services.org, services.catalogue

    def title_of(kpi_id: str) -> str:
        try:
            return catalogue.kpi(kpi_id).title
        except KeyError:
            return kpi_id

    parts: list = [html.H2("Forløb og handlinger", className="h4")]
    if found.forloeb:
        parts += [
            html.H3("Åbne forløb", className="h6"),
            _table(
                ["Forløb", "Nøgletal", "Enhed", "Opfølgning"],
                [
                    [
                        f["title"],
                        title_of(f["kpi_id"]),
                        org.name(f["unit"]),
                        _day(f["follow_up_on"]),
                    ]
                    for f in found.forloeb
                    if f["unit"] in org
                ],
            ),
        ]
    if found.actions:
        parts += [
            html.H3("Handlinger med frist inden for en uge eller overskredet", className="h6"),
            _table(
                ["Handling", "Ansvarlig", "Enhed", "Frist", "Status"],
                [
                    [
                        a["title"],
                        a["owner"],
                        org.name(a["unit"]),
                        _day(a["due_on"]),
                        html.Span(
                            "Overskredet" if a["overdue"] else a["status"].capitalize(),
                            className="status-worse fw-semibold" if a["overdue"] else "",
                        ),
                    ]
                    for a in found.actions
                    if a["unit"] in org
                ],
            ),
        ]
    return html.Section(parts, className="report-method")

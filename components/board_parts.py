"""Pieces of the Spilleplade shown in more than one place: action cards, the history of
changes, the follow-up figures, "Mine kort", and the trend chart's marks."""

from __future__ import annotations

import html as html_text
from datetime import UTC, date
from typing import Any

import dash_bootstrap_components as dbc
from dash import dcc, html

from appdb import forloeb_store as store
from components.formatting import format_datetime, format_period, format_value, is_missing
from components.people import app_db, person
from components.services import Services
from components.states import log
from identity import current
from queries.catalogue.models import Grain
from queries.compiler.periods import floor_period
from queries.lazy import pandas as pd

BOARD_VERSION = "board-version"  # bumped by every write on the KPI page's Spilleplade
STEPS = (
    "Vi modtager eller producerer data",
    "Vi fortolker sammen",
    "Vi finder forklaringer",
    "Vi vælger løsninger og handlinger",
    "Vi implementerer og følger op",
)
STATUS_COLOURS = {"ikke startet": "secondary", "i gang": "primary", "gjort": "success"}
FIELD_NAMES = {
    "title": "titel",
    "status": "status",
    "known": "det ved vi",
    "noticed": "det lagde vi mærke til",
    "external_collective": "ekstern og kollektiv",
    "external_individual": "ekstern og individuel",
    "internal_collective": "intern og kollektiv",
    "internal_individual": "intern og individuel",
    "watch_kpis": "nøgletal at følge",
    "direction": "forventet retning",
    "inform": "hvem skal vide det",
    "follow_up_on": "opfølgningsdato",
    "owner": "ansvarlig",
    "due_on": "frist",
    "why_dropped": "hvorfor ikke?",
    "started_period": "startperiode",
}


def short_date(day: date | None) -> str:
    return day.strftime("%d.%m.%Y") if day else "–"


def status_badge(status: str) -> dbc.Badge:
    return dbc.Badge(status, color=STATUS_COLOURS.get(status, "warning"), className="me-1")


def action_line(card: dict[str, Any], services: Services, with_place: bool = False) -> html.Li:
    """One action card as a line: title, owner, due date, status (and why dropped)."""
    parts: list[Any] = [
        status_badge(card["status"]),
        html.Strong(card["title"]),
        f" · {card['owner']} · frist {short_date(card['due_on'])}",
    ]
    if with_place:
        kpi = _kpi_title(services, card["kpi_id"])
        parts.append(f" · {kpi}, {_unit_name(services, card['unit'])}")
    if card.get("why_dropped"):
        parts.append(html.Div(f"Hvorfor ikke? {card['why_dropped']}", className="small"))
    return html.Li(parts, className="board-action")


def _kpi_title(services: Services, kpi_id: str) -> str:
    try:
        return services.catalogue.kpi(kpi_id).title
    except KeyError:
        return kpi_id


def _unit_name(services: Services, unit: str) -> str:
    return services.org.name(unit) if unit in services.org else unit


def shown_value(services: Services, field: str, value: str | None) -> str:
    """A history value as the board shows it: KPI titles, Danish dates, month names."""
    if not value:
        return "–"
    try:
        if field == "watch_kpis":
            return ", ".join(_kpi_title(services, k) for k in store.watch_list(value))
        if field in ("due_on", "follow_up_on"):
            return short_date(date.fromisoformat(value[:10]))
        if field == "started_period":
            return format_period(value[:10], "month")
    except ValueError:
        pass
    return value


def history_table(rows: list[dict[str, Any]], services: Services) -> html.Div:
    """Who changed which field when, from what to what (newest first)."""
    if not rows:
        return html.P("Ingen ændringer endnu.", className="small text-body-secondary mb-0")
    body = [
        html.Tr(
            [
                html.Td(format_datetime(row["changed_at"].replace(tzinfo=UTC))),
                html.Td(person(row["changed_by"])),
                html.Td(
                    ("Handling: " if row["entity"] == store.ACTION else "")
                    + FIELD_NAMES.get(row["field"], row["field"])
                ),
                html.Td(
                    f"{shown_value(services, row['field'], row['old_value'])} → "
                    f"{shown_value(services, row['field'], row['new_value'])}"
                ),
            ]
        )
        for row in reversed(rows)
    ]
    header = html.Thead(
        html.Tr([html.Th("Hvornår"), html.Th("Hvem"), html.Th("Felt"), html.Th("Før → nu")])
    )
    return dbc.Table([header, html.Tbody(body)], size="sm", striped=True, className="mb-0")


def value_at(services: Services, kpi_id: str, unit: str, grain: Grain, period: date) -> str:
    """The KPI's shown value for one unit and period, formatted; '–' when none."""
    kpi = services.catalogue.kpi(kpi_id)
    latest = services.default_period(kpi_id, grain)
    if latest is None or period > latest:
        return "–"
    months = (latest.year - period.year) * 12 + latest.month - period.month
    periods = months // grain.months + 1
    frame = services.trend(kpi_id, unit, grain, latest, periods).frame
    row = frame[pd.to_datetime(frame["period"]) == pd.Timestamp(period)]
    if row.empty:
        return "–"
    if bool(row["suppressed"].iloc[0]):
        return "skjult (for få borgere)"
    value = row["value"].iloc[0]
    return "–" if is_missing(value) else format_value(float(value), kpi.format.value, kpi.decimals)


def follow_up_table(
    services: Services, found: dict[str, Any], cards: list[dict[str, Any]]
) -> html.Div:
    """Each watched KPI's value when each action began, and now (the latest whole period)."""
    grain = Grain(found["grain"])
    watched = store.watch_list(found["watch_kpis"]) or [found["kpi_id"]]
    started = [c for c in cards if c.get("started_period")]
    if not started:
        return html.P(
            "Når en handling har en startperiode, vises de fulgte nøgletal her: "
            "værdien da handlingen begyndte, og nu.",
            className="small text-body-secondary mb-0",
        )
    rows = []
    for kpi_id in watched:
        if kpi_id not in {k.id for k in services.catalogue.kpis}:
            continue
        latest = services.default_period(kpi_id, grain)
        now_text = value_at(services, kpi_id, found["unit"], grain, latest) if latest else "–"
        for card in started:
            begun = floor_period(card["started_period"], grain)
            rows.append(
                html.Tr(
                    [
                        html.Td(_kpi_title(services, kpi_id)),
                        html.Td(card["title"]),
                        html.Td(
                            f"{format_period(begun, grain.value)}: "
                            f"{value_at(services, kpi_id, found['unit'], grain, begun)}"
                        ),
                        html.Td(
                            f"{format_period(latest, grain.value)}: {now_text}" if latest else "–"
                        ),
                    ]
                )
            )
    header = html.Thead(
        html.Tr(
            [
                html.Th("Nøgletal"),
                html.Th("Handling"),
                html.Th("Da handlingen begyndte"),
                html.Th("Nu"),
            ]
        )
    )
    return dbc.Table(
        [header, html.Tbody(rows)], size="sm", bordered=True, className="mb-0 board-follow-up"
    )


def safe_follow_up(services: Services, found: dict[str, Any], cards: list) -> Any:
    """The follow-up figures, or a Danish line when the warehouse does not answer."""
    try:
        return follow_up_table(services, found, cards)
    except Exception as error:
        log.warning("follow-up figures not shown (%s)", type(error).__name__)
        return html.P(
            "Tallene til opfølgningen kan ikke hentes lige nu.", className="small text-warning"
        )


def my_cards(services: Services, today: date) -> tuple[list, list]:
    """The signed-in leader's open actions: (due this week, overdue); none when the app
    database does not answer (the overview stands without them)."""
    engine = app_db(services)
    if engine is None:
        return [], []
    try:
        return store.my_actions(engine, current.viewer(), services.org, today)
    except Exception as error:
        log.warning("Mine kort not shown (%s)", type(error).__name__)
        return [], []


def my_cards_list(services: Services, today: date) -> list:
    """'Mine kort' as two lists, or a line saying there is nothing due."""
    due, overdue = my_cards(services, today)
    blocks: list[Any] = []
    if overdue:
        blocks += [
            html.H3("Overskredet", className="h6 text-danger mt-2"),
            html.Ul([action_line(c, services, True) for c in overdue], className="mb-2"),
        ]
    if due:
        blocks += [
            html.H3("Frist i denne uge", className="h6 mt-2"),
            html.Ul([action_line(c, services, True) for c in due], className="mb-2"),
        ]
    return blocks


def my_cards_box(services: Services, today: date) -> dbc.Alert | None:
    """For the overview: the leader's actions due this week and overdue; None when none."""
    blocks = my_cards_list(services, today)
    if not blocks:
        return None
    return dbc.Alert(
        [
            html.H2("Dine handlinger", className="h6 mb-1"),
            *blocks,
            dcc.Link("Se alle på Spillepladen", href="/spilleplade"),
        ],
        color="light",
        className="border my-cards",
        id="my-cards",
    )


def trend_marks(
    services: Services, kpi_id: str, unit: str, grain: Grain
) -> list[tuple[pd.Timestamp, str]]:
    """(period, hover text) where a readable forløb on this KPI and unit started and where
    its actions began; the text escaped, since Plotly reads it as HTML."""
    engine = app_db(services)
    if engine is None:
        return []
    viewer = current.viewer()
    found = store.list_forloeb(engine, viewer, services.org, kpi_id=kpi_id, units=[unit])
    marks = [
        (pd.Timestamp(floor_period(f["period"], grain)), f"Forløb startet: {f['title']}")
        for f in found
    ]
    for card in store.list_actions(engine, viewer, services.org, [f["id"] for f in found]):
        if card.get("started_period"):
            period = pd.Timestamp(floor_period(card["started_period"], grain))
            marks.append((period, f"Handling begyndt: {card['title']}"))
    return [(period, html_text.escape(text)) for period, text in marks]

"""The KPI card on Ledelsesoverblik: value, changes, target status, sparkline and a sentence."""

from __future__ import annotations

import math
from datetime import date

import dash_bootstrap_components as dbc
from dash import dcc, html

from components.figures import sparkline
from components.formatting import format_delta, format_value
from components.kpi_state import headline_sentence, partial_target, running_trend
from components.period_text import period_name
from components.services import Services
from components.status import STATUS_LABELS, status_of
from components.view import View
from queries.catalogue.models import Grain, Kpi


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def kpi_card(
    services: Services,
    kpi: Kpi,
    unit: str,
    grain: Grain | None = None,
    period: date | None = None,
) -> dbc.Card | None:
    """The card, or None when the unit has no rows for this KPI (its work lies elsewhere).

    Without `grain` and `period` it shows the KPI's own grain and latest complete period
    (Ledelsesoverblik); Status-rapport passes the report's."""
    grain = grain or kpi.time.grain
    href = View(unit, grain, period).href(f"/kpi/{kpi.id}")
    _, section = services.catalogue.section(kpi.section)
    title = html.Div(
        [
            html.Div(section.title, className="kpi-card-section"),
            dcc.Link(kpi.title, href=href, className="stretched-link kpi-card-title"),
        ]
    )
    try:
        latest = period or services.default_period(kpi.id, grain)
        if latest is None:
            return _card(title, [html.P("Ingen data endnu.", className="text-body-secondary")])
        trend = services.trend(kpi.id, unit, grain, latest, periods=13).frame
        if trend["value"].isna().all() and not trend["suppressed"].any():
            return None
    except Exception as error:
        from components.states import log

        log.exception("card %s failed", kpi.id, exc_info=error)
        return _card(title, [html.P("Tallet kunne ikke hentes lige nu.", className="text-danger")])
    return _card(title, _body(services, kpi, unit, grain, latest, trend))


def card_status(services: Services, kpi: Kpi, unit: str, row, part) -> tuple[str, float | None]:
    """The target status of a card's figure (`row`: its trend row) and the unit's target;
    a running period meets its pro-rated target, or none yet."""
    target = services.warehouse.target_of(kpi, unit)
    tolerance = kpi.target.tolerance if kpi.target else 0.0
    status = status_of(
        None if row["suppressed"] else row["value"],
        partial_target(kpi, target, part)[0],
        tolerance,
        kpi.direction.value,
    )
    return status, target


def _body(services: Services, kpi: Kpi, unit: str, grain: Grain, latest: date, trend) -> list:
    fmt, decimals = kpi.format.value, kpi.decimals
    # A running quarter or year is named so and compared with the same months last year.
    trend, part = running_trend(services, kpi, unit, grain, latest, trend)
    now, before = trend.iloc[-1], trend.iloc[-2] if len(trend) > 1 and part is None else None
    when = period_name(latest, grain.value, part)
    if bool(now["suppressed"]):
        value_text, detail = f"<{kpi.min_n}", "For få borgere til at vise tallet"
    else:
        value_text, detail = format_value(now["value"], fmt, decimals), when
    status, target = card_status(services, kpi, unit, now, part)
    changes = []
    if before is not None and not _missing(now["value"]) and not _missing(before["value"]):
        changes.append(
            f"{format_delta(now['value'] - before['value'], fmt, decimals)} siden forrige periode"
        )
    if not _missing(now["value"]) and not _missing(now["last_year"]):
        changes.append(
            f"{format_delta(now['value'] - now['last_year'], fmt, decimals)} siden sidste år"
        )
    values = [None if _missing(v) else float(v) for v in trend["value"]]
    return [
        html.Div(
            [html.Span(value_text, className="kpi-value"), html.Span(detail, className="kpi-when")],
            className="d-flex align-items-baseline gap-2",
        ),
        html.Div(" · ".join(changes) or "Ingen sammenligning", className="kpi-changes"),
        html.Span(
            STATUS_LABELS[status]
            + ("" if target is None else f" (mål {format_value(target, fmt, decimals)})"),
            className=f"status-badge status-{status}",
        ),
        dcc.Graph(
            figure=sparkline(values),
            config={"staticPlot": True, "displayModeBar": False},
            className="kpi-spark",
            style={"height": "48px"},
        ),
        html.P(
            headline_sentence(kpi, services.org.name(unit), grain.value, latest, now, target, part),
            className="kpi-sentence small mb-0",
        ),
    ]


def _card(title, body: list) -> dbc.Card:
    return dbc.Card(dbc.CardBody([title, *body]), className="kpi-card h-100")

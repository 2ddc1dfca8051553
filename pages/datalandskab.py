"""/datalandskab: Data-landskabet – the warehouse's sources behind the KPIs.

Per source: what it is and who owns it (`warehouse.sources` in the catalogue), how often
it is expected to be loaded, when it was last loaded (the load log), the KPIs that use
it, and a status judged as the KPI pages' freshness badge judges it (amber when the last
load is older than the source's cadence).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

import dash
import dash_bootstrap_components as dbc
from dash import Dash, dcc, html

from components.formatting import TIMEZONE, format_datetime
from components.freshness import freshness_of, judged_at
from components.services import Services
from components.states import log
from pages import for_a_viewer
from queries.catalogue.models import Kpi
from queries.catalogue.sources import source_name

PATH = "/datalandskab"
FRESH, OLD, UNKNOWN = "fresh", "old", "unknown"
STATUS_TEXT = {FRESH: "Opdateret", OLD: "Kan være forældet", UNKNOWN: "Ukendt"}
STATUS_COLOUR = {FRESH: "success", OLD: "warning", UNKNOWN: "secondary"}


@dataclass(frozen=True)
class SourceRow:
    name: str
    title: str | None
    owner: str | None
    description: str | None
    refresh_days: int
    loaded: datetime | None
    status: str
    reason: str
    kpis: tuple[Kpi, ...]


def source_rows(
    services: Services, loaded_times: dict[str, datetime] | None, now: datetime
) -> list[SourceRow]:
    """Every source the KPIs use, in catalogue order; `loaded_times` None: the load log
    could not be read, so every status is unknown."""
    catalogue = services.catalogue
    names = list(dict.fromkeys(source_name(k) for k in catalogue.kpis))
    at = judged_at(services, loaded_times or {}, now)
    rows = []
    for name in names:
        described = catalogue.warehouse.source(name)
        days = catalogue.warehouse.refresh_days(name)
        loaded = (loaded_times or {}).get(name)
        if loaded is None:
            status, reason = (
                UNKNOWN,
                (
                    "Datavarehuset svarer ikke lige nu."
                    if loaded_times is None
                    else "Kilden står ikke i indlæsningsloggen."
                ),
            )
        else:
            judged = freshness_of(None, loaded, days, at)
            status, reason = (OLD, judged.reason) if judged.old else (FRESH, "")
        rows.append(
            SourceRow(
                name,
                described.title if described else None,
                described.owner if described else None,
                described.description if described else None,
                days,
                loaded,
                status,
                reason,
                tuple(k for k in catalogue.kpis if source_name(k) == name),
            )
        )
    return rows


def cadence(days: int) -> str:
    """The expected loads in words: "Hver uge", "Hver måned", "Hver 3. dag"."""
    if 28 <= days <= 31:
        return "Hver måned"
    return {1: "Hver dag", 7: "Hver uge", 14: "Hver anden uge"}.get(days, f"Hver {days}. dag")


def _kpi_links(row: SourceRow, unit: str | None) -> html.Ul:
    query = f"?{urlencode({'enhed': unit})}" if unit else ""
    return html.Ul(
        [html.Li(dcc.Link(k.title, href=f"/kpi/{k.id}{query}")) for k in row.kpis],
        className="list-unstyled mb-0",
    )


def _row(row: SourceRow, unit: str | None) -> html.Tr:
    return html.Tr(
        [
            html.Td(
                [
                    html.Strong(row.title or row.name),
                    html.Div(html.Code(row.name), className="small") if row.title else None,
                    html.Div(row.description, className="small") if row.description else None,
                ]
            ),
            html.Td(row.owner or "Ikke angivet"),
            html.Td(cadence(row.refresh_days)),
            html.Td(format_datetime(row.loaded) if row.loaded else "–"),
            html.Td(
                [
                    dbc.Badge(
                        STATUS_TEXT[row.status],
                        color=STATUS_COLOUR[row.status],
                        text_color="dark" if row.status == OLD else None,
                        className="source-status",
                    ),
                    html.Div(row.reason, className="small") if row.reason else None,
                ],
                **{"data-status": row.status},
            ),
            html.Td(_kpi_links(row, unit)),
        ],
        **{"data-source": row.name},
    )


def sources_table(rows: list[SourceRow], unit: str | None) -> dbc.Table:
    head = html.Thead(
        html.Tr(
            [
                html.Th(h, scope="col")
                for h in ("Kilde", "Ejer", "Indlæses", "Seneste indlæsning", "Status", "Nøgletal")
            ]
        )
    )
    return dbc.Table(
        [head, html.Tbody([_row(r, unit) for r in rows])],
        bordered=False,
        hover=True,
        responsive=True,
        className="sources-table align-middle",
    )


def layout_for(services: Services):
    def layout(enhed: str | None = None, **_ignored) -> html.Div:
        if not for_a_viewer():
            return html.Div()  # no callback ids here; no warehouse read for Dash's validation
        try:
            loaded_times = None if services.stale else services.load_times()
        except Exception as error:  # the warehouse is away: the sources, without loads
            log.warning("load times for Data-landskabet unavailable (%s)", type(error).__name__)
            loaded_times = None
        try:
            unit = enhed if enhed and enhed in services.org else None
        except Exception:
            unit = None
        rows = source_rows(services, loaded_times, datetime.now(TIMEZONE))
        old = sum(r.status == OLD for r in rows)
        summary = f"{len(rows)} kilder ligger bag nøgletallene. " + (
            f"{old} af dem er ikke indlæst så ofte som ventet."
            if old
            else "Alle er indlæst så ofte som ventet."
            if all(r.status == FRESH for r in rows)
            else "Indlæsningen kan ikke ses for alle lige nu."
        )
        return html.Div(
            [
                html.H1("Data-landskabet", className="h2"),
                html.P(
                    "Hvor tallene kommer fra: hver kilde i datavarehuset, hvem der ejer den, "
                    "hvor tit den indlæses, hvornår den sidst blev indlæst, og hvilke nøgletal "
                    "der bygger på den.",
                    className="lead-text",
                ),
                html.P(summary, id="sources-summary"),
                sources_table(rows, unit),
            ],
            className="datalandskab-page",
        )

    return layout


def register(app: Dash, services: Services) -> None:
    dash.register_page(
        "datalandskab",
        path=PATH,
        name="Data-landskabet",
        title="Data-landskabet – MSB i tal",
        layout=layout_for(services),
        order=80,
    )

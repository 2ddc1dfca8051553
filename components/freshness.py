"""The freshness badge on a KPI page: how far the data reaches and when it was loaded.

"Data til og med 31. okt. 2026 · indlæst 2. nov. 2026". Amber when the load is older
than the warehouse's expected cadence (`load_log.refresh_days`), or when the warehouse
does not answer and the page shows the figures last fetched.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from babel.dates import format_date
from dash import html

from components.formatting import LOCALE, TIMEZONE
from components.services import Services
from components.states import log
from queries.catalogue.models import Kpi, SourceSql
from queries.compiler.periods import add_months

BADGE = "freshness-badge"
OLD = "Data kan være forældede"


@dataclass(frozen=True)
class Freshness:
    text: str
    old: bool  # amber: the load is overdue, or the warehouse did not answer
    reason: str = ""  # why it is amber, said after the text


def _day(day: date) -> str:
    return format_date(day, "d. MMM y", locale=LOCALE)


def _local(moment: datetime) -> datetime:
    """Naive timestamps are local already (as format_datetime reads them)."""
    return moment.astimezone(TIMEZONE).replace(tzinfo=None) if moment.tzinfo else moment


def freshness_of(
    through: date | None,
    loaded: datetime | None,
    refresh_days: int,
    now: datetime,
    stale: bool = False,
) -> Freshness:
    """The badge's words for the newest month with data and the load time, at `now`."""
    parts = []
    if through is not None:  # the newest month with data counts as whole (see queries/partial)
        parts.append(f"Data til og med {_day(add_months(through, 1) - timedelta(days=1))}")
    if loaded is not None:
        parts.append(f"indlæst {_day(_local(loaded).date())}")
    text = " · ".join(parts) or "Ingen data for nøgletallet endnu"
    if stale:
        return Freshness(
            text, True, "Datavarehuset svarer ikke lige nu; du ser de senest hentede tal."
        )
    if loaded is not None and _local(now) - _local(loaded) > timedelta(days=refresh_days):
        return Freshness(
            text,
            True,
            f"Der indlæses normalt mindst hver {refresh_days}. dag; "
            f"seneste indlæsning er {(_local(now) - _local(loaded)).days} dage gammel.",
        )
    return Freshness(text, False)


def freshness_for(services: Services, kpi: Kpi, now: datetime | None = None) -> Freshness:
    """The KPI's freshness from the warehouse; says "may be old" rather than failing."""
    now = now or datetime.now(TIMEZONE)
    source = kpi.source.sql if isinstance(kpi.source, SourceSql) else kpi.source
    refresh_days = services.catalogue.warehouse.refresh_days(source)
    try:
        found = services.data_range(kpi.id)
    except Exception as error:  # nothing cached and no warehouse
        log.warning("freshness of %s without the warehouse (%s)", kpi.id, type(error).__name__)
        return freshness_of(None, None, refresh_days, now, stale=True)
    through = found[1] if found else None
    if services.stale:  # the load log cannot be read now; the range above is the cached one
        return freshness_of(through, None, refresh_days, now, stale=True)
    try:
        loaded_times = services.load_times()
    except Exception as error:
        log.warning("load times unavailable (%s)", type(error).__name__)
        return freshness_of(through, None, refresh_days, now, stale=True)
    # A KPI over its own SQL names no loaded table: the newest load speaks for it.
    loaded = loaded_times.get(source) or (max(loaded_times.values()) if loaded_times else None)
    return freshness_of(through, loaded, refresh_days, judged_at(services, loaded_times, now))


def judged_at(services: Services, loaded_times: dict, now: datetime) -> datetime:
    """The moment loads are judged at: now, except on the demo warehouse, which is a fixed
    day's load (judged by today's date it would always look overdue); its own newest
    load is its "now"."""
    if services.demo and loaded_times:
        return max(loaded_times.values())
    return now


def badge(found: Freshness) -> html.Div:
    """The badge: neutral when fresh, amber with the reason when the data may be old."""
    icon = "exclamation-triangle" if found.old else "clock-history"
    words = [
        html.I(className=f"bi bi-{icon} me-1", **{"aria-hidden": "true"}),
        found.text,
    ]
    if found.old:
        words += [" · ", html.Strong(OLD)]
    return html.Div(
        [
            html.Span(words, className=f"freshness {'freshness-old' if found.old else ''}"),
            html.Span(found.reason, className="small ms-2") if found.reason else None,
        ],
        id=BADGE,
        className="mb-2",
        role="status",
    )

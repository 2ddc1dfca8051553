"""Names of periods that the data does not yet cover to their end.

"4. kvartal 2026 til og med oktober", "2026 til og med oktober", and the months of
last year a running period is compared with: "oktober 2025", "januar–oktober 2025".
"""

from __future__ import annotations

from datetime import date

from babel.dates import format_date

from components.formatting import LOCALE, format_period
from queries.compiler.periods import add_months
from queries.partial import Coverage


def month_name(day: date) -> str:
    return format_date(day, "MMMM", locale=LOCALE)


def period_name(period: date, grain: str, part: Coverage | None = None) -> str:
    """The period's name, with how far the data reaches when it is still running."""
    name = format_period(period, grain)
    if part is None:
        return name
    return f"{name} til og med {month_name(part.through)}"


def months_name(start: date, end: date) -> str:
    """The months [start, end) of one year: "oktober 2025", "januar–oktober 2025"."""
    last = add_months(end, -1)
    if last == start:
        return f"{month_name(start)} {start.year}"
    return f"{month_name(start)}–{month_name(last)} {last.year}"


def same_months_last_year(part: Coverage) -> str:
    return months_name(*part.last_year_window())

"""Periods: bucketing a date column per SQL dialect, and period arithmetic in Python.

A period is named by its first day (2026-10-01 is October 2026, the fourth quarter
of 2026 is 2026-10-01, the year 2026 is 2026-01-01).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any, ClassVar

from sqlalchemy import Date
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.sql.visitors import InternalTraversal

from queries.catalogue.models import Grain
from queries.lazy import pandas as pd


class period_start(FunctionElement):
    """The first day of the period (of the given grain) that a date or timestamp falls in."""

    type = Date()
    inherit_cache = True
    name = "period_start"
    # The grain is part of the statement cache key: a month query must never be
    # served the compiled SQL of a quarter query.
    _traverse_internals: ClassVar = [
        *FunctionElement._traverse_internals,
        ("grain_name", InternalTraversal.dp_string),
    ]

    def __init__(self, expression: ColumnElement[Any], grain: Grain) -> None:
        self.grain_name = Grain(grain).value
        super().__init__(expression)

    @property
    def grain(self) -> Grain:
        return Grain(self.grain_name)


def _argument(element: period_start, compiler: Any, **kw: Any) -> str:
    return compiler.process(next(iter(element.clauses)), **kw)


@compiles(period_start)
def _generic(element: period_start, compiler: Any, **kw: Any) -> str:
    # PostgreSQL and DuckDB: date_trunc returns a timestamp; the cast makes it a date.
    return (
        f"CAST(date_trunc('{element.grain.value}', {_argument(element, compiler, **kw)}) AS DATE)"
    )


@compiles(period_start, "sqlite")
def _sqlite(element: period_start, compiler: Any, **kw: Any) -> str:
    arg = _argument(element, compiler, **kw)
    if element.grain is Grain.month:
        return f"date({arg}, 'start of month')"
    if element.grain is Grain.year:
        return f"date({arg}, 'start of year')"
    back = f"((CAST(strftime('%m', {arg}) AS INTEGER) - 1) % 3)"
    return f"date({arg}, 'start of month', '-' || {back} || ' months')"


@compiles(period_start, "mysql")
@compiles(period_start, "mariadb")
def _mysql(element: period_start, compiler: Any, **kw: Any) -> str:
    arg = _argument(element, compiler, **kw)
    if element.grain is Grain.month:
        return f"MAKEDATE(YEAR({arg}), 1) + INTERVAL (MONTH({arg}) - 1) MONTH"
    if element.grain is Grain.year:
        return f"MAKEDATE(YEAR({arg}), 1)"
    return f"MAKEDATE(YEAR({arg}), 1) + INTERVAL (QUARTER({arg}) - 1) QUARTER"


@compiles(period_start, "mssql")
def _mssql(element: period_start, compiler: Any, **kw: Any) -> str:
    arg = _argument(element, compiler, **kw)
    if element.grain is Grain.month:
        return f"DATEFROMPARTS(YEAR({arg}), MONTH({arg}), 1)"
    if element.grain is Grain.year:
        return f"DATEFROMPARTS(YEAR({arg}), 1, 1)"
    return f"DATEFROMPARTS(YEAR({arg}), (DATEPART(quarter, {arg}) - 1) * 3 + 1, 1)"


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def floor_period(day: date | datetime, grain: Grain) -> date:
    """The first day of the period a day falls in."""
    month = day.month - (day.month - 1) % Grain(grain).months
    return date(day.year, month, 1)


def floor_fetched(value: Any, grain: Grain) -> Any:
    """`floor_period` of a period as a driver returned it, in the driver's own type: a
    date or datetime, or SQLite's text 'YYYY-MM-DD'; None stays None."""
    if value is None:
        return None
    if isinstance(value, str):
        month = int(value[5:7])
        return f"{value[:5]}{month - (month - 1) % Grain(grain).months:02d}-01{value[10:]}"
    return value.replace(month=value.month - (value.month - 1) % Grain(grain).months, day=1)


def period_stamps(periods: Any) -> list:
    """A frame's periods as midnight Timestamps, one object per distinct period: a
    Timestamp made per row cost most of the Python in a cube's citizen counts."""
    stamps = pd.to_datetime(pd.Series(periods)).dt.normalize()
    codes, distinct = pd.factorize(stamps)
    if (codes < 0).any():  # a missing period: each row's own value (NaT)
        return list(stamps)
    distinct = list(distinct)
    return [distinct[code] for code in codes.tolist()]


def next_period(period: date, grain: Grain, steps: int = 1) -> date:
    return add_months(period, Grain(grain).months * steps)


def period_bounds(period: date, grain: Grain) -> tuple[date, date]:
    """Half-open [start, end) of a period, for a sargable filter on the date column."""
    start = floor_period(period, grain)
    return start, next_period(start, grain)


def periods_back(last: date, grain: Grain, count: int) -> list[date]:
    """The `count` periods ending with `last`, oldest first."""
    last = floor_period(last, grain)
    return [next_period(last, grain, -step) for step in range(count - 1, -1, -1)]


_PERIOD_TEXT = re.compile(r"^(\d{4})(?:-(?:(\d{1,2})|[KQkq]([1-4])))?$")


def parse_period(text: str, grain: Grain) -> date:
    """A period from a URL or the command line: "2026-10", "2026-K4" (or "2026-Q4"), "2026".

    A finer text than the grain is floored ("2026-10" at grain year is 2026)."""
    match = _PERIOD_TEXT.match(text.strip())
    if not match:
        raise ValueError(f"ugyldig periode '{text}': skriv fx 2026-10, 2026-K4 eller 2026")
    year, month, quarter = int(match[1]), match[2], match[3]
    if month is not None and not 1 <= int(month) <= 12:
        raise ValueError(f"ugyldig måned i perioden '{text}'")
    first_month = int(month) if month else (int(quarter) - 1) * 3 + 1 if quarter else 1
    if not 1900 <= year <= 2200:
        raise ValueError(f"ugyldigt år i perioden '{text}'")
    return floor_period(date(year, first_month, 1), grain)


def period_param(period: date, grain: Grain) -> str:
    """The inverse of parse_period, for links."""
    grain = Grain(grain)
    if grain is Grain.month:
        return f"{period.year}-{period.month:02d}"
    if grain is Grain.quarter:
        return f"{period.year}-K{(period.month - 1) // 3 + 1}"
    return str(period.year)

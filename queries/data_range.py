"""The first and last date with data for a KPI, and the periods in between.

The period picker offers exactly these periods: none before the data begins (an empty
year would draw an axis of nothing), none after it ends.
"""

from __future__ import annotations

import contextlib
from datetime import date, datetime
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.sql import Select

from queries.catalogue.models import Grain, Kpi
from queries.compiler.measures import conjunction
from queries.compiler.periods import floor_period, next_period
from queries.compiler.relations import SQL_DIR, source_relation
from queries.lazy import pandas as pd


def range_select(kpi: Kpi, sql_dir: Path = SQL_DIR) -> Select:
    """MIN and MAX of the KPI's date column over the rows the KPI counts at all."""
    src = source_relation(kpi, sql_dir)
    time = src.c[kpi.time.column]
    query = sa.select(sa.func.min(time).label("earliest"), sa.func.max(time).label("latest"))
    kpi_filter = conjunction(src, kpi.filters)
    return query.where(kpi_filter) if kpi_filter is not None else query


def data_range(engine: sa.Engine, kpi: Kpi, sql_dir: Path = SQL_DIR) -> tuple[date, date] | None:
    """(first month, last month) with data, or None when the KPI has no rows."""
    with engine.connect() as connection:
        earliest, latest = connection.execute(range_select(kpi, sql_dir)).one()
    if earliest is None or latest is None:
        return None
    return (
        floor_period(as_date(earliest), Grain.month),
        floor_period(as_date(latest), Grain.month),
    )


def as_date(value: object) -> date:
    """A date or timestamp as the driver gave it, as a date. The drivers give a date or a
    datetime (an ISO text on SQLite); pandas reads anything else. Dash's first request
    asks for a range before any lens needs pandas (queries/lazy.py)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        with contextlib.suppress(ValueError):
            return datetime.fromisoformat(value).date()
    return pd.Timestamp(value).date()


def periods_between(earliest: date, latest: date, grain: Grain) -> list[date]:
    """Every period of the grain from the one holding `earliest` to the one holding
    `latest`, oldest first."""
    period, last = floor_period(earliest, grain), floor_period(latest, grain)
    found = []
    while period <= last:
        found.append(period)
        period = next_period(period, grain)
    return found

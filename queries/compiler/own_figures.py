"""A KPI's figure per (own unit, period): each row aggregated once, under the unit it
belongs to, with no closure. queries/rollup.py adds these up the org tree in memory,
which gives every unit's figure over all its descendants' rows for any measure whose
parts are additive (`rolls_up`)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.sql import Select

from queries.catalogue.models import Grain, Kpi, MeasureType
from queries.compiler.measures import conjunction, measure_columns
from queries.compiler.periods import period_start
from queries.compiler.relations import SQL_DIR, source_relation

ADDITIVE_PARTS = frozenset({"count", "sum"})


def rolls_up(kpi: Kpi) -> bool:
    """Whether a unit's figure is the sum of its own and its descendants' parts: counts,
    sums, averages (a sum over a count) and ratios of counts or sums. A distinct count is
    not (a citizen may have rows under two units), nor is anything built on one."""
    measure = kpi.measure
    if measure.type is MeasureType.ratio:
        parts = (measure.numerator, measure.denominator)
        return all(part.type in ADDITIVE_PARTS for part in parts)
    return measure.type is not MeasureType.count_distinct


def monthly_average(kpi: Kpi) -> bool:
    """A count or sum divided by the number of months with a matching row (as
    `measure_columns` reads the flag)."""
    measure = kpi.measure
    plain = measure.type in (MeasureType.count, MeasureType.sum)
    return plain and bool(measure.monthly_average)


def own_figure_select(
    kpi: Kpi, *, start: date, end: date, grain: Grain, sql_dir: Path = SQL_DIR
) -> Select:
    """(unit, period, numerator, denominator) per own unit and period for rows in
    [start, end), the same expressions as the closure's aggregate.

    A monthly average's denominator (the months with a matching row) does not add up, so
    it is replaced by the matching rows, and at quarter and year a `month` column keeps
    the months apart; queries/rollup.py counts the months whose rolled-up rows are > 0."""
    if not rolls_up(kpi):
        raise ValueError(f"KPI '{kpi.id}' has a distinct count and does not roll up")
    src = source_relation(kpi, sql_dir)
    cols = measure_columns(kpi, src, citizens=False)
    time = src.c[kpi.time.column]
    bucket = period_start(time, grain)
    keys = [src.c[kpi.org].label("unit"), bucket.label("period")]
    group = [src.c[kpi.org], bucket]
    denominator = cols.denominator
    if monthly_average(kpi):
        cond = conjunction(src, kpi.measure.filters)
        denominator = (
            sa.func.count() if cond is None else sa.func.count(sa.case((cond, sa.literal(1))))
        )
        if grain is not Grain.month:
            month = period_start(time, Grain.month)
            keys.append(month.label("month"))
            group.append(month)
    where = [time >= sa.bindparam("start", start, type_=sa.Date)]
    where.append(time < sa.bindparam("end", end, type_=sa.Date))
    if (kpi_filter := conjunction(src, kpi.filters)) is not None:
        where.append(kpi_filter)
    return (
        sa.select(
            *keys,
            cols.numerator.label("numerator"),
            (denominator if denominator is not None else sa.null()).label("denominator"),
        )
        .where(*where)
        .group_by(*group)
    )

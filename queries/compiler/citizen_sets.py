"""Distinct counts for every unit of the tree without fanning each fact row out to its
ancestors in the database.

A distinct count does not add up from children: a citizen with rows under two teams is
one citizen of their afdeling. What a unit's count needs is, per period and citizen, the
set of units the citizen has rows under; most citizens have one unit in a period, a few
two, very few more. So the database groups the rows once by (period, citizen) and keeps
the smallest and largest unit and the number of rows: with one unit, or with two rows,
{smallest, largest} *is* the set, and the statement returns how many citizens share each
(period, set) — a few thousand rows. Only the citizens of a period with three rows or
more under two units or more (a handful by month; a fifth of a year's) are counted by
the closure in the database, their rows deduplicated first. queries/rollup.py
(`count_sets`) adds each set's citizens to every unit at or above one of its members.

Every statement is plain SQL (a CTE, GROUP BY, UNION ALL), the same on every dialect.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.sql import Select
from sqlalchemy.sql.expression import CompoundSelect, FromClause

from queries.catalogue.models import Aggregate, Grain, Kpi, MeasureType
from queries.compiler.measures import conjunction, measure_columns
from queries.compiler.periods import period_start
from queries.compiler.relations import SQL_DIR, source_relation

SETS, CLOSURE = 0, 1  # the `kind` of a row of `citizen_sets_select`


@dataclass(frozen=True)
class DistinctPart:
    """A part of the figure that is a distinct count: `role` numerator or denominator."""

    role: str
    part: Aggregate


def distinct_parts(kpi: Kpi) -> tuple[DistinctPart, ...]:
    """The figure's parts that are distinct counts (none for a KPI that `rolls_up`)."""
    measure = kpi.measure
    if measure.type is MeasureType.count_distinct:
        part = Aggregate(type="count_distinct", column=measure.column, filters=measure.filters)
        return (DistinctPart("numerator", part),)
    if measure.type is not MeasureType.ratio:
        return ()
    found = []
    for role, part in (("numerator", measure.numerator), ("denominator", measure.denominator)):
        if part is not None and part.type == "count_distinct":
            found.append(DistinctPart(role, part))
    return tuple(found)


def own_parts_select(
    kpi: Kpi, *, start: date, end: date, grain: Grain, sql_dir: Path = SQL_DIR
) -> Select:
    """(unit, period, numerator, denominator) per own unit and period for a KPI with a
    distinct count: the cells (a unit and period with rows) and the parts that add up;
    a distinct part is NULL here and comes from `citizen_sets_select`."""
    src = source_relation(kpi, sql_dir)
    cols = measure_columns(kpi, src, citizens=False)
    distinct = {d.role for d in distinct_parts(kpi)}
    parts = {"numerator": cols.numerator, "denominator": cols.denominator}
    time = src.c[kpi.time.column]
    bucket = period_start(time, grain)
    values = [
        (sa.null() if role in distinct or part is None else part).label(role)
        for role, part in parts.items()
    ]
    return (
        sa.select(src.c[kpi.org].label("unit"), bucket.label("period"), *values)
        .where(*_rows(kpi, src, start, end))
        .group_by(src.c[kpi.org], bucket)
    )


def citizen_sets_select(
    kpi: Kpi,
    part: Aggregate,
    closure: FromClause,
    codes: FromClause,
    *,
    start: date,
    end: date,
    grain: Grain,
    sql_dir: Path = SQL_DIR,
) -> CompoundSelect:
    """(kind, period, lo, hi, n) for one distinct part (see the module's text), lo and
    hi units by their `codes` (unit, code):
    kind SETS: n citizens whose units in the period are exactly {lo, hi};
    kind CLOSURE: n distinct citizens under the unit lo (= hi), counted by `closure`
    (ancestor code, descendant) for the citizens whose set the first kind cannot name.

    Rows of a unit without a code (one the tree does not know) count under no unit, as
    in the closure; the smallest and largest unit are taken as codes because the
    smallest and largest text over every row cost a third of the statement."""
    src = source_relation(kpi, sql_dir)
    org, counted = src.c[kpi.org], src.c[part.column]
    bucket = period_start(src.c[kpi.time.column], grain)
    where = [*_rows(kpi, src, start, end), counted.is_not(None)]
    if (cond := conjunction(src, part.filters)) is not None:
        where.append(cond)
    per_citizen = (
        sa.select(
            bucket.label("period"),
            counted.label("counted"),
            sa.func.min(codes.c.code).label("lo"),
            sa.func.max(codes.c.code).label("hi"),
            sa.func.count().label("k"),
        )
        .select_from(src.join(codes, org == codes.c.unit))
        .where(*where)
        .group_by(bucket, counted)
        .cte("per_citizen")
    )
    named = sa.or_(per_citizen.c.lo == per_citizen.c.hi, per_citizen.c.k == 2)
    sets = (
        sa.select(
            sa.literal(SETS).label("kind"),
            per_citizen.c.period,
            per_citizen.c.lo,
            per_citizen.c.hi,
            sa.func.count().label("n"),
        )
        .where(named)
        .group_by(per_citizen.c.period, per_citizen.c.lo, per_citizen.c.hi)
    )
    unnamed = sa.and_(
        per_citizen.c.period == bucket,
        per_citizen.c.counted == counted,
        per_citizen.c.lo != per_citizen.c.hi,
        per_citizen.c.k > 2,
    )
    rows = (
        sa.select(org.label("unit"), bucket.label("period"), counted.label("counted"))
        .select_from(src.join(per_citizen, unnamed))
        .where(*where)
        .distinct()
        .subquery("unnamed")
    )
    by_closure = (
        sa.select(
            sa.literal(CLOSURE).label("kind"),
            rows.c.period,
            closure.c.ancestor.label("lo"),
            closure.c.ancestor.label("hi"),
            sa.func.count(sa.distinct(rows.c.counted)).label("n"),
        )
        .select_from(rows.join(closure, rows.c.unit == closure.c.descendant))
        .group_by(rows.c.period, closure.c.ancestor)
    )
    return sa.union_all(sets, by_closure)


def _rows(kpi: Kpi, src: FromClause, start: date, end: date) -> Sequence[sa.ColumnElement]:
    """The KPI's rows in [start, end)."""
    time = src.c[kpi.time.column]
    where = [time >= sa.bindparam("start", start, type_=sa.Date)]
    where.append(time < sa.bindparam("end", end, type_=sa.Date))
    if (kpi_filter := conjunction(src, kpi.filters)) is not None:
        where.append(kpi_filter)
    return where

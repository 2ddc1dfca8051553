"""Filters and measures as SQL expressions over the source relation.

Every measure compiles to a numerator and a denominator that the database adds up;
Python divides the two. That keeps integer division, division by zero and AVG's
integer result on SQL Server out of the SQL, and the same rule serves every level.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.sql.expression import ColumnElement, FromClause

from queries.catalogue.models import Aggregate, Filter, Grain, Kpi, MeasureType, Operator
from queries.compiler.periods import period_start


def condition(source: FromClause, item: Filter) -> ColumnElement[bool]:
    """One filter as a boolean expression with bound values."""
    if item.sql is not None:
        # The analyst's escape hatch: text from the validated catalogue, never from a user.
        return sa.text("(" + item.sql + ")")
    col = source.c[item.column]
    value = item.value
    match item.op:
        case Operator.eq:
            return col == value
        case Operator.ne:
            return col != value
        case Operator.lt:
            return col < value
        case Operator.le:
            return col <= value
        case Operator.gt:
            return col > value
        case Operator.ge:
            return col >= value
        case Operator.in_:
            return col.in_(list(value))
        case Operator.not_in:
            return col.not_in(list(value))
        case Operator.is_null:
            return col.is_(None)
        case Operator.not_null:
            return col.is_not(None)
    raise ValueError(f"unknown operator {item.op}")


def conjunction(source: FromClause, filters: tuple[Filter, ...]) -> ColumnElement[bool] | None:
    if not filters:
        return None
    return sa.and_(*(condition(source, f) for f in filters))


def _when(cond: ColumnElement[bool] | None, value: ColumnElement) -> ColumnElement:
    return value if cond is None else sa.case((cond, value))


def aggregate(source: FromClause, part: Aggregate) -> ColumnElement:
    cond = conjunction(source, part.filters)
    if part.type == "count":
        return sa.func.count(_when(cond, sa.literal(1))) if cond is not None else sa.func.count()
    col = source.c[part.column]
    if part.type == "count_distinct":
        return sa.func.count(sa.distinct(_when(cond, col)))
    # A group with rows but none that match sums to 0, not NULL, as the oracle expects.
    return sa.func.coalesce(sa.func.sum(sa.cast(_when(cond, col), sa.Double())), 0.0)


@dataclass(frozen=True)
class MeasureColumns:
    numerator: ColumnElement
    denominator: ColumnElement | None  # None: the value is the numerator itself
    n: ColumnElement | None  # citizens behind the figure, for small-number suppression


def citizens_in(kpi: Kpi, source: FromClause) -> ColumnElement[bool] | None:
    """Which rows' citizens stand behind the figure: a ratio's denominator's, else the
    measure's own rows."""
    measure = kpi.measure
    if measure.type is MeasureType.ratio:
        return conjunction(source, measure.denominator.filters)
    return conjunction(source, measure.filters)


def citizen_count(kpi: Kpi, source: FromClause) -> ColumnElement:
    """Distinct citizens behind the figure, for small-number suppression."""
    return sa.func.count(sa.distinct(_when(citizens_in(kpi, source), source.c[kpi.citizen])))


def measure_columns(kpi: Kpi, source: FromClause, *, citizens: bool = True) -> MeasureColumns:
    """The figure's parts; `citizens` False leaves out the distinct count of citizens."""
    measure = kpi.measure
    if measure.type is MeasureType.ratio:
        numerator = aggregate(source, measure.numerator)
        denominator = aggregate(source, measure.denominator)
    else:
        cond = conjunction(source, measure.filters)
        if measure.type is MeasureType.avg:
            col = source.c[measure.column]
            numerator = sa.func.sum(sa.cast(_when(cond, col), sa.Double()))
            denominator = sa.func.count(_when(cond, col))
        else:
            part = Aggregate(
                type=measure.type.value, column=measure.column, filters=measure.filters
            )
            numerator = aggregate(source, part)
            denominator = None
            if measure.monthly_average:
                month = period_start(source.c[kpi.time.column], Grain.month)
                denominator = sa.func.count(sa.distinct(_when(cond, month)))
    n = citizen_count(kpi, source) if kpi.citizen and citizens else None
    return MeasureColumns(numerator, denominator, n)


def n_in_figure(kpi: Kpi) -> str | None:
    """ "numerator" or "denominator" when that part of the figure already is the distinct
    count of citizens behind it (the same column and filters as `citizen_count`), so a
    cube has every cell's n for free; else None."""
    measure = kpi.measure
    if not kpi.citizen:
        return None
    if measure.type is MeasureType.count_distinct and measure.column == kpi.citizen:
        return "numerator"
    part = measure.denominator
    if (
        measure.type is MeasureType.ratio
        and part is not None
        and part.type == "count_distinct"
        and part.column == kpi.citizen
    ):
        return "denominator"
    return None

"""Which source rows stand behind a KPI's figure: the rows a citizen list shows.

A list must show exactly the rows the figure is computed from, no more: a citizen
outside the figure is a citizen the viewer has no work need to see.

- count: the KPI's filters and the measure's own filters.
- count_distinct, sum, avg: the same, and only rows where the measured column has a
  value (a NULL adds nothing to a distinct count, a sum or an average).
- ratio: the denominator's rows by default; with `numerator_only`, the numerator's.
"""

from __future__ import annotations

from sqlalchemy.sql.expression import ColumnElement, FromClause

from queries.catalogue.models import Aggregate, Filter, Kpi, MeasureType
from queries.compiler.measures import condition


def _part_conditions(
    src: FromClause, kind: str, column: str | None, filters: tuple[Filter, ...]
) -> list[ColumnElement[bool]]:
    found = [condition(src, item) for item in filters]
    if kind != "count" and column is not None:
        found.append(src.c[column].is_not(None))
    return found


def counted_part(kpi: Kpi, numerator_only: bool = False) -> Aggregate | None:
    """The part of a ratio whose rows the list shows; None when the measure is no ratio."""
    measure = kpi.measure
    if measure.type is not MeasureType.ratio:
        return None
    return measure.numerator if numerator_only else measure.denominator


def rows_behind(
    kpi: Kpi, src: FromClause, *, numerator_only: bool = False
) -> list[ColumnElement[bool]]:
    """The conditions (to be joined with AND) that pick the rows behind the figure.

    `numerator_only` applies to a ratio only; for any other measure the rows behind the
    figure are the rows it counts, and the flag changes nothing.
    """
    found = [condition(src, item) for item in kpi.filters]
    part = counted_part(kpi, numerator_only)
    if part is not None:
        return found + _part_conditions(src, part.type, part.column, part.filters)
    measure = kpi.measure
    return found + _part_conditions(src, measure.type.value, measure.column, measure.filters)

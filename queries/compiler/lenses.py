"""One SQLAlchemy Core select per lens. Values are bound parameters; names come only
from the validated catalogue. Nothing here executes a query."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.sql import Select
from sqlalchemy.sql.expression import FromClause

from queries.catalogue.models import Catalogue, Grain, Kpi
from queries.compiler.measures import citizen_count, conjunction, measure_columns
from queries.compiler.periods import period_start
from queries.compiler.relations import (
    SQL_DIR,
    closure_pairs,
    inline_closure,
    named_table,
    org_closure,
    org_table,
    source_relation,
)
from queries.compiler.rows_behind import rows_behind
from queries.scope import Scope

if TYPE_CHECKING:
    from queries.orgtree import OrgTree

MAX_PAGE_SIZE = 500
CITIZEN_KEY = "_citizen"


def _date_param(name: str, value: date) -> sa.BindParameter:
    return sa.bindparam(name, value, type_=sa.Date)


def descendants_of(org: OrgTree, units: Sequence[str]) -> list[str]:
    """Every unit at or below any of `units`, from the tree in memory (sorted, so equal
    requests give equal statements)."""
    children = {u: org.children(u) for u in org.units}
    return sorted({d for _, d in closure_pairs(children, [u for u in units if u in org])})


def closure_for(
    catalogue: Catalogue, org: OrgTree | None, units: Sequence[str] | None
) -> FromClause:
    """(ancestor, descendant) for the units asked (None: every unit).

    With the org tree in memory the pairs are written into the statement (a plain join
    the database plans with its statistics); without it, the warehouse walks its
    organisation table with a recursive CTE."""
    if org is None:
        return org_closure(catalogue)
    children = {u: org.children(u) for u in org.units}
    wanted = list(org.units) if units is None else [u for u in units if u in org]
    return inline_closure(closure_pairs(children, wanted))


def aggregate_select(
    catalogue: Catalogue,
    kpi: Kpi,
    *,
    units: Sequence[str] | None,
    start: date,
    end: date,
    grain: Grain,
    by_period: bool = True,
    sql_dir: Path = SQL_DIR,
    org: OrgTree | None = None,
    citizens: bool = True,
) -> Select:
    """numerator, denominator and n per (unit, period) for rows in [start, end).

    `units` lists the units to compute (each over all its descendants' rows); None
    computes every unit of the tree at once. `org`: the tree in memory, so the closure
    is written into the statement instead of computed by a recursive CTE. `citizens`
    False leaves n NULL: the distinct count over the fan-out of every row to every
    ancestor is most of such a query's cost, and a figure whose suppression is decided
    elsewhere (queries/suppression.py, from the cubes) does not need it.
    """
    src = source_relation(kpi, sql_dir)
    closure = closure_for(catalogue, org, units)
    cols = measure_columns(kpi, src, citizens=citizens)
    unit = closure.c.ancestor.label("unit")
    selected = [unit]
    group = [closure.c.ancestor]
    if by_period:
        bucket = period_start(src.c[kpi.time.column], grain)
        selected.append(bucket.label("period"))
        group.append(bucket)
    selected.append(cols.numerator.label("numerator"))
    selected.append(
        (cols.denominator if cols.denominator is not None else sa.null()).label("denominator")
    )
    selected.append((cols.n if cols.n is not None else sa.null()).label("n"))

    time = src.c[kpi.time.column]
    where = [time >= _date_param("start", start), time < _date_param("end", end)]
    if org is not None:
        if units is not None and not [u for u in units if u in org]:
            where.append(sa.false())  # no known unit asked: no row (the closure is a stub)
    elif units is not None:
        where.append(closure.c.ancestor.in_(sa.bindparam("units", list(units), expanding=True)))
    kpi_filter = conjunction(src, kpi.filters)
    if kpi_filter is not None:
        where.append(kpi_filter)
    return (
        sa.select(*selected)
        .select_from(src.join(closure, src.c[kpi.org] == closure.c.descendant))
        .where(*where)
        .group_by(*group)
    )


def per_unit_select(
    kpi: Kpi,
    org: OrgTree,
    *,
    units: Sequence[str],
    start: date,
    end: date,
    grain: Grain,
    sql_dir: Path = SQL_DIR,
) -> sa.CompoundSelect | None:
    """The figure (n NULL) per period for each of a few units, each over its own
    descendants' rows picked by `org IN (…)`: one scan per unit, no row fanned out to
    its ancestors (a distinct count over the closure's join costs more than the scans
    for a trend's unit and its parent). None when the tree knows none of `units`."""
    known = [u for u in dict.fromkeys(units) if u in org]
    if not known:
        return None
    parts = []
    for index, unit in enumerate(known):
        src = source_relation(kpi, sql_dir)
        cols = measure_columns(kpi, src, citizens=False)
        time = src.c[kpi.time.column]
        bucket = period_start(time, grain)
        where = [time >= _date_param("start", start), time < _date_param("end", end)]
        where.append(_one_of(src.c[kpi.org], f"rows_{index}", descendants_of(org, [unit])))
        if (kpi_filter := conjunction(src, kpi.filters)) is not None:
            where.append(kpi_filter)
        label = sa.bindparam(f"unit_{index}", unit, type_=sa.String(), literal_execute=True)
        denominator = cols.denominator if cols.denominator is not None else sa.null()
        parts.append(
            sa.select(
                label.label("unit"),
                bucket.label("period"),
                cols.numerator.label("numerator"),
                denominator.label("denominator"),
                sa.null().label("n"),
            )
            .where(*where)
            .group_by(bucket)
        )
    return sa.union_all(*parts)


def own_counts_select(
    kpi: Kpi, *, start: date, end: date, grain: Grain, sql_dir: Path = SQL_DIR
) -> Select:
    """Distinct citizens per (unit, period) over each unit's own rows only: no closure,
    so no row is counted more than once. A unit's citizens are at least those of any
    unit at or below it, which bounds every cell of the tree from below
    (queries/cube_counts.py)."""
    src = source_relation(kpi, sql_dir)
    bucket = period_start(src.c[kpi.time.column], grain)
    time = src.c[kpi.time.column]
    where = [time >= _date_param("start", start), time < _date_param("end", end)]
    kpi_filter = conjunction(src, kpi.filters)
    if kpi_filter is not None:
        where.append(kpi_filter)
    return (
        sa.select(
            src.c[kpi.org].label("unit"),
            bucket.label("period"),
            citizen_count(kpi, src).label("n"),
        )
        .where(*where)
        .group_by(src.c[kpi.org], bucket)
    )


@dataclass(frozen=True)
class ListQuery:
    rows: Select  # one page, sorted
    total: Select  # COUNT(*) of all rows behind the number
    columns: tuple[str, ...]  # result column keys, in display order


def list_query(
    catalogue: Catalogue,
    kpi: Kpi,
    *,
    unit: str,
    start: date,
    end: date,
    scope: Scope,
    numerator_only: bool = False,
    sort: Sequence[tuple[str, bool]] = (),
    offset: int = 0,
    limit: int = 50,
    sql_dir: Path = SQL_DIR,
    tree: OrgTree | None = None,
) -> ListQuery:
    """The rows behind one unit and period, limited to the viewer's scope.

    `sort` is a sequence of (column key, descending); keys not among the list's columns
    are refused, so a request can never name a column of its own. With `tree` (the org
    tree in memory) the unit's rows are picked by a list of its descendants' ids before
    any join; without it, by a recursive closure in the warehouse.
    """
    if kpi.list is None:
        raise ValueError(f"KPI '{kpi.id}' has no list")
    if not 0 < limit <= MAX_PAGE_SIZE or offset < 0:
        raise ValueError(f"page size must be 1..{MAX_PAGE_SIZE} and offset >= 0")
    src = source_relation(kpi, sql_dir)
    wh = catalogue.warehouse
    unit_rows: list[sa.ColumnElement[bool]] = []
    if tree is None:
        closure = org_closure(catalogue)
        joined = src.join(
            closure,
            sa.and_(
                src.c[kpi.org] == closure.c.descendant,
                closure.c.ancestor == sa.bindparam("unit", unit),
            ),
        )
    else:
        closure = None
        joined = src
        unit_rows.append(_one_of(src.c[kpi.org], "unit_rows", descendants_of(tree, [unit])))
    # The count needs no dimension: the citizen join is an outer join on the citizen
    # dimension's key, and the unit join finds every row, since the rows are picked by
    # ids from the org dimension itself. So it reads the fact rows alone.
    counted = joined
    columns: dict[str, sa.ColumnElement] = {}
    citizen = org = None
    for spec in kpi.list.columns:
        if spec.table == "citizen":
            if citizen is None:
                citizen = named_table(
                    wh.citizen.table,
                    wh.citizen.id,
                    *[c.column for c in kpi.list.columns if c.table == "citizen"],
                ).alias("citizen")
                joined = joined.outerjoin(citizen, citizen.c[wh.citizen.id] == src.c[kpi.citizen])
            columns[f"citizen_{spec.column}"] = citizen.c[spec.column]
        elif spec.table == "org":
            if org is None:
                org = org_table(catalogue).alias("unit_org")
                joined = joined.join(org, org.c[wh.org.id] == src.c[kpi.org])
            columns[f"org_{spec.column}"] = org.c[spec.column]
        else:
            columns[spec.column] = src.c[spec.column]

    if kpi.citizen:
        columns[CITIZEN_KEY] = src.c[kpi.citizen]  # for the audit log; never displayed
    time = src.c[kpi.time.column]
    where = [time >= _date_param("start", start), time < _date_param("end", end)]
    where += unit_rows + rows_behind(kpi, src, numerator_only=numerator_only)
    scope_condition = _scope_condition(scope, src.c[kpi.org], closure, tree)
    if scope_condition is not None:
        where.append(scope_condition)

    base = (
        sa.select(*(col.label(key) for key, col in columns.items()))
        .select_from(joined)
        .where(*where)
    )
    sortable = [key for key in columns if key not in _hidden_keys(catalogue)]
    order = []
    for key, descending in sort:
        if key not in sortable:
            raise ValueError(f"cannot sort by '{key}'; allowed: {', '.join(sortable)}")
        order.append(columns[key].desc() if descending else columns[key].asc())
    # Every column as a tie-breaker so that pages never overlap or skip rows; the hidden
    # ones last, so their order says as little as possible.
    chosen = dict(sort)
    ties = [k for k in sortable if k not in chosen] + [k for k in columns if k not in sortable]
    order += [columns[key].asc() for key in ties]
    rows = base.order_by(*order).offset(offset).limit(limit)
    total = sa.select(sa.func.count()).select_from(counted).where(*where)
    return ListQuery(rows, total, tuple(k for k in columns if k != CITIZEN_KEY))


def _hidden_keys(catalogue: Catalogue) -> set[str]:
    """List columns a viewer may not sort by: the citizen id is never shown, and the CPR
    number is masked, so sorting by either would reveal what the screen hides."""
    citizen = catalogue.warehouse.citizen
    return {CITIZEN_KEY} | ({f"citizen_{citizen.cpr}"} if citizen and citizen.cpr else set())


def _one_of(column: sa.ColumnElement, name: str, ids: list[str]) -> sa.ColumnElement[bool]:
    """column IN (ids), the ids written into the statement when it runs: a unit may have
    hundreds below it, and SQL Server takes at most 2,100 parameters in one statement."""
    if not ids:
        return sa.false()
    return column.in_(sa.bindparam(name, ids, expanding=True, literal_execute=True))


def _scope_condition(
    scope: Scope,
    org_column: sa.ColumnElement,
    closure: FromClause | None,
    tree: OrgTree | None = None,
) -> sa.ColumnElement[bool] | None:
    """Deny by default: rows only from the viewer's units and their descendants."""
    if scope.all_units:
        return None
    if not scope.units:
        return sa.false()
    if tree is not None or closure is None:
        return _one_of(org_column, "scope_rows", descendants_of(tree, sorted(scope.units)))
    visible = sa.select(closure.c.descendant).where(
        closure.c.ancestor.in_(sa.bindparam("scope_units", sorted(scope.units), expanding=True))
    )
    return org_column.in_(visible)


def latest_select(kpi: Kpi, sql_dir: Path = SQL_DIR, before: date | None = None) -> Select:
    """The newest date in the KPI's source: the default period to show. Rows dated on or
    after `before` (later than the newest load: a typing error such as 2031) do not count."""
    src = source_relation(kpi, sql_dir)
    time = src.c[kpi.time.column]
    query = sa.select(sa.func.max(time).label("latest"))
    return query if before is None else query.where(time < _date_param("before", before))

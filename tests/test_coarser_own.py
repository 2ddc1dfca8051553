"""A quarter's and a year's own rows added up from the month's (`coarser_own`): the
statement at the coarser grain's rows, value for value and in the driver's own types, and
read from the warehouse once per KPI for all three grains of a build. The cubes built this
way equal the closure's on every dialect (tests/test_rollup_agreement.py and
tests/test_citizen_sets_agreement.py compare them at every grain)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
import sqlalchemy as sa

from queries.catalogue.models import Grain
from queries.compiler.periods import floor_fetched
from queries.engine import Fetched, read_rows
from queries.rollup import coarser_own
from queries.warehouse import Warehouse


@pytest.mark.parametrize(
    ("value", "grain", "expected"),
    [
        (date(2026, 11, 1), Grain.quarter, date(2026, 10, 1)),
        (date(2026, 3, 1), Grain.year, date(2026, 1, 1)),
        (datetime(2026, 6, 1), Grain.quarter, datetime(2026, 4, 1)),
        ("2026-12-01", Grain.quarter, "2026-10-01"),
        ("2026-09-01 00:00:00", Grain.year, "2026-01-01 00:00:00"),
        (None, Grain.year, None),
    ],
)
def test_a_fetched_period_is_floored_in_its_own_type(value, grain, expected):
    floored = floor_fetched(value, grain)
    assert floored == expected
    assert type(floored) is type(expected)


def test_months_add_up_as_sql_sums_them():
    month = Fetched(
        ["unit", "period", "numerator", "denominator"],
        [
            ("A", date(2026, 1, 1), 3, None),
            ("A", date(2026, 2, 1), 4, None),
            ("A", date(2026, 4, 1), None, None),
            ("B", date(2026, 3, 1), Decimal("1.50"), 2),
            ("B", date(2026, 2, 1), Decimal("0.25"), None),
        ],
    )
    quarter = coarser_own(month, Grain.quarter)
    assert quarter.columns == ["unit", "period", "numerator", "denominator"]
    by_cell = {(u, p): (n, d) for u, p, n, d in quarter.rows}
    assert by_cell == {
        ("A", date(2026, 1, 1)): (7, None),  # NULL where every part is NULL
        ("A", date(2026, 4, 1)): (None, None),
        ("B", date(2026, 1, 1)): (Decimal("1.75"), 2),
    }
    assert type(by_cell["A", date(2026, 1, 1)][0]) is int
    assert coarser_own(month, Grain.month) is month


def test_a_monthly_average_keeps_its_months_apart():
    month = Fetched(
        ["unit", "period", "numerator", "denominator"],
        [("A", date(2026, 1, 1), 10, 2), ("A", date(2026, 2, 1), 6, 1)],
    )
    year = coarser_own(month, Grain.year, monthly_average=True)
    assert year.columns == ["unit", "period", "month", "numerator", "denominator"]
    assert year.rows == [
        ("A", date(2026, 1, 1), date(2026, 1, 1), 10, 2),
        ("A", date(2026, 1, 1), date(2026, 2, 1), 6, 1),
    ]


@pytest.mark.parametrize("name", ["duckdb_warehouse", "sqlite_warehouse"])
def test_the_coarser_rows_are_the_statements_at_that_grain(request, name):
    warehouse: Warehouse = request.getfixturevalue(name)
    for kpi in warehouse.catalogue.kpis:
        month = read_rows(warehouse.engine, warehouse.cube_query(kpi, Grain.month))
        for grain in (Grain.quarter, Grain.year):
            read = read_rows(warehouse.engine, warehouse.cube_query(kpi, grain))
            averaged = "month" in read.columns
            added = coarser_own(month, grain, monthly_average=averaged)
            assert added.columns == read.columns, kpi.id
            assert sorted(map(repr, added.rows)) == sorted(map(repr, read.rows)) or _close(
                added.rows, read.rows
            ), f"{name} {kpi.id} {grain.value}"


def _close(added: list[tuple], read: list[tuple]) -> bool:
    """The same cells and types, numbers equal but for the order floats were added in."""
    if len(added) != len(read):
        return False
    for a, b in zip(sorted(added, key=repr), sorted(read, key=repr), strict=True):
        for x, y in zip(a, b, strict=True):
            if type(x) is not type(y):
                return False
            if isinstance(x, float) and abs(x - y) <= 1e-9 * max(abs(x), abs(y)):
                continue
            if x != y:
                return False
    return True


def test_a_build_reads_the_own_rows_once_for_three_grains(duckdb_warehouse):
    # A warehouse of its own: none of the month rows another test's cube left.
    warehouse = Warehouse(duckdb_warehouse.engine, duckdb_warehouse.catalogue)
    kpi = warehouse.catalogue.kpi("fuldtidspersoner")
    version = warehouse.data_version()
    own = {
        str(warehouse.cube_query(kpi, g).compile(warehouse.engine)).split("FROM")[0] for g in Grain
    }
    statements: list[str] = []

    def seen(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    sa.event.listen(warehouse.engine, "before_cursor_execute", seen)
    try:
        for grain in Grain:
            warehouse.cube_figures(kpi, grain, version=version)
    finally:
        sa.event.remove(warehouse.engine, "before_cursor_execute", seen)
    heads = [s.split("FROM")[0] for s in statements]
    assert sum(head in own for head in heads) == 1, statements

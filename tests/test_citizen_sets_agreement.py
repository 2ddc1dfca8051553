"""A distinct count for every unit from the citizens' sets of units per period
(queries/compiler/citizen_sets.py, `count_sets` in queries/rollup.py) is the closure's in
the database: the same rows, columns, dtypes and values, for every KPI with a distinct
count, in a cube and the cold target grid, at every grain and on every dialect; and its
statements parse as T-SQL."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
import sqlglot

from queries.catalogue.models import Grain
from queries.compiler.citizen_sets import CLOSURE, SETS
from queries.compiler.lenses import aggregate_select
from queries.compiler.own_figures import rolls_up
from queries.lenses import target_window, trend_window
from queries.warehouse import EARLIEST, LATEST, Warehouse
from tests.test_rollup_agreement import assert_same

DIALECTS = ["duckdb_warehouse", "sqlite_warehouse", "postgres_warehouse", "mariadb_warehouse"]


def distinct_kpis(warehouse: Warehouse):
    return [kpi for kpi in warehouse.catalogue.kpis if not rolls_up(kpi)]


@pytest.mark.parametrize("name", DIALECTS)
@pytest.mark.parametrize("grain", list(Grain))
def test_a_cube_of_a_distinct_count_is_the_closures(request, name, grain):
    warehouse: Warehouse = request.getfixturevalue(name)
    kpis = distinct_kpis(warehouse)
    assert len(kpis) >= 8
    for kpi in kpis:
        label = f"{name} {kpi.id} {grain.value}"
        assert_same(
            warehouse.cube_figures(kpi, grain),
            warehouse.cube_figures(kpi, grain, in_memory=False),
            label,
        )
        assert_same(
            warehouse.cube(kpi.id, grain),
            warehouse.cube(kpi.id, grain, in_memory=False),
            f"{label} (cube)",
        )


@pytest.mark.parametrize("name", DIALECTS)
@pytest.mark.parametrize("grain", list(Grain))
def test_the_cold_target_grid_of_a_distinct_count_is_the_closures(request, name, grain):
    warehouse: Warehouse = request.getfixturevalue(name)
    for kpi in distinct_kpis(warehouse):
        period = warehouse.latest_period(kpi.id, grain)
        start, end = target_window(period, grain)
        rolled = warehouse.rolled_up(kpi, grain, start, end)
        closure = warehouse.frame(warehouse.target_query(kpi, grain, period))
        assert_same(rolled, closure.reindex(columns=rolled.columns), f"{name} {kpi.id} {grain}")


def test_both_kinds_of_rows_are_taken(duckdb_warehouse):
    """The demo has citizens whose set of units the statement names (one unit, or two
    rows) and citizens counted by the closure (three rows or more under two units or
    more in a year), so both routes of `count_sets` are compared above."""
    kinds = set()
    for kpi in distinct_kpis(duckdb_warehouse):
        queries = duckdb_warehouse.citizen_sets_queries(kpi, Grain.year, EARLIEST, LATEST)
        for query in queries.values():
            kinds |= set(duckdb_warehouse.frame(query)["kind"].astype(int))
    assert kinds == {SETS, CLOSURE}


@pytest.mark.parametrize("grain", list(Grain))
def test_the_citizen_sets_statements_parse_as_tsql(duckdb_warehouse, grain):
    from sqlalchemy.dialects import mssql

    for kpi in distinct_kpis(duckdb_warehouse):
        queries = duckdb_warehouse.citizen_sets_queries(kpi, grain, EARLIEST, LATEST)
        assert queries, kpi.id
        for query in queries.values():
            sql = str(
                query.compile(dialect=mssql.dialect(), compile_kwargs={"render_postcompile": True})
            )
            tree = sqlglot.parse_one(sql, read="tsql")
            assert "RECURSIVE" not in sql.upper() and "UNION ALL" in sql.upper(), kpi.id
            assert tree.find(sqlglot.exp.CTE) is not None, kpi.id


@pytest.mark.parametrize("name", DIALECTS)
@pytest.mark.parametrize("grain", list(Grain))
def test_the_trend_of_a_distinct_count_scans_per_unit_as_the_closure_counts(request, name, grain):
    """A trend of a distinct count reads each unit's rows by `org IN (its descendants)`,
    one scan per unit; the frame is the closure's."""
    warehouse: Warehouse = request.getfixturevalue(name)
    compared = 0
    for kpi in distinct_kpis(warehouse):
        last = warehouse.latest_period(kpi.id, grain)
        for unit in ("JSY", "JSY-01-01", warehouse.org.root):
            query = warehouse.trend_query(kpi, unit, grain, last, 12)
            assert "ancestor" not in str(query), kpi.id
            _, start, end = trend_window(last, grain, 12)
            parent = warehouse.org.parent(unit)
            closure = aggregate_select(
                warehouse.catalogue,
                kpi,
                units=[unit] + ([parent] if parent else []),
                start=start,
                end=end,
                grain=grain,
                sql_dir=warehouse.sql_dir,
                org=warehouse.org,
                citizens=False,
            )
            label = f"{name} {kpi.id} {unit} {grain.value}"
            scanned, joined = warehouse._aggregate(query), warehouse._aggregate(closure)
            if joined.empty:  # a team without rows of the KPI
                assert scanned.empty, label
                continue
            assert_same(scanned, joined, label)
            compared += 1
    assert compared >= 2 * len(distinct_kpis(warehouse))


def test_a_cube_that_counts_its_citizens_gives_the_decision_its_counts(duckdb_warehouse):
    """A KPI whose figure is its citizens' distinct count has them exact in every cell of
    its cubes: the decision taken after the cubes asks the warehouse for no count, and
    hides what a warehouse that counts them itself hides."""
    kpi_id = "borgere_sygedagpenge"
    built = Warehouse(duckdb_warehouse.engine, duckdb_warehouse.catalogue)
    for grain in Grain:
        built.cube(kpi_id, grain)
    statements: list[str] = []

    def seen(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    sa.event.listen(built.engine, "before_cursor_execute", seen)
    try:
        decision = built.suppression(kpi_id)
    finally:
        sa.event.remove(built.engine, "before_cursor_execute", seen)
    assert not [s for s in statements if "count(DISTINCT" in s or "COUNT(DISTINCT" in s]
    counted = Warehouse(duckdb_warehouse.engine, duckdb_warehouse.catalogue).suppression(kpi_id)
    assert decision.primary and decision.hidden == counted.hidden
    assert decision.primary == counted.primary

"""SQL Server cannot run here, so every lens query of every KPI is compiled for the
mssql dialect and parsed as T-SQL (sqlglot). This is the one place we stand in for
the real server; the same queries run for real on DuckDB, SQLite, PostgreSQL and MariaDB."""

from __future__ import annotations

import pytest
import sqlglot
from sqlglot import exp

from queries.catalogue.models import Grain
from queries.explain import dialect_named, lens_query, render
from queries.scope import Scope

MSSQL = dialect_named("mssql")


def _kpis(catalogue):
    return [k.id for k in catalogue.kpis]


@pytest.fixture(scope="module")
def cases(duckdb_warehouse):
    warehouse = duckdb_warehouse
    team = next(u for u, depth in warehouse.org.walk() if depth == 3)
    return warehouse, team


@pytest.mark.parametrize("grain", list(Grain))
@pytest.mark.parametrize("lens", ["trend", "benchmark", "list", "target"])
def test_every_lens_of_every_kpi_parses_as_tsql(cases, lens, grain):
    warehouse, team = cases
    for kpi in warehouse.catalogue.kpis:
        if lens == "list" and kpi.list is None:
            continue
        period = warehouse.latest_period(kpi.id, grain)
        query = lens_query(warehouse, kpi.id, lens, team, period, grain, Scope.of("BFF", "JSY"))
        sql = str(query.compile(dialect=MSSQL, compile_kwargs={"render_postcompile": True}))
        tree = sqlglot.parse_one(sql, read="tsql")
        assert isinstance(tree, exp.Select | exp.Union), kpi.id
        assert "RECURSIVE" not in sql.upper(), "T-SQL writes a recursive CTE without RECURSIVE"
        if lens == "list":
            assert "OFFSET" in sql and "FETCH FIRST" in sql, (
                f"{kpi.id}: list must page with OFFSET/FETCH"
            )
            assert "LIMIT" not in sql.upper()


@pytest.mark.parametrize("grain", list(Grain))
def test_the_alle_teams_benchmark_parses_as_tsql(cases, grain):
    """ "Alle teams" of a driftsområde: every team at any depth, in one query."""
    warehouse, _ = cases
    for kpi in warehouse.catalogue.kpis:
        period = warehouse.latest_period(kpi.id, grain)
        query = warehouse.benchmark_query(kpi, "JSY", grain, period, False, teams=True)
        sql = str(query.compile(dialect=MSSQL, compile_kwargs={"render_postcompile": True}))
        tree = sqlglot.parse_one(sql, read="tsql")
        assert isinstance(tree, exp.Select | exp.Union), kpi.id
        assert "RECURSIVE" not in sql.upper(), kpi.id
        # The units asked are written into the statement with their descendants (the
        # closure from the tree in memory), not bound one parameter each: SQL Server
        # takes at most 2,100 parameters in a statement.
        assert all(f"'{u}'" in sql for u in ("JSY", "JSY-01-01", "JSY-03-04")), kpi.id
        assert len(query.compile(dialect=MSSQL).params) < 10, kpi.id


def test_period_bucketing_is_tsql_date_functions(cases):
    warehouse, team = cases
    kpi = warehouse.catalogue.kpi("sagsbehandlingstid")
    for grain, needle in [
        (Grain.month, "DATEFROMPARTS(YEAR("),
        (Grain.quarter, "DATEPART(quarter"),
        (Grain.year, ", 1, 1)"),
    ]:
        sql = render(
            lens_query(warehouse, kpi.id, "trend", team, warehouse.latest_period(kpi.id), grain),
            MSSQL,
        )
        assert needle in sql, grain


def test_values_are_bound_parameters_not_text(cases):
    warehouse, _ = cases
    hostile = "BFF'; DROP TABLE dim_org; --"
    kpi = warehouse.catalogue.kpi("anbragte_boern")
    query = warehouse.list_query(
        kpi, hostile, Grain.month, warehouse.latest_period(kpi.id), Scope.of(hostile)
    ).rows
    compiled = query.compile(dialect=MSSQL)
    assert "DROP TABLE" not in str(compiled)
    # A unit reaches the statement only as the ids of the org tree below it (read from
    # the warehouse); one the tree does not know selects nothing and is not written.
    assert hostile not in str(compiled) and hostile not in compiled.params.values()
    team = "JSY-01-01"
    known = warehouse.list_query(
        kpi, team, Grain.month, warehouse.latest_period(kpi.id), Scope.of(team)
    ).rows.compile(dialect=MSSQL, compile_kwargs={"render_postcompile": True})
    assert f"'{team}'" in str(known)


def test_grain_is_part_of_the_statement_cache_key(duckdb_warehouse):
    """SQLAlchemy caches compiled SQL by structure; the grain must change the key."""
    import sqlalchemy as sa

    from queries.compiler.periods import period_start

    month = sa.select(period_start(sa.column("d"), Grain.month))
    quarter = sa.select(period_start(sa.column("d"), Grain.quarter))
    assert month._generate_cache_key() != quarter._generate_cache_key()


@pytest.mark.parametrize("grain", list(Grain))
def test_every_cube_statement_parses_as_tsql(cases, grain):
    """A cube's statement: the figure per own unit and period for a KPI whose parts add
    up (rolled up in memory), else the closure's; both parse as T-SQL."""
    warehouse, _ = cases
    own = 0
    for kpi in warehouse.catalogue.kpis:
        for query in {warehouse.cube_query(kpi, grain), warehouse.closure_cube_query(kpi, grain)}:
            sql = str(query.compile(dialect=MSSQL, compile_kwargs={"render_postcompile": True}))
            tree = sqlglot.parse_one(sql, read="tsql")
            assert isinstance(tree, exp.Select), kpi.id
            assert "RECURSIVE" not in sql.upper(), kpi.id
        if "ancestor" not in render(warehouse.cube_query(kpi, grain), MSSQL):
            own += 1
            assert "GROUP BY src.org_id" in render(warehouse.cube_query(kpi, grain), MSSQL)
    assert own >= 10

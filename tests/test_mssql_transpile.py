"""SQL Server, one step closer: every lens query compiled for mssql, run on real rows.

SQL Server cannot run here. Parsing the T-SQL (test_mssql.py) proves its syntax only;
here each query compiled for mssql (values written in) is translated from T-SQL to
DuckDB by sqlglot, run on the DuckDB demo and compared with the same query compiled for
DuckDB. That checks T-SQL period bucketing (DATEFROMPARTS/DATEPART), OFFSET/FETCH paging,
NULL ordering and the roll-ups on real rows. It is still a stand-in: sqlglot's
translation, not SQL Server, runs the query.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import sqlglot
from sqlalchemy.sql import Select

from queries.catalogue.models import Grain
from queries.explain import dialect_named
from queries.scope import Scope
from queries.warehouse import Warehouse
from tests.oracle import mask

MSSQL = dialect_named("mssql")
DUCKDB = dialect_named("duckdb")
LENSES = ["trend", "benchmark", "teams", "target", "list", "list_total", "cube"]


def tsql_on_duckdb(query: Select) -> str:
    """The query as SQL Server would receive it, translated for DuckDB to run."""
    tsql = str(query.compile(dialect=MSSQL, compile_kwargs={"literal_binds": True}))
    [translated] = sqlglot.transpile(tsql, read="tsql", write="duckdb")
    # The org closure is written into the statement from the tree in memory: no
    # recursive CTE for SQL Server to plan without statistics.
    assert not translated.startswith("WITH "), translated[:200]
    return translated


def run(warehouse: Warehouse, sql: str) -> pd.DataFrame:
    with warehouse.engine.connect() as connection:
        result = connection.exec_driver_sql(sql)
        return pd.DataFrame(result.fetchall(), columns=list(result.keys()))


def comparable(frame: pd.DataFrame, keep_order: bool) -> pd.DataFrame:
    """Values as text-free comparable columns; aggregate rows in a stable order."""
    frame = frame.copy()
    for column in frame.columns:
        if frame[column].dropna().map(type).eq(str).all() and frame[column].notna().any():
            continue
        converted = pd.to_numeric(frame[column], errors="coerce")
        if converted.notna().sum() == frame[column].notna().sum():
            frame[column] = converted.astype(float)
        else:
            frame[column] = pd.to_datetime(frame[column], errors="coerce").astype("datetime64[ns]")
    if not keep_order:
        frame = frame.sort_values(list(frame.columns)).reset_index(drop=True)
    return frame


def lens_select(warehouse: Warehouse, kpi_id: str, lens: str, unit: str, grain: Grain) -> Select:
    kpi = warehouse.catalogue.kpi(kpi_id)
    period = warehouse.latest_period(kpi_id, grain)
    if lens == "trend":
        return warehouse.trend_query(kpi, unit, grain, period, 24)
    if lens == "benchmark":
        return warehouse.benchmark_query(kpi, unit, grain, period, siblings=False)
    if lens == "teams":  # "Alle teams": every team under the unit
        return warehouse.benchmark_query(kpi, unit, grain, period, siblings=False, teams=True)
    if lens == "target":
        return warehouse.target_query(kpi, grain, period)
    if lens == "cube":
        return warehouse.cube_query(kpi, grain)
    # The second page, sorted by the first sortable column descending: paging and NULLs.
    first = warehouse.list_query(kpi, unit, grain, period, Scope.of(unit)).columns
    sortable = [key for key in first if key != warehouse.cpr_key()]
    query = warehouse.list_query(
        kpi, unit, grain, period, Scope.of(unit), sort=[(sortable[0], True)], offset=2, limit=9
    )
    return query.total if lens == "list_total" else query.rows


def units_of(warehouse: Warehouse, frames: dict[str, pd.DataFrame], kpi_id: str) -> list[str]:
    """The busiest team of the KPI's rows in its latest month, and its driftsområde."""
    kpi = warehouse.catalogue.kpi(kpi_id)
    rows = frames[kpi.source][mask(frames[kpi.source], kpi.filters)]
    stamps = pd.to_datetime(rows[kpi.time.column])
    latest = rows[stamps >= pd.Timestamp(warehouse.latest_period(kpi_id, Grain.month))]
    team = str(latest[kpi.org].mode().iloc[0])
    return [warehouse.org.ancestors(team)[-2], team]


@pytest.mark.parametrize("grain", list(Grain))
@pytest.mark.parametrize("lens", LENSES)
def test_tsql_gives_the_same_rows_as_duckdb(duckdb_warehouse, frames, lens, grain):
    warehouse = duckdb_warehouse
    compared = 0
    for kpi in warehouse.catalogue.kpis:
        if lens.startswith("list") and kpi.list is None:
            continue
        units = units_of(warehouse, frames, kpi.id)
        for unit in (
            units if lens in ("trend", "benchmark", "teams", "list", "list_total") else units[:1]
        ):
            query = lens_select(warehouse, kpi.id, lens, unit, grain)
            native = str(query.compile(dialect=DUCKDB, compile_kwargs={"literal_binds": True}))
            want = comparable(run(warehouse, native), keep_order=lens == "list")
            got = comparable(run(warehouse, tsql_on_duckdb(query)), keep_order=lens == "list")
            assert len(want) > 0, (kpi.id, lens, unit, grain)
            assert list(got.columns) == list(want.columns), (kpi.id, lens)
            pd.testing.assert_frame_equal(
                got, want, check_dtype=False, rtol=1e-9, obj=f"{kpi.id} {lens} {unit} {grain}"
            )
            compared += 1
    assert compared >= 10


def test_tsql_period_buckets_are_period_starts(duckdb_warehouse, frames):
    """DATEFROMPARTS/DATEPART bucketing gives the first day of month, quarter and year."""
    kpi = duckdb_warehouse.catalogue.kpi("sagsbehandlingstid")
    units = units_of(duckdb_warehouse, frames, kpi.id)
    for grain in Grain:
        query = lens_select(duckdb_warehouse, kpi.id, "trend", units[0], grain)
        periods = pd.to_datetime(run(duckdb_warehouse, tsql_on_duckdb(query))["period"])
        assert (periods.dt.day == 1).all()
        assert ((periods.dt.month - 1) % grain.months == 0).all()
        assert periods.nunique() > 1
        assert np.all(np.diff(np.sort(periods.unique())) > np.timedelta64(0))

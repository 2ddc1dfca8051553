"""The figures a cube and the cold target grid add up the org tree in memory
(queries/rollup.py) are the closure's in the database: the same rows, columns, dtypes
and values, for every KPI whose parts add up, at every grain and on every dialect."""

from __future__ import annotations

import pandas as pd
import pytest

from queries.catalogue.models import Grain
from queries.compiler.own_figures import rolls_up
from queries.lenses import target_window
from queries.warehouse import Warehouse

DIALECTS = ["duckdb_warehouse", "sqlite_warehouse", "postgres_warehouse", "mariadb_warehouse"]


def sorted_rows(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sort_values(["unit", "period"], kind="stable").reset_index(drop=True)


def assert_same(rolled: pd.DataFrame, closure: pd.DataFrame, label: str) -> None:
    assert len(rolled) > 0, label
    assert list(rolled.columns) == list(closure.columns), label
    assert dict(rolled.dtypes) == dict(closure.dtypes), label
    pd.testing.assert_frame_equal(
        sorted_rows(rolled), sorted_rows(closure), check_exact=False, rtol=1e-9, obj=label
    )


def test_which_kpis_roll_up(catalogue):
    """Counts, sums, averages and ratios of them roll up; a distinct count never does."""
    rolling = {k.id for k in catalogue.kpis if rolls_up(k)}
    assert {"fuldtidspersoner", "jobafklaring_varighed", "sygefravaer"} <= rolling
    assert {"underretninger_antal", "sager_inden_for_frist"} <= rolling
    assert not rolling & {"borgere_sygedagpenge", "udgift_pr_borger", "familiepleje_andel"}


@pytest.mark.parametrize("name", DIALECTS)
@pytest.mark.parametrize("grain", list(Grain))
def test_a_cube_rolled_up_in_memory_is_the_closures(request, name, grain):
    warehouse: Warehouse = request.getfixturevalue(name)
    compared = 0
    for kpi in warehouse.catalogue.kpis:
        if not rolls_up(kpi):
            continue
        label = f"{name} {kpi.id} {grain.value}"
        rolled = warehouse.cube_figures(kpi, grain)
        closure = warehouse.cube_figures(kpi, grain, in_memory=False)
        assert_same(rolled, closure, label)
        assert_same(
            warehouse.cube(kpi.id, grain),
            warehouse.cube(kpi.id, grain, in_memory=False),
            f"{label} (cube)",
        )
        compared += 1
    assert compared >= 10


@pytest.mark.parametrize("name", DIALECTS)
@pytest.mark.parametrize("grain", list(Grain))
def test_the_cold_target_grid_rolled_up_is_the_closures(request, name, grain):
    warehouse: Warehouse = request.getfixturevalue(name)
    for kpi in warehouse.catalogue.kpis:
        if not rolls_up(kpi):
            continue
        period = warehouse.latest_period(kpi.id, grain)
        start, end = target_window(period, grain)
        rolled = warehouse.rolled_up(kpi, grain, start, end)
        closure = warehouse.frame(warehouse.target_query(kpi, grain, period))
        assert_same(rolled, closure.reindex(columns=rolled.columns), f"{name} {kpi.id} {grain}")
        stamps = set(pd.to_datetime(rolled["period"]))
        assert stamps <= {pd.Timestamp(start), pd.Timestamp(period)}, (kpi.id, stamps)


@pytest.mark.parametrize("name", ["duckdb_warehouse", "postgres_warehouse"])
def test_one_statement_serves_every_window_of_the_target_grid(request, name):
    """The own-unit statement is made once per KPI and grain and its period bound at
    execution: a grid asked for one period, then another, then the first again, is each
    time the closure's for the period asked."""
    warehouse: Warehouse = request.getfixturevalue(name)
    grain = Grain.month
    for kpi in [k for k in warehouse.catalogue.kpis if rolls_up(k)][:6]:
        latest = warehouse.latest_period(kpi.id, grain)
        earlier = (pd.Timestamp(latest) - pd.DateOffset(months=7)).date()
        for period in (latest, earlier, latest):
            start, end = target_window(period, grain)
            rolled = warehouse.rolled_up(kpi, grain, start, end)
            closure = warehouse.frame(warehouse.target_query(kpi, grain, period))
            label = f"{name} {kpi.id} {period}"
            assert_same(rolled, closure.reindex(columns=rolled.columns), label)
            assert set(pd.to_datetime(rolled["period"])) == {
                pd.Timestamp(start),
                pd.Timestamp(period),
            }, label
        assert len(warehouse._own_statements) >= 1


@pytest.mark.parametrize("name", DIALECTS)
@pytest.mark.parametrize("grain", list(Grain))
def test_the_cold_trend_rolled_up_is_the_closures(request, name, grain):
    """A trend of a KPI whose parts add up is one grouping scan added up in memory for
    the unit and its parent only; the frame is the closure's for those two units."""
    warehouse: Warehouse = request.getfixturevalue(name)
    compared = 0
    for kpi in [k for k in warehouse.catalogue.kpis if rolls_up(k)]:
        last = warehouse.latest_period(kpi.id, grain)
        for unit in ("JSY", "JSY-01-01", warehouse.org.root):
            rolled = warehouse.trend_frame(kpi, unit, grain, last, 12)
            closure = warehouse._aggregate(warehouse.trend_query(kpi, unit, grain, last, 12))
            label = f"{name} {kpi.id} {unit} {grain.value}"
            if closure.empty:  # a team without rows of the KPI
                assert rolled.empty, label
                continue
            assert set(rolled["unit"]) <= {unit, warehouse.org.parent(unit)}, label
            assert_same(rolled, closure, label)
            compared += 1
    assert compared >= 20

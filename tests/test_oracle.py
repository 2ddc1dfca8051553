"""Every KPI, every aggregate lens, units at every level, every grain, every dialect:
the compiler's answer equals pandas over the raw rows."""

from __future__ import annotations

import math
from collections import Counter
from functools import cache

import pandas as pd
import pytest

from queries.catalogue.loader import load_catalogue
from queries.catalogue.models import Grain
from queries.compiler.periods import next_period, periods_back
from tests import oracle
from tests.conftest import CATALOGUE, DIALECT_FIXTURES

KPIS = [kpi.id for kpi in load_catalogue(CATALOGUE).kpis]
COMPARISONS: Counter[str] = Counter()


def same(actual: float | None, wanted: float | None) -> bool:
    actual = math.nan if actual is None else float(actual)
    wanted = math.nan if wanted is None else float(wanted)
    if math.isnan(actual) or math.isnan(wanted):
        return math.isnan(actual) and math.isnan(wanted)
    return math.isclose(actual, wanted, rel_tol=1e-9, abs_tol=1e-9)


def sample_units(warehouse) -> list[str]:
    """Up to three units at each level of the tree, spread across it."""
    by_depth: dict[int, list[str]] = {}
    for unit, depth in warehouse.org.walk():
        by_depth.setdefault(depth, []).append(unit)
    picked = []
    for units in by_depth.values():
        step = max(1, len(units) // 3)
        picked += units[::step][:3]
    return picked


@pytest.fixture(scope="module")
def answers(frames, catalogue):
    @cache
    def compute(kpi_id: str, grain: Grain):
        return oracle.everything(frames, catalogue.kpi(kpi_id), grain)

    return compute


@pytest.fixture(scope="module")
def decisions(frames, catalogue, answers):
    """Each KPI's suppression decision, taken over the oracle's cubes (not the warehouse's)."""
    return cache(
        lambda kpi_id: oracle.decision(
            frames, catalogue.kpi(kpi_id), lambda _f, kpi, grain: answers(kpi.id, grain)
        )
    )


# Each lens runs its own query ("sql"), or is cut from the KPI's cube of every unit and
# period ("cube", what the app serves once the cube is cached); both must be right.
ROUTES = [(d, "sql") for d in DIALECT_FIXTURES] + [
    ("duckdb_warehouse", "cube"),
    ("sqlite_warehouse", "cube"),
]


@pytest.mark.parametrize("grain", list(Grain))
@pytest.mark.parametrize("kpi_id", KPIS)
@pytest.mark.parametrize(("dialect", "via"), ROUTES)
def test_lenses_match_pandas(request, dialect, via, kpi_id, grain, answers, decisions):
    warehouse = request.getfixturevalue(dialect)
    expected = answers(kpi_id, grain)
    cube = warehouse.cube(kpi_id, grain) if via == "cube" else None

    def figure(unit: str, period) -> tuple[float, int | None]:
        return expected.get((unit, pd.Timestamp(period)), (math.nan, None))

    hidden = decisions(kpi_id)
    # one decision, whichever database and route: the same cells as pandas decides
    assert warehouse.suppression(kpi_id).hidden == hidden.hidden

    def want(unit: str, period) -> float:
        return math.nan if hidden.hides(grain, unit, period) else figure(unit, period)[0]

    latest = warehouse.latest_period(kpi_id, grain)
    assert latest is not None
    problems: list[str] = []

    def check(what: str, actual, wanted) -> None:
        COMPARISONS[f"{dialect} via {via}"] += 1
        if not same(actual, wanted):
            problems.append(f"{what}: got {actual}, expected {wanted}")

    for unit in sample_units(warehouse):
        trend = warehouse.trend(kpi_id, unit, grain, latest, periods=6, cube=cube)
        parent = warehouse.org.parent(unit)
        assert list(trend.frame["period"].dt.date) == periods_back(latest, grain, 6)
        for row in trend.frame.itertuples():
            check(f"trend {unit} {row.period:%Y-%m}", row.value, want(unit, row.period))
            last_year = row.period - pd.DateOffset(years=1)
            check(
                f"trend last year {unit} {row.period:%Y-%m}", row.last_year, want(unit, last_year)
            )
            if parent:
                check(
                    f"trend parent {parent} {row.period:%Y-%m}",
                    row.parent,
                    want(parent, row.period),
                )

        bench = warehouse.benchmark(kpi_id, unit, grain, latest, cube=cube)
        check(f"benchmark reference {bench.parent}", bench.parent_value, want(bench.parent, latest))
        for row in bench.frame.itertuples():
            check(f"benchmark {row.unit_id}", row.value, want(row.unit_id, latest))

    targets = warehouse.targets(kpi_id, grain, latest, cube=cube)
    previous = next_period(latest, grain, -1)
    assert len(targets.frame) == len(warehouse.org.units)
    for row in targets.frame.itertuples():
        check(f"target {row.unit_id}", row.value, want(row.unit_id, latest))
        check(f"target previous {row.unit_id}", row.previous, want(row.unit_id, previous))

    assert not problems, f"{len(problems)} mismatches, e.g.:\n" + "\n".join(problems[:10])

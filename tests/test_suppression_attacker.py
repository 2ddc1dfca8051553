"""Playing the attacker on the demo: gather every figure the views show, subtract, and
compare what comes out with the true hidden figures computed by pandas.

For every KPI with suppression and every grain and period, the trend (with last year and
the parent line, and the card's 13 periods), the benchmark in all three modes (with the
citizen count in its hover) and the target grid (with previous and movement, so previous
= value − movement) are read through the real Services and Warehouse. The attacker then
subtracts along the tree and along time (tests/attacker.py). With the one decision per
KPI nothing comes out; with the old per-view rule, hidden figures do.
"""

from __future__ import annotations

import math
from collections import Counter

import pandas as pd
import pytest
from flask import Flask
from flask_caching import Cache

from components.services import Services
from queries.catalogue.models import Grain
from tests import oracle
from tests.attacker import Seen, derive, leaks, relations

BENCHMARK_PERIODS = 3
OLD_RULE_KPIS = ("underretninger_antal", "udgift_anbringelse", "borgere_kontanthjaelp")


class PerViewRule:
    """The old behaviour: each view hides small figures and one more sibling on its own."""

    def __init__(self, warehouse) -> None:
        self.warehouse = warehouse

    def _extra(self, kpi_id: str, grain: Grain) -> dict:
        return {
            "cube": self.warehouse.cube(kpi_id, grain),
            "decision": self.warehouse.suppression(kpi_id, cross_view=False),
        }

    def trend(self, kpi_id, unit, grain, last, periods=24):
        return self.warehouse.trend(
            kpi_id, unit, grain, last, periods, **self._extra(kpi_id, grain)
        )

    def benchmark(self, kpi_id, unit, grain, period, siblings=False, teams=False):
        return self.warehouse.benchmark(
            kpi_id, unit, grain, period, siblings, teams=teams, **self._extra(kpi_id, grain)
        )

    def targets(self, kpi_id, grain, period):
        return self.warehouse.targets(kpi_id, grain, period, **self._extra(kpi_id, grain))


def periods_with_data(truth: dict, grain: Grain) -> list[pd.Timestamp]:
    return sorted({period for (g, _, period) in truth if g == grain.value})


def sample_units(org) -> list[str]:
    """Up to three units at each level of the tree, spread across it."""
    by_depth: dict[int, list[str]] = {}
    for unit, depth in org.walk():
        by_depth.setdefault(depth, []).append(unit)
    return [u for units in by_depth.values() for u in units[:: max(1, len(units) // 3)][:3]]


def gather(views, warehouse, kpi, grain: Grain, periods: list[pd.Timestamp]) -> tuple[Seen, Seen]:
    """(values, citizen counts) as the views show them.

    The target grid for every period (every unit, with previous and movement); the trend
    and card of units at every level (with last year and the parent line); the benchmark
    of the same units in all three modes for the newest periods (reading every period would
    take minutes on the test machine; the grid already shows every cell)."""
    g, org = grain.value, warehouse.org
    values, counts = Seen(), Seen()
    latest = periods[-1].date()
    units = sample_units(org)
    for index, period in enumerate(periods):
        grid = views.targets(kpi.id, grain, period.date()).frame
        for row in grid.itertuples():
            values.show((g, row.unit_id, period), row.value, row.suppressed)
            if index:
                values.show((g, row.unit_id, periods[index - 1]), row.previous)
                values.show((g, row.unit_id, periods[index - 1]), row.value - row.movement)
    for period in periods[-BENCHMARK_PERIODS:]:
        for unit in units:
            for mode in ({}, {"siblings": True}, {"teams": True}):  # "Alle teams" too
                bench = views.benchmark(kpi.id, unit, grain, period.date(), **mode)
                values.show((g, bench.parent, period), bench.parent_value)
                for row in bench.frame.itertuples():
                    values.show((g, row.unit_id, period), row.value, row.suppressed)
                    counts.show((g, row.unit_id, period), row.n, row.suppressed)
    for unit in units:
        parent = org.parent(unit)
        # the trend lens, and the card (13 periods at the KPI's own grain)
        for window in (len(periods), 13) if grain is kpi.time.grain else (len(periods),):
            trend = views.trend(kpi.id, unit, grain, latest, periods=window).frame
            for row in trend.itertuples():
                stamp = pd.Timestamp(row.period)
                values.show((g, unit, stamp), row.value, row.suppressed)
                values.show((g, unit, stamp - pd.DateOffset(years=1)), row.last_year)
                if parent:
                    values.show((g, parent, stamp), row.parent)
    return values, counts


def attack(views, warehouse, frames, kpis) -> Counter:
    tally: Counter = Counter()
    parent_of = {u: warehouse.org.parent(u) for u in warehouse.org.units}
    for kpi in kpis:
        truth_value, truth_n, values, counts = {}, {}, Seen(), Seen()
        for grain in Grain:
            for (unit, period), (value, n) in oracle.everything(frames, kpi, grain).items():
                truth_value[(grain.value, unit, period)] = value
                truth_n[(grain.value, unit, period)] = math.nan if n is None else float(n)
            seen_values, seen_counts = gather(
                views, warehouse, kpi, grain, periods_with_data(truth_value, grain)
            )
            values.known |= seen_values.known
            values.hidden |= seen_values.hidden
            counts.known |= seen_counts.known
            counts.hidden |= seen_counts.hidden
        hidden = values.hidden - set(values.known)
        tally["contradictions"] += len(values.contradictions)
        tally["hidden"] += len(hidden)
        cells = set(values.known) | values.hidden
        groups = relations(cells, parent_of)
        found = derive(values.known, hidden, groups)
        tally["derived values"] += len(leaks(found, truth_value))
        # the citizen count of a cell not shown with its count, from the counts that are
        found_n = derive(counts.known, cells - set(counts.known), groups)
        tally["derived counts"] += len(
            leaks({c: v for c, v in found_n.items() if c in hidden}, truth_n)
        )
        tally["tried"] += len(hidden)
    return tally


@pytest.fixture(scope="module")
def kpis(duckdb_warehouse):
    return [k for k in duckdb_warehouse.catalogue.kpis if k.min_n and k.citizen]


def test_no_view_or_subtraction_reveals_a_hidden_figure(duckdb_warehouse, frames, kpis):
    services = Services(
        duckdb_warehouse, Cache(Flask(__name__), config={"CACHE_TYPE": "SimpleCache"})
    )
    tally = attack(services, duckdb_warehouse, frames, kpis)
    print(f"\none decision per KPI: {dict(tally)}")
    assert tally["tried"] > 1000  # the demo has hidden figures worth attacking
    assert tally["contradictions"] == 0
    assert tally["derived values"] == 0 and tally["derived counts"] == 0


def test_the_per_view_rule_leaks_what_the_one_decision_keeps(duckdb_warehouse, frames, kpis):
    """The same attack with the old rule: a count, a sum and a distinct count suffice."""
    chosen = [k for k in kpis if k.id in OLD_RULE_KPIS]
    assert len(chosen) == len(OLD_RULE_KPIS)
    tally = attack(PerViewRule(duckdb_warehouse), duckdb_warehouse, frames, chosen)
    print(f"\nper-view rule: {dict(tally)}")
    assert tally["derived values"] + tally["derived counts"] > 0

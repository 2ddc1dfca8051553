"""Cold lens queries beside bare SQL: trend, benchmark and target of every KPI, and its
cubes, as the compiler wrote them before (recursive closure, distinct citizens in every
aggregate) and as it writes them now (the closure from the tree in memory, citizens
counted only where suppression needs them), in one run.

    .venv/bin/python bench/cold_lenses.py --warehouse duckdb:////tmp/demo_2m.duckdb
    .venv/bin/python bench/cold_lenses.py --warehouse postgresql+psycopg://…/db --cubes

*bare* is the least SQL that gives the same figures: the measure alone over the rows of
each unit asked (`org IN (its descendants)`, one scan per unit, UNION ALL) for trend and
benchmark; for target and cube, the measure grouped by each row's own unit and period
(no roll-up at all: for a sum that is the sum alone, a floor for the rest). Medians of
`--repeat` runs of the statement (executed and fetched), in ms; the machine is small and
shared, so read the ratios.

*closure* is the previous route: the closure from the tree in memory joined in the
database, every row aggregated once per ancestor. *after* is the route taken now: the
same, except that every target grid and cube is aggregated per own unit and added up
the tree in memory (queries/rollup.py; a cube's distinct count from each citizen's set of
units per period, queries/compiler/citizen_sets.py; a distinct count's target grid keeps
the closure unless `--sets`), and a distinct count's trend scans each unit's rows by
`org IN (its descendants)`; for the benchmark *after* is *closure*. `--cubes
--no-lenses` times the cubes alone; `--before` adds the recursive closure there.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import date
from functools import partial
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from queries.catalogue.loader import load_catalogue
from queries.catalogue.models import Grain, Kpi
from queries.compiler.lenses import aggregate_select, descendants_of
from queries.compiler.measures import conjunction, measure_columns
from queries.compiler.own_figures import rolls_up
from queries.compiler.periods import period_bounds, period_start
from queries.compiler.relations import source_relation
from queries.engine import create_warehouse_engine
from queries.lenses import target_window, trend_window
from queries.settings import ROOT
from queries.warehouse import EARLIEST, LATEST, Warehouse

UNIT = "JSY"


def median_ms(engine: sa.Engine, query, repeat: int) -> float:
    return interleaved_ms(engine, [query], repeat)[0]


def interleaved_ms(engine: sa.Engine, queries: list, repeat: int) -> list[float]:
    """Medians for several statements (or callables) run in turn, round after round, so
    that a busy moment of a shared machine falls on all of them alike."""
    times: list[list[float]] = [[] for _ in queries]
    for _ in range(repeat):
        for index, query in enumerate(queries):
            started = time.perf_counter()
            if callable(query):
                query()
            else:
                with engine.connect() as connection:
                    connection.execute(query).fetchall()
            times[index].append((time.perf_counter() - started) * 1000)
    return [statistics.median(found) for found in times]


def timed_ms(action, clock=time.perf_counter) -> float:
    started = clock()
    action()
    return (clock() - started) * 1000


def bare_per_unit(
    warehouse: Warehouse, kpi: Kpi, units: list[str], start: date, end: date, grain: Grain
):
    """The figure for each unit over its descendants' rows, with no closure join."""
    parts = []
    for unit in units:
        src = source_relation(kpi, warehouse.sql_dir)
        cols = measure_columns(kpi, src, citizens=False)
        time_col = src.c[kpi.time.column]
        bucket = period_start(time_col, grain)
        where = [
            time_col >= start,
            time_col < end,
            src.c[kpi.org].in_(descendants_of(warehouse.org, [unit])),
        ]
        if (kpi_filter := conjunction(src, kpi.filters)) is not None:
            where.append(kpi_filter)
        parts.append(
            sa.select(
                sa.literal(unit).label("unit"),
                bucket.label("period"),
                cols.numerator.label("numerator"),
                (cols.denominator if cols.denominator is not None else sa.null()).label("d"),
            )
            .where(*where)
            .group_by(bucket)
        )
    return sa.union_all(*parts)


def bare_by_own_unit(warehouse: Warehouse, kpi: Kpi, start: date, end: date, grain: Grain):
    """The figure per (own unit, period): one scan, no roll-up."""
    src = source_relation(kpi, warehouse.sql_dir)
    cols = measure_columns(kpi, src, citizens=False)
    time_col = src.c[kpi.time.column]
    bucket = period_start(time_col, grain)
    where = [time_col >= start, time_col < end]
    if (kpi_filter := conjunction(src, kpi.filters)) is not None:
        where.append(kpi_filter)
    return (
        sa.select(
            src.c[kpi.org],
            bucket,
            cols.numerator,
            cols.denominator if cols.denominator is not None else sa.null(),
        )
        .where(*where)
        .group_by(src.c[kpi.org], bucket)
    )


def lens_windows(warehouse: Warehouse, kpi: Kpi, grain: Grain):
    """{lens: (units or None, start, end, by_period)} of the KPI page for UNIT."""
    latest = warehouse.latest_period(kpi.id, grain)
    _, t_start, t_end = trend_window(latest, grain, 24)
    parent = warehouse.org.parent(UNIT)
    reference, members = warehouse.benchmark_members(UNIT, False)
    b_start, b_end = period_bounds(latest, grain)
    g_start, g_end = target_window(latest, grain)
    return {
        "trend": ([UNIT] + ([parent] if parent else []), t_start, t_end, True),
        "benchmark": ([reference, *members], b_start, b_end, False),
        "target": (None, g_start, g_end, True),
    }


def latest_of(warehouse: Warehouse, kpi: Kpi, grain: Grain) -> date:
    return warehouse.latest_period(kpi.id, grain)


def measure_kpi(
    warehouse: Warehouse, kpi: Kpi, grain: Grain, repeat: int, lenses: list[str], sets: bool
) -> list[tuple]:
    rows = []
    engine = warehouse.engine
    for lens, (units, start, end, by_period) in lens_windows(warehouse, kpi, grain).items():
        if lens not in lenses:
            continue
        common = dict(
            units=units, start=start, end=end, grain=grain, by_period=by_period,
            sql_dir=warehouse.sql_dir,
        )  # fmt: skip
        before = aggregate_select(warehouse.catalogue, kpi, **common)
        closure = aggregate_select(
            warehouse.catalogue, kpi, **common, org=warehouse.org, citizens=False
        )
        after = closure
        if units is None:
            bare = bare_by_own_unit(warehouse, kpi, start, end, grain)
            # The target grid adds its own-unit figures up in memory; a distinct count
            # keeps the closure (its citizens' sets, `--sets`, cost more over two periods).
            if rolls_up(kpi) or sets:
                after = partial(warehouse.rolled_up, kpi, grain, start, end)
        else:
            bare = bare_per_unit(warehouse, kpi, units, start, end, grain)
            if lens == "trend":  # a distinct count's trend: a scan per unit
                latest = latest_of(warehouse, kpi, grain)
                after = partial(warehouse.trend_frame, kpi, UNIT, grain, latest, 24)
        rows.append((lens, *interleaved_ms(engine, [bare, before, closure, after], repeat)))
    return rows


CUBE_COLUMNS = ("bare", "before", "fig.clos", "fig.mem", "closure", "after")


def measure_cube(
    warehouse: Warehouse,
    builder: Warehouse,
    kpi: Kpi,
    grain: Grain,
    kept: dict,
    before: bool,
    clock,
) -> tuple[float, ...]:
    """(bare, before, fig.clos, fig.mem, closure, after) in ms by `clock` for the KPI's
    cube at one grain, each once. *fig.clos* and *fig.mem*: the figures alone, by the
    closure in the database and as the cube computes them now (added up in memory when
    the KPI's parts add up, queries/rollup.py; else the closure again). *closure* and
    *after*: the whole `Warehouse.cube` by either route (own-row counts and the exact
    counts of cells below min_n included). *before* (NaN unless asked): the recursive
    closure with distinct citizens in every cell. The new cube is kept. *after* is built
    by `builder`, a warehouse of its own, as a build makes it: what it keeps between a
    KPI's grains (own rows by month, citizens by month) it made itself, not the routes
    timed before it."""
    engine = warehouse.engine
    bare_query = bare_by_own_unit(warehouse, kpi, EARLIEST, LATEST, grain)
    bare = timed_ms(lambda: median_ms(engine, bare_query, 1), clock)
    old = aggregate_select(
        warehouse.catalogue, kpi, units=None, start=EARLIEST, end=LATEST, grain=grain,
        sql_dir=warehouse.sql_dir,
    )  # fmt: skip
    recursive = timed_ms(lambda: median_ms(engine, old, 1), clock) if before else float("nan")
    figures = [
        timed_ms(lambda: warehouse.cube_figures(kpi, grain, in_memory=False), clock),
        timed_ms(lambda: warehouse.cube_figures(kpi, grain), clock),
    ]
    closure = timed_ms(lambda: warehouse.cube(kpi.id, grain, in_memory=False), clock)
    after = timed_ms(lambda: kept.__setitem__(grain, builder.cube(kpi.id, grain)), clock)
    return bare, recursive, *figures, closure, after


def print_cube_totals(label: str, totals: list[float]) -> None:
    bare = totals[0]
    if not bare:
        return  # no KPI of this kind was timed
    cells = " ".join(f"{t:>8.0f}" for t in totals)
    pairs = zip(CUBE_COLUMNS[1:], totals[1:], strict=True)
    ratios = ", ".join(f"{name}/bare {total / bare:.2f}" for name, total in pairs)
    print(f"{label:<36} {cells}   {ratios}")


def measure_cubes(warehouse: Warehouse, kpis: list[Kpi], before: bool, clock) -> None:
    header = " ".join(f"{c:>8}" for c in CUBE_COLUMNS)
    print(f"\n{'cube':<26} {'grain':<9} {header}   (ms, once)")
    totals = {True: [0.0] * 6, False: [0.0] * 6}  # by whether the KPI rolls up in memory
    cubes: dict[str, dict] = {}
    builder = Warehouse(warehouse.engine, warehouse.catalogue, warehouse.sql_dir)
    for kpi in kpis:
        for grain in Grain:
            figures = measure_cube(
                warehouse, builder, kpi, grain, cubes.setdefault(kpi.id, {}), before, clock
            )
            kind = totals[rolls_up(kpi)]
            kind[:] = [t + f for t, f in zip(kind, figures, strict=True)]
            cells = " ".join(f"{f:>8.0f}" for f in figures)
            print(f"{kpi.id:<26} {grain.value:<9} {cells}")
            sys.stdout.flush()
    decisions = timed_ms(
        lambda: [warehouse.suppression(kpi.id, cubes[kpi.id]) for kpi in kpis], clock
    )
    print_cube_totals("cubes rolled up in memory", totals[True])
    print_cube_totals("cubes with a distinct count", totals[False])
    print_cube_totals("all cubes", [a + b for a, b in zip(*totals.values(), strict=True)])
    print(f"the decisions after them: {decisions:.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--warehouse", required=True, help="SQLAlchemy URL of a demo warehouse")
    parser.add_argument("--kpis", nargs="*", help="KPI ids (default: every KPI)")
    parser.add_argument("--grain", default="month", choices=[g.value for g in Grain])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--cubes", action="store_true", help="also the cubes at every grain")
    parser.add_argument(
        "--lens", nargs="*", default=["trend", "benchmark", "target"], help="lenses to time"
    )
    parser.add_argument(
        "--no-lenses", dest="lenses", action="store_false", help="only the cubes (with --cubes)"
    )
    parser.add_argument(
        "--clock",
        choices=["wall", "cpu"],
        default="wall",
        help="for --cubes: wall time, or this process's CPU time (DuckDB runs in it)",
    )
    parser.add_argument(
        "--sets",
        action="store_true",
        help="time a distinct count's target grid by its citizens' sets (the cubes' route)",
    )
    parser.add_argument(
        "--before",
        action="store_true",
        help="with --cubes: also each cube by the recursive closure with citizens (slow)",
    )
    args = parser.parse_args()
    engine = create_warehouse_engine(args.warehouse, 600)
    catalogue = load_catalogue(ROOT / "kpi_definitions.yaml", engine=engine)
    warehouse = Warehouse(engine, catalogue)
    grain = Grain(args.grain)
    kpis = [catalogue.kpi(k) for k in args.kpis] if args.kpis else list(catalogue.kpis)
    print(f"{engine.url.get_backend_name()}, {grain.value}, unit {UNIT}, median of {args.repeat}")
    print(
        f"{'kpi':<26} {'lens':<9} {'bare':>8} {'before':>8} {'closure':>8} {'after':>8} "
        f"{'before/bare':>11} {'after/bare':>10}   (ms)"
    )
    for kpi in kpis if args.lenses else []:
        timed = measure_kpi(warehouse, kpi, grain, args.repeat, args.lens, args.sets)
        for lens, bare, before, closure, after in timed:
            print(
                f"{kpi.id:<26} {lens:<9} {bare:>8.1f} {before:>8.1f} {closure:>8.1f} "
                f"{after:>8.1f} {before / bare:>11.2f} {after / bare:>10.2f}"
            )
        sys.stdout.flush()
    if not args.cubes:
        return
    clock = time.process_time if args.clock == "cpu" else time.perf_counter
    measure_cubes(warehouse, kpis, args.before, clock)


if __name__ == "__main__":
    main()

"""Server time for one KPI page's four lenses, cold and cached, against the bare query.

    .venv/bin/python bench/lenses.py --rows 1000000 10000000
    .venv/bin/python bench/lenses.py --rows --warehouse postgresql+psycopg://…/msb10m

Prints medians (machines here are small and noisy) and ratios measured in the same run.
The demo warehouses are generated once into --dir and reused.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from functools import partial
from pathlib import Path

import sqlalchemy as sa
from flask import Flask
from flask_caching import Cache

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from components.services import Services
from queries.catalogue.loader import load_catalogue
from queries.catalogue.models import Grain
from queries.compiler.periods import period_bounds
from queries.demo import generate, write_duckdb
from queries.engine import create_warehouse_engine
from queries.scope import Scope
from queries.settings import ROOT
from queries.warehouse import Warehouse

KPIS = ("fuldtidspersoner", "borgere_sygedagpenge", "sygedagpenge_over_22_uger")


def median_ms(action, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def warehouse_for(rows: int, folder: Path) -> Warehouse:
    path = folder / f"bench_{rows}.duckdb"
    if not path.exists():
        started = time.perf_counter()
        write_duckdb(generate(rows=rows, citizens=max(80_000, rows // 12)), path)
        print(f"generated {path} in {time.perf_counter() - started:.1f} s")
    return warehouse_at(f"duckdb:///{path}")


def warehouse_at(url: str) -> Warehouse:
    engine = create_warehouse_engine(url)
    return Warehouse(engine, load_catalogue(ROOT / "kpi_definitions.yaml", engine=engine))


def page(warehouse: Warehouse, kpi_id: str, unit: str, grain: Grain, period, lens_calls=None):
    calls = lens_calls or warehouse
    calls.trend(kpi_id, unit, grain, period)
    calls.benchmark(kpi_id, unit, grain, period)
    calls.targets(kpi_id, grain, period)
    warehouse.list_page(kpi_id, unit, grain, period, Scope.everything(), limit=25)


def bare(warehouse: Warehouse, period) -> None:
    """The least the database must do: one GROUP BY over the fact table for a year."""
    query = sa.text(
        "SELECT org_id, date_trunc('month', maaned) AS m, SUM(fuldtid) FROM fact_ydelse "
        "WHERE maaned >= :start GROUP BY 1, 2"
    )
    with warehouse.engine.connect() as connection:
        connection.execute(query, {"start": period.replace(year=period.year - 2)}).fetchall()


# The list as one would write it by hand: the unit's rows in the month, sorted by name,
# 25 of them, and how many there are. Per KPI: table, time column, its filter, columns.
BARE_LISTS = {
    "fuldtidspersoner": ("fact_ydelse", "maaned", "f.fuldtid IS NOT NULL", "f.ydelse, f.fuldtid"),
    "borgere_sygedagpenge": (
        "fact_ydelse",
        "maaned",
        "f.ydelse = 'sygedagpenge' AND f.borger_id IS NOT NULL",
        "f.varighed_dage",
    ),
    "sygedagpenge_over_22_uger": (
        "fact_sygedagpenge",
        "slutdato",
        "f.slutdato IS NOT NULL",
        "f.startdato, f.slutdato, f.varighed_uger",
    ),
}


def bare_list(warehouse: Warehouse, kpi_id: str, unit: str, period) -> None:
    table, time_column, condition, columns = BARE_LISTS[kpi_id]
    # Only the catalogue's own names and the org tree's ids go into the text; dates are bound.
    units = ", ".join(f"'{org_id}'" for org_id in warehouse.org.descendants(unit))
    where = (
        f"f.{time_column} >= :start AND f.{time_column} < :end "
        f"AND f.org_id IN ({units}) AND {condition}"
    )
    rows = sa.text(
        f"SELECT b.cpr, b.navn, {columns}, f.{time_column}, o.org_navn, f.borger_id "
        f"FROM {table} f LEFT JOIN dim_borger b ON b.borger_id = f.borger_id "
        f"JOIN dim_org o ON o.org_id = f.org_id WHERE {where} "
        f"ORDER BY b.navn, {columns}, f.{time_column}, o.org_navn, b.cpr, f.borger_id LIMIT 25"
    )
    total = sa.text(f"SELECT count(*) FROM {table} f WHERE {where}")
    start, end = period_bounds(period, Grain.month)
    month = {"start": start, "end": end}
    with warehouse.engine.connect() as connection:
        connection.execute(total, month).scalar()
        connection.execute(rows, month).fetchall()


def measure(warehouse: Warehouse, services: Services, kpi_id: str, repeat: int) -> dict:
    """Medians in ms for the KPI page of JSY in the latest month, four ways:
    bare query, cold page (each lens its own query), cached page, and a page for a unit
    never asked for before, cut from the KPI's cube (built once, time in `cube`)."""
    period = warehouse.latest_period(kpi_id)
    figures = {"bare": median_ms(lambda: bare(warehouse, period), repeat)}
    figures["cold"] = median_ms(lambda: page(warehouse, kpi_id, "JSY", Grain.month, period), repeat)
    page(warehouse, kpi_id, "JSY", Grain.month, period, services)  # fill the cache
    figures["hit"] = median_ms(
        lambda: page(warehouse, kpi_id, "JSY", Grain.month, period, services), repeat
    )
    started = time.perf_counter()
    cube = warehouse.cube(kpi_id, Grain.month)
    figures["cube"] = (time.perf_counter() - started) * 1000

    # Each lens of a unit never asked for before, cut from the cube (the issue's "every
    # lens ≤ 50 ms once the cube is there"); the list always reads detail rows.
    lenses = {
        "trend": lambda: warehouse.trend(kpi_id, "JUS", Grain.month, period, cube=cube),
        "benchmark": lambda: warehouse.benchmark(kpi_id, "JUS", Grain.month, period, cube=cube),
        "target": lambda: warehouse.targets(kpi_id, Grain.month, period, cube=cube),
        "list": lambda: warehouse.list_page(
            kpi_id, "JUS", Grain.month, period, Scope.everything(), limit=25
        ),
    }
    for lens, action in lenses.items():
        figures[lens] = median_ms(action, repeat)
    figures["bare list"] = median_ms(lambda: bare_list(warehouse, kpi_id, "JUS", period), repeat)
    figures["from cube"] = sum(figures[lens] for lens in lenses)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, nargs="*", default=[1_000_000])
    parser.add_argument("--warehouse", nargs="*", default=[], help="URLs of loaded warehouses")
    parser.add_argument("--dir", type=Path, default=Path("/tmp"))
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print(
        f"{'rows':>11} {'kpi':<26} {'bare':>7} {'cold':>7} {'hit':>6} {'cube':>7} "
        f"{'from cube':>9} {'cold/bare':>9} {'hit/cold':>8} {'from cube/cold':>14}   (ms)"
        f"  | from cube: {'trend':>6} {'bench':>6} {'target':>6} {'list':>6}"
        f"  | {'bare list':>9} {'list-bare':>9}"
    )
    warehouses = [partial(warehouse_for, rows, args.dir) for rows in args.rows]
    warehouses += [partial(warehouse_at, url) for url in args.warehouse]
    for opened in warehouses:
        warehouse = opened()
        actual = warehouse.scalar(sa.select(sa.func.count()).select_from(sa.table("fact_ydelse")))
        server = Flask(__name__)
        services = Services(warehouse, Cache(server, config={"CACHE_TYPE": "SimpleCache"}))
        for kpi_id in KPIS:
            f = measure(warehouse, services, kpi_id, args.repeat)
            print(
                f"{actual:>11,} {kpi_id:<26} {f['bare']:>7.1f} {f['cold']:>7.1f} {f['hit']:>6.1f} "
                f"{f['cube']:>7.0f} {f['from cube']:>9.1f} {f['cold'] / f['bare']:>9.2f} "
                f"{f['hit'] / f['cold']:>8.3f} {f['from cube'] / f['cold']:>14.3f}"
                f"        |            {f['trend']:>6.1f} {f['benchmark']:>6.1f} "
                f"{f['target']:>6.1f} {f['list']:>6.1f}"
                f"  | {f['bare list']:>9.1f} {f['list'] - f['bare list']:>9.1f}"
            )


if __name__ == "__main__":
    main()

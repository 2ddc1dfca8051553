"""The whole `python -m queries cubes build` beside the bare SQL of the same cubes, in one
run: every KPI and grain's figure grouped by own unit and period (`bare_by_own_unit`, no
roll-up, no citizens counted), executed and fetched once each in this process, against
the build command run in a child process into an emptied Redis database, start,
catalogue check, orphan counts, citizen counts and suppression decisions included.

    .venv/bin/python bench/cube_build.py --demo /tmp/demo_10m.duckdb --rounds 3
    .venv/bin/python bench/cube_build.py --demo /tmp/demo_10m.duckdb --baseline-ref HEAD~1
    .venv/bin/python bench/cube_build.py --warehouse postgresql+psycopg://…/msb10m --rounds 1

On DuckDB, CPU is the figure to read (the DuckDB threads' included; the machine is small
and shared); on a database server the queries' CPU is the server's, so read the wall
time there. The build's peak RSS is printed too. With `--baseline-ref`
a `git archive` of that ref builds too, the trees taking turns within each round, so a
busy moment falls on both alike. Medians over the rounds; the ratio is each build's CPU
÷ the bare CPU of the same round.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import redis

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from cold_lenses import bare_by_own_unit  # noqa: E402
from frontend import export  # noqa: E402

from queries.bootstrap import open_warehouse  # noqa: E402
from queries.catalogue.models import Grain  # noqa: E402
from queries.settings import load_settings  # noqa: E402
from queries.warehouse import EARLIEST, LATEST  # noqa: E402


def cpu_self() -> float:
    used = resource.getrusage(resource.RUSAGE_SELF)
    return used.ru_utime + used.ru_stime


def bare_sum(warehouse) -> tuple[float, float]:
    """(CPU s, wall s) of every KPI's bare statement at every grain, once each."""
    cpu, wall = cpu_self(), time.perf_counter()
    for grain in Grain:
        for kpi in warehouse.catalogue.kpis:
            query = bare_by_own_unit(warehouse, kpi, EARLIEST, LATEST, grain)
            with warehouse.engine.connect() as connection:
                connection.execute(query).fetchall()
    return cpu_self() - cpu, time.perf_counter() - wall


def build(tree: Path, env: dict[str, str], cache_url: str) -> tuple[float, float, float, str]:
    """(CPU s, wall s, peak RSS GB, last line) of one whole build into an empty cache."""
    redis.Redis.from_url(cache_url).flushdb()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "queries", "cubes", "build"],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - wall
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{tree}: the build failed:\n{done.stdout}\n{done.stderr}")
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    peak_gb = after.ru_maxrss / 1024 / 1024  # the largest child so far (Linux: KB)
    return cpu, wall, peak_gb, done.stdout.strip().splitlines()[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--demo", help="the demo warehouse file (DuckDB)")
    where.add_argument("--warehouse", help="a warehouse's SQLAlchemy URL (MSB_WAREHOUSE_URL)")
    parser.add_argument("--cache-url", default="redis://127.0.0.1:6379/14")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--baseline-ref", help="a git ref to build too, in turn")
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if not k.startswith("MSB_")}
    env.update(MSB_CACHE_URL=args.cache_url, MSB_WARM_CACHE="0")
    env.update({"MSB_DEMO_PATH": args.demo} if args.demo else {"MSB_WAREHOUSE_URL": args.warehouse})
    os.environ.update(env)
    warehouse = open_warehouse(load_settings())
    with tempfile.TemporaryDirectory() as work:
        trees = [("this checkout", ROOT)]
        if args.baseline_ref:
            trees.insert(0, (args.baseline_ref, export(args.baseline_ref, Path(work))))
        figures: dict[str, list[tuple[float, ...]]] = {name: [] for name, _ in trees}
        bares: list[tuple[float, float]] = []
        for round_ in range(args.rounds):
            # The warehouse's file is closed while a build has it: DuckDB lets one
            # process open a file for writing, and the build's engine is its own.
            warehouse.engine.dispose()
            for name, tree in trees if round_ % 2 == 0 else reversed(trees):
                cpu, wall, peak, line = build(tree, env, args.cache_url)
                figures[name].append((cpu, wall, peak))
                print(f"round {round_ + 1}, {name}: {cpu:.1f} s CPU, {wall:.1f} s, {line}")
            bares.append(bare_sum(warehouse))
            print(f"round {round_ + 1}, bare: {bares[-1][0]:.1f} s CPU, {bares[-1][1]:.1f} s")
            sys.stdout.flush()
    bare_cpu, bare_wall = (statistics.median(b[i] for b in bares) for i in (0, 1))
    print(f"\nmedians of {args.rounds} rounds (CPU s, wall s; ratios: build ÷ bare of the round)")
    print(f"{'bare SQL, every cube':<32} {bare_cpu:>7.1f} {bare_wall:>7.1f}")
    for name, runs in figures.items():
        by_cpu = [run[0] / bare[0] for run, bare in zip(runs, bares, strict=True)]
        by_wall = [run[1] / bare[1] for run, bare in zip(runs, bares, strict=True)]
        print(
            f"{'cubes build, ' + name:<32} {statistics.median(r[0] for r in runs):>7.1f} "
            f"{statistics.median(r[1] for r in runs):>7.1f}   "
            f"CPU ratio {statistics.median(by_cpu):.2f} ({', '.join(f'{r:.2f}' for r in by_cpu)}), "
            f"wall ratio {statistics.median(by_wall):.2f}"
        )
    print(f"peak RSS of a build: {max(r[2] for runs in figures.values() for r in runs):.2f} GB")


if __name__ == "__main__":
    main()

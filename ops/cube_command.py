"""`python -m queries cubes build`: every KPI's cubes for the warehouse's current data
version, built once into the shared cache (`MSB_CACHE_URL`), where every worker of every
app server reads them instead of building its own. For a load job to run after a load;
the app's own background build does the same work under the same locks, so the two never
build one cube twice."""

from __future__ import annotations

import sys
import time
from typing import TextIO

from queries.catalogue.models import Grain

GRAIN_NAMES = {Grain.month: "måned", Grain.quarter: "kvartal", Grain.year: "år"}


def add_cube_commands(commands) -> None:
    cubes = commands.add_parser("cubes", help="build every KPI's cubes into the shared cache")
    actions = cubes.add_subparsers(dest="cubes_command", required=True)
    build = actions.add_parser("build", help="build what is missing for the current data")
    build.set_defaults(run=lambda _args: build_cubes())


def build_cubes(out: TextIO = sys.stdout) -> int:
    """0 when every cube is there afterwards; 1 when the cache is not shared or a cube
    failed (the others are built all the same)."""
    from flask import Flask
    from flask_caching import Cache

    from components.formatting import format_value
    from components.resilient_cache import ResilientCache, cache_config
    from components.services import Services
    from ops.warmup import warm_once, yield_to_pages
    from queries.bootstrap import cube_builder, open_warehouse
    from queries.settings import load_settings

    # Before the warehouse opens: DuckDB's threads, started later, inherit the priority,
    # so a build on the app's own machine leaves the cores to the pages first.
    yield_to_pages()
    settings = load_settings()
    if not settings.cache_url:
        print(
            "MSB_CACHE_URL er ikke sat: kuberne skal lægges i den fælles cache (Redis), "
            "som alle app-processer læser. Uden den bygger hver proces sine egne.",
            file=out,
        )
        return 1
    warehouse = open_warehouse(settings)
    cache = ResilientCache(Cache(Flask("msb-cubes"), config=cache_config(settings)))
    builder = cube_builder(warehouse, settings.cube_timeout_s)
    services = Services(warehouse, cache, builder=builder)

    built: set[tuple[str, Grain]] = set()

    def report(kpi_id: str, grain: Grain, seconds: float, error: Exception | None) -> None:
        if error is None:
            built.add((kpi_id, grain))
        outcome = f"fejlede ({type(error).__name__}: {error})" if error else "bygget"
        took = format_value(seconds, "number", 1)
        print(f"{kpi_id} pr. {GRAIN_NAMES[grain]}: {outcome} på {took} s", file=out)
        out.flush()

    started = time.perf_counter()
    failures: dict[tuple[str, Grain], int] = {}
    others: set[tuple[str, Grain]] = set()
    warm_once(services, failures, report=report, others=others)
    wait_for_others(services, others, failures, report, out)
    by_others = others - built - set(failures)
    total = len(services.catalogue.kpis) * len(Grain)
    took = format_value(time.perf_counter() - started, "number", 1)
    meanwhile = f" (heraf {len(by_others)} bygget af en anden proces imens)" if by_others else ""
    print(
        f"{len(built)} kuber bygget, {total - len(built) - len(failures)} fandtes allerede"
        f"{meanwhile}, {len(failures)} fejlede ({took} s i alt; "
        f"data indlæst {services.data_version()}).",
        file=out,
    )
    return 1 if failures else 0


WAIT_POLL_S = 1.0


def wait_for_others(services, others: set, failures: dict, report, out: TextIO) -> None:
    """Wait while another process (a second load job, an app's own warm-up) builds some
    cubes, and read its result rather than compute the same cubes again; a cube whose
    builder gave up (its lock gone, no cube) is built here. A cube still missing after
    the lock's lifetime, when a build is presumed dead, counts as failed."""
    from ops.warmup import LOCK_S, warm_once

    if not others:
        return
    names = ", ".join(f"{kpi} pr. {GRAIN_NAMES[grain]}" for kpi, grain in sorted(others))
    cubes = "kube" if len(others) == 1 else "kuber"
    print(f"Venter på {len(others)} {cubes}, som en anden proces bygger: {names}", file=out)
    out.flush()
    waiting = set(others)
    deadline = time.monotonic() + LOCK_S
    while waiting and time.monotonic() < deadline and not services.cache.is_down:
        time.sleep(WAIT_POLL_S)
        still: set = set()
        warm_once(services, failures, report=report, others=still, only=waiting)
        waiting &= still
    for key in waiting:
        failures[key] = failures.get(key, 0) + 1

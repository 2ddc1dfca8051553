"""One cube build per data version, shared: `python -m queries cubes build` (a process of
its own, as a load job runs it) fills the shared Redis, and an app started on the same
Redis reads those cubes instead of building them; a KPI whose cube fails or times out
still answers, and the others are built."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import replace

import dash
import pandas as pd
import pytest
import sqlalchemy as sa
from flask import Flask
from flask_caching import Cache

from components.services import Services
from dashboard import create_app
from ops.warmup import lock_name, warm_once
from queries.bootstrap import cube_builder
from queries.catalogue.models import Grain
from queries.deadline import WarehouseTimeout
from queries.settings import ROOT, load_settings
from tests.faults.servers import ThrowawayRedis


@pytest.fixture
def redis_server():
    server = ThrowawayRedis()
    yield server
    server.remove()


COMMAND = [sys.executable, "-m", "queries", "cubes", "build"]


def command_env(redis_url: str, duckdb_path) -> dict[str, str]:
    return {
        **os.environ,
        "MSB_CACHE_URL": redis_url,
        "MSB_WAREHOUSE_URL": f"duckdb:///{duckdb_path}",
    }


def build(redis_url: str, duckdb_path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        COMMAND,
        cwd=ROOT,
        env=command_env(redis_url, duckdb_path),
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_the_command_builds_once_and_the_app_reads_its_cubes(
    redis_server, duckdb_path, duckdb_warehouse
):
    cubes = len(duckdb_warehouse.catalogue.kpis) * len(Grain)
    first = build(redis_server.url, duckdb_path)
    assert first.returncode == 0, first.stdout + first.stderr
    assert f"{cubes} kuber bygget, 0 fandtes allerede, 0 fejlede" in first.stdout
    assert "sygedagpenge_over_22_uger pr. måned: bygget på" in first.stdout

    again = build(redis_server.url, duckdb_path)  # a second run finds them all
    assert f"0 kuber bygget, {cubes} fandtes allerede" in again.stdout

    settings = replace(load_settings(), cache_url=redis_server.url, warm_cache=False)
    app = create_app(duckdb_warehouse, settings)
    try:
        services = app._msb_services
        for kpi in services.catalogue.kpis:
            for grain in Grain:
                assert services.ready_cube(kpi.id, grain) is not None, (kpi.id, grain)
        assert warm_once(services, {}) == 0  # the app builds none of its own
    finally:
        dash.page_registry.clear()


def test_a_second_builder_waits_for_the_first_and_reads_its_cubes(
    redis_server, duckdb_path, duckdb_warehouse
):
    """Two builders on one Redis: while another process holds a cube's lock, the command
    builds everything else, then waits and reads that process's cube instead of
    computing it; a cube whose builder gave up (lock gone, no cube) it builds itself."""
    settings = replace(load_settings(), cache_url=redis_server.url, warm_cache=False)
    app = create_app(duckdb_warehouse, settings)
    try:
        services = app._msb_services
        version = services.data_version()
        by_other, given_up = ("sygedagpenge_over_22_uger", Grain.month), (SLOW_KPI, Grain.year)
        for kpi_id, grain in (by_other, given_up):
            assert services.cache.add(lock_name(kpi_id, grain, version), 1, timeout=600)
        command = start_build(redis_server.url, duckdb_path)
        everything_else = [
            (kpi.id, grain)
            for kpi in services.catalogue.kpis
            for grain in Grain
            if (kpi.id, grain) not in (by_other, given_up)
        ]
        deadline = time.monotonic() + 300
        while any(services.ready_cube(*key) is None for key in everything_else):
            assert command.poll() is None, command.communicate()
            assert time.monotonic() < deadline, "the command did not build the rest"
            time.sleep(0.2)
        time.sleep(1.5)  # a poll of the waiting builder finds both locks still taken
        assert command.poll() is None, "the command stopped before the other builds ended"

        services.cube(*by_other)  # "the other process" finishes its build …
        services.cache.delete(lock_name(*by_other, version))
        services.cache.delete(lock_name(*given_up, version))  # … the other gives up
        out, err = command.communicate(timeout=300)
    finally:
        dash.page_registry.clear()
    assert command.returncode == 0, out + err
    assert "Venter på 2 kuber, som en anden proces bygger" in out
    assert "sygedagpenge_over_22_uger pr. måned: bygget" not in out
    assert f"{SLOW_KPI} pr. år: bygget" in out
    cubes = len(duckdb_warehouse.catalogue.kpis) * len(Grain)
    assert f"{cubes - 1} kuber bygget, 1 fandtes allerede (heraf 1 bygget af en" in out


def start_build(redis_url: str, duckdb_path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        COMMAND,
        cwd=ROOT,
        env=command_env(redis_url, duckdb_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_without_a_shared_cache_the_command_says_so(duckdb_path):
    result = build("", duckdb_path)
    assert result.returncode == 1 and "MSB_CACHE_URL er ikke sat" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


SLOW_KPI = "fuldtidspersoner"
BROKEN_KPI = "sagsbehandlingstid"


def test_a_kpi_whose_cube_times_out_or_fails_answers_live_and_the_others_are_built(
    duckdb_warehouse,
):
    """One KPI's own rows run past the builder's time limit (DuckDB is interrupted at
    its deadline), so each of its cubes times out (a quarter's and a year's own rows are
    the month's, added up); another KPI's statements fail in the warehouse. Every other
    KPI's cubes are built in the same pass (a timeout does not make the next build fail
    at once), and the slow KPI's lenses answer live, with its suppression decided all the
    same."""
    builder = cube_builder(duckdb_warehouse, timeout_s=2)
    cube_query = builder.cube_query

    def heavy_or_broken(kpi, grain):
        if kpi.id == SLOW_KPI:  # minutes of work: stopped at the deadline
            return sa.select(sa.func.sum(sa.column("range")).label("unit")).select_from(
                sa.func.range(10**13)
            )
        if kpi.id == BROKEN_KPI:
            return sa.select(sa.column("unit")).select_from(sa.table("no_such_cube_table"))
        return cube_query(kpi, grain)

    builder.cube_query = heavy_or_broken
    services = Services(
        duckdb_warehouse,
        Cache(Flask(__name__), config={"CACHE_TYPE": "SimpleCache"}),
        builder=builder,
    )
    outcomes: dict[tuple[str, Grain], Exception | None] = {}
    failures: dict[tuple[str, Grain], int] = {}
    started = time.monotonic()
    built = warm_once(
        services, failures, report=lambda k, g, _s, error: outcomes.__setitem__((k, g), error)
    )
    assert time.monotonic() - started < 120

    kpis = services.catalogue.kpis
    assert built == len(kpis) * len(Grain) - 2 * len(Grain)
    assert set(failures) == {(kpi, grain) for kpi in (SLOW_KPI, BROKEN_KPI) for grain in Grain}
    for grain in Grain:
        assert isinstance(outcomes[(SLOW_KPI, grain)], WarehouseTimeout)
        assert isinstance(outcomes[(BROKEN_KPI, grain)], sa.exc.DBAPIError)
    for kpi in kpis:
        for grain in Grain:
            ready = services.ready_cube(kpi.id, grain)
            assert (ready is None) == (kpi.id in (SLOW_KPI, BROKEN_KPI)), (kpi.id, grain)

    latest = duckdb_warehouse.latest_period(SLOW_KPI, Grain.month)
    unit = "JSY"
    live = services.trend(SLOW_KPI, unit, Grain.month, latest, periods=6).frame
    assert live["value"].notna().sum() >= 5  # figures, answered by the lens's own query
    expected = duckdb_warehouse.trend(SLOW_KPI, unit, Grain.month, latest, periods=6).frame
    pd.testing.assert_frame_equal(live, expected)
    targets = services.targets(SLOW_KPI, Grain.month, latest).frame
    assert targets["value"].notna().any()
    decision = services.suppression(SLOW_KPI)
    assert decision.hidden == duckdb_warehouse.suppression(SLOW_KPI).hidden

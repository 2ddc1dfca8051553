"""One cube build per data version, shared: `python -m queries cubes build` (a process of
its own, as a load job runs it) fills the shared Redis, and an app started on the same
Redis reads those cubes instead of building them."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import replace

import dash
import pytest

from dashboard import create_app
from ops.warmup import warm_once
from queries.catalogue.models import Grain
from queries.settings import ROOT, load_settings
from tests.faults.servers import ThrowawayRedis


@pytest.fixture
def redis_server():
    server = ThrowawayRedis()
    yield server
    server.remove()


def build(redis_url: str, duckdb_path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        **os.environ,
        "MSB_CACHE_URL": redis_url,
        "MSB_WAREHOUSE_URL": f"duckdb:///{duckdb_path}",
        **env,
    }
    return subprocess.run(
        [sys.executable, "-m", "queries", "cubes", "build"],
        cwd=ROOT,
        env=environment,
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


def test_without_a_shared_cache_the_command_says_so(duckdb_path):
    result = build("", duckdb_path)
    assert result.returncode == 1 and "MSB_CACHE_URL er ikke sat" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr

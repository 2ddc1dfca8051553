"""A Redis of the test's own, killed, paused and flushed under a running app: the app
gets slower, never broken, and the cubes come back."""

from __future__ import annotations

import os
import time

import dash
import pytest
import redis

from dashboard import create_app
from ops.warmup import warm_once
from queries.catalogue.models import Grain
from queries.settings import load_settings
from tests.conftest import sign_in, trend_request
from tests.faults.servers import ThrowawayRedis

TREND = trend_request("sygedagpenge_over_22_uger", "?enhed=JSY")


@pytest.fixture
def redis_app(duckdb_warehouse):
    server = ThrowawayRedis()
    settings = load_settings(
        {
            "MSB_CACHE_URL": server.url,
            "MSB_WARM_CACHE": "0",
            "MSB_APP_DB_URL": os.environ["MSB_APP_DB_URL"],
        }
    )
    app = create_app(duckdb_warehouse, settings)
    client = app.server.test_client()
    sign_in(client)
    client.get("/")
    yield server, app, client
    dash.page_registry.clear()
    server.remove()


def _trend(client) -> tuple[float, str]:
    started = time.monotonic()
    response = client.post("/_dash-update-component", json=TREND)
    assert response.status_code == 200
    return time.monotonic() - started, response.get_data(as_text=True)


def test_a_killed_redis_makes_the_app_degraded_not_broken(redis_app):
    server, _app, client = redis_app
    assert client.get("/healthz").get_json()["cache"] == "ok"
    server.kill()
    _seconds, text = _trend(client)
    assert "kunne ikke vises" not in text and "Traceback" not in text
    assert "scatter" in text  # the trend was drawn
    health = client.get("/healthz")
    assert health.status_code == 200
    assert health.get_json()["status"] == "degraded" and health.get_json()["cache"] == "unavailable"


def test_a_paused_redis_costs_at_most_one_short_wait(redis_app):
    server, _app, client = redis_app
    _trend(client)
    server.pause()
    try:
        first, text = _trend(client)
        again, _ = _trend(client)
    finally:
        server.resume()
    assert "kunne ikke vises" not in text
    assert first < 3.0  # one timed-out call, then the cache is skipped
    assert again < first + 0.5


def test_a_flushed_redis_gets_its_cubes_again(redis_app):
    server, app, _client = redis_app
    services = app._msb_services
    failures: dict = {}
    # Opening the overview already built some cubes: start from an empty cache.
    redis.Redis.from_url(server.url).flushdb()
    built = warm_once(services, failures)
    assert built == len(services.catalogue.kpis) * len(Grain) and not failures
    assert warm_once(services, failures) == 0  # nothing missing: nothing built
    redis.Redis.from_url(server.url).flushdb()
    assert services.ready_cube("sygedagpenge_over_22_uger", Grain.month) is None
    assert not services.has_cube("sygedagpenge_over_22_uger", Grain.month)
    assert warm_once(services, failures) == built
    assert services.ready_cube("sygedagpenge_over_22_uger", Grain.month) is not None
    assert services.has_cube("sygedagpenge_over_22_uger", Grain.month)

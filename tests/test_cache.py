"""The lens cache on a real Redis: cubes computed once per data version serve every unit."""

from __future__ import annotations

import os
import uuid

import pandas as pd
import pytest
import redis
from flask import Flask
from flask_caching import Cache

from components.services import Services
from queries.catalogue.models import Grain
from queries.engine import create_warehouse_engine
from queries.warehouse import Warehouse

REDIS_URL = os.environ.get("MSB_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
KPI = "sygedagpenge_over_22_uger"


@pytest.fixture
def services(duckdb_warehouse):
    prefix = f"msb-test-{uuid.uuid4().hex[:8]}:"
    server = Flask(__name__)
    cache = Cache(
        server,
        config={
            "CACHE_TYPE": "RedisCache",
            "CACHE_REDIS_URL": REDIS_URL,
            "CACHE_KEY_PREFIX": prefix,
        },
    )
    warehouse = Warehouse(duckdb_warehouse.engine, duckdb_warehouse.catalogue)
    yield Services(warehouse, cache)
    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(f"{prefix}*"):
        client.delete(key)


def test_cubes_live_in_redis_and_serve_every_unit_without_the_warehouse(services):
    period = services.latest_period(KPI, Grain.month)
    units = ("MSB", "JSY", "JSY-01", "JSY-01-01")
    live = {u: services.warehouse.trend(KPI, u, Grain.month, period).frame for u in units}
    services.warm()
    stored = redis.Redis.from_url(REDIS_URL).keys(f"{services.cache.cache.key_prefix}*")
    assert len(stored) >= len(services.catalogue.kpis) * len(Grain)

    services.warehouse.engine = create_warehouse_engine(  # nothing listens there
        "postgresql+psycopg://postgres@127.0.0.1:1/test", timeout_s=2
    )
    for unit in units:
        served = services.trend(KPI, unit, Grain.month, period).frame
        pd.testing.assert_frame_equal(served, live[unit])
        assert not services.benchmark(KPI, unit, Grain.month, period).frame.empty
    assert not services.targets(KPI, Grain.quarter, period).frame.empty


def test_a_new_load_means_new_keys(services, monkeypatch):
    before = services._key(("cube", KPI, Grain.month))
    monkeypatch.setattr(services, "_version", (float("inf"), "2026-12-01 06:00:00"))
    assert services._key(("cube", KPI, Grain.month)) != before
    assert services.ready_cube(KPI, Grain.month) is None  # not computed for the new load yet
    assert not services.has_cube(KPI, Grain.month)


def test_a_lists_total_is_counted_once_per_view_and_scope(duckdb_warehouse):
    """The sentence and every page of one view share one count; another scope counts
    its own (a count may be cached, a row never is)."""
    import sqlalchemy as sa

    from queries.scope import Scope

    counts: list[str] = []

    def seen(_conn, _cursor, statement, *_args) -> None:
        if "count(" in statement.lower() and "limit" not in statement.lower():
            counts.append(statement)

    engine = duckdb_warehouse.engine
    sa.event.listen(engine, "before_cursor_execute", seen)
    try:
        cache = Cache(Flask(__name__), config={"CACHE_TYPE": "SimpleCache"})
        view = ("sagsbehandlingstid", "BFF", Grain.year)
        period = duckdb_warehouse.latest_period("sagsbehandlingstid", Grain.year)
        everyone = Services(duckdb_warehouse, cache, purpose_source=lambda: "Kvalitetssikring")
        header = everyone.list_header(*view, period, False)
        pages = [everyone.list_page(*view, period, offset=o, limit=10) for o in (0, 10, 20)]
        assert len(counts) == 1
        assert {page.total for page in pages} == {header.total} and header.total > 20
        team = Services(
            duckdb_warehouse, cache, viewer_scope=Scope.of("BFF-01"), purpose_source=lambda: "x"
        )
        assert team.list_header(*view, period, False).total < header.total
        assert len(counts) == 2
    finally:
        sa.event.remove(engine, "before_cursor_execute", seen)

"""Every statement has a deadline, on a paused PostgreSQL and a busy DuckDB alike, and a
warehouse known to be down is answered for at once."""

from __future__ import annotations

import time

import duckdb
import pytest
import sqlalchemy as sa

from queries.deadline import WarehouseTimeout, WarehouseUnavailable
from queries.engine import create_warehouse_engine
from tests.faults.servers import ThrowawayPostgres


@pytest.fixture(scope="module")
def postgres():
    server = ThrowawayPostgres()
    yield server
    server.remove()


def _select_one(engine: sa.Engine) -> int:
    with engine.connect() as connection:
        return connection.execute(sa.text("SELECT 1")).scalar()


def test_a_paused_postgres_gives_a_timeout_within_the_deadline_then_recovers(postgres):
    engine = create_warehouse_engine(postgres.url, timeout_s=2)
    breaker = engine.msb_breaker
    breaker.pause_s = 3
    assert _select_one(engine) == 1  # a pooled connection exists before the pause
    postgres.pause()
    try:
        started = time.monotonic()
        with pytest.raises(WarehouseTimeout):
            _select_one(engine)
        assert time.monotonic() - started < 5
        started = time.monotonic()  # known down: the answer comes at once
        with pytest.raises(WarehouseUnavailable):
            _select_one(engine)
        assert time.monotonic() - started < 0.5
    finally:
        postgres.resume()
    time.sleep(breaker.pause_s)
    assert _select_one(engine) == 1
    assert not breaker.is_open


def test_a_stopped_postgres_is_refused_at_once_and_found_again(postgres):
    engine = create_warehouse_engine(postgres.url, timeout_s=2)
    engine.msb_breaker.pause_s = 1
    assert _select_one(engine) == 1
    postgres.stop()
    try:
        with pytest.raises((WarehouseUnavailable, sa.exc.DBAPIError)):
            _select_one(engine)
        with pytest.raises(WarehouseUnavailable):
            _select_one(engine)
    finally:
        postgres.start()
    time.sleep(1.1)
    # The pool's old connection died with the server: at most one statement fails.
    for _attempt in range(3):
        try:
            assert _select_one(engine) == 1
            break
        except (WarehouseUnavailable, sa.exc.DBAPIError):
            time.sleep(1.1)
    else:
        pytest.fail("the warehouse was not found again")


def test_a_heavy_duckdb_query_is_interrupted(tmp_path):
    path = tmp_path / "heavy.duckdb"
    duckdb.connect(str(path)).execute(
        "CREATE TABLE t AS SELECT range AS x FROM range(200000)"
    ).close()
    engine = create_warehouse_engine(f"duckdb:///{path}", timeout_s=1)
    heavy = sa.text("SELECT sum(a.x * b.x) FROM t a, t b WHERE (a.x + b.x) % 7 = 3")
    started = time.monotonic()
    with pytest.raises(WarehouseTimeout), engine.connect() as connection:
        connection.execute(heavy).scalar()
    assert time.monotonic() - started < 4
    engine.msb_breaker.succeeded()  # DuckDB is local: the next question may go at once
    assert _select_one(engine) == 1


def test_a_thread_stopped_mid_query_does_not_mark_the_warehouse_down(tmp_path):
    """A test server or a worker stopping a thread raises SystemExit inside a statement;
    SQLAlchemy counts that as a lost connection, but the warehouse said nothing."""
    engine = create_warehouse_engine(f"sqlite:///{tmp_path / 'w.sqlite'}", timeout_s=2)

    @sa.event.listens_for(engine, "do_execute")
    def _stopped(*_args):
        raise SystemExit

    with pytest.raises(SystemExit):
        _select_one(engine)
    sa.event.remove(engine, "do_execute", _stopped)
    assert not engine.msb_breaker.is_open
    assert _select_one(engine) == 1

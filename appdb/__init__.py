"""The app's own database: the audit log and usage events (later goals and notes).

Separate from the warehouse, which the app only reads. SQLite by default
(`MSB_APP_DB_URL`), PostgreSQL in production; the schema is managed by Alembic
(`appdb/migrations`) and upgraded at start and by `python -m queries appdb upgrade`.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from appdb.migrate import upgrade

WAIT_S = 5.0  # a list waits this long for its audit row, then says it cannot be shown


def open_app_db(url: str, wait_s: float = WAIT_S) -> sa.Engine:
    """An engine on the app database with its schema at the newest migration.

    Every wait is bounded (connecting, a lock, a statement, a pooled connection): a
    locked or hanging app database costs a list `wait_s`, then a plain message."""
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(
        url, pool_pre_ping=True, pool_timeout=wait_s, connect_args=_time_limits(url, wait_s)
    )
    upgrade(engine)
    return engine


def _time_limits(url: str, wait_s: float) -> dict:
    backend = sa.make_url(url).get_backend_name()
    if backend == "sqlite":
        return {"timeout": wait_s}  # how long to wait for another writer's lock
    if backend == "postgresql":
        ms = int(wait_s * 1000)
        return {
            "connect_timeout": max(1, round(wait_s)),
            "options": f"-c statement_timeout={ms} -c lock_timeout={ms}",
        }
    return {}

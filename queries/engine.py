"""Engines for the warehouse: read-only where the driver allows, with a statement timeout."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import make_url


def create_warehouse_engine(url: str, timeout_s: float = 30.0) -> sa.Engine:
    """An engine that can only read (DuckDB) and gives up on slow queries where it can."""
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    connect_args: dict[str, Any] = {}
    if backend == "duckdb":
        # Only one process may open a DuckDB file read-write; the app only reads.
        connect_args["read_only"] = True
    elif backend == "postgresql":
        connect_args["options"] = f"-c statement_timeout={int(timeout_s * 1000)}"
        connect_args["connect_timeout"] = max(1, int(timeout_s))
    elif backend in ("mysql", "mariadb"):
        connect_args["connect_timeout"] = max(1, int(timeout_s))
        connect_args["read_timeout"] = max(1, int(timeout_s))
    engine = sa.create_engine(url, connect_args=connect_args, pool_pre_ping=backend != "duckdb")
    if backend == "mssql":

        @sa.event.listens_for(engine, "connect")
        def _set_query_timeout(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.timeout = max(1, int(timeout_s))  # pyodbc's per-query timeout

    return engine

"""Engines for the warehouse: read-only where the driver allows, every statement with a deadline."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from queries.deadline import guard
from queries.lazy import pandas as pd

if TYPE_CHECKING:
    from sqlalchemy.sql import Executable


@dataclass(frozen=True)
class DuckdbLimits:
    """DuckDB's memory limit and threads for one process. Unlimited, DuckDB takes 80 % of
    the machine's memory and every core in each process: a cube build of the 10M demo
    grew to 4.8 GB, and every gunicorn worker would do the same."""

    # The settings' defaults (MSB_DUCKDB_MEMORY_MB, MSB_DUCKDB_THREADS): DuckDB refuses a
    # second connection to a file with another configuration in the same process.
    memory_mb: int = 600
    threads: int = 2

    def config(self) -> dict[str, Any]:
        return {"memory_limit": f"{self.memory_mb}MB", "threads": self.threads}


def create_warehouse_engine(
    url: str,
    timeout_s: float = 30.0,
    duckdb: DuckdbLimits | None = None,
    breaker_pause_s: float | None = None,
) -> sa.Engine:
    """An engine that can only read (DuckDB) and gives up on slow queries where it can.

    `duckdb`: the limits for a DuckDB warehouse (default: `DuckdbLimits()`); every engine
    on one DuckDB file in a process must be given the same (DuckDB refuses a second
    configuration of an open file). `breaker_pause_s`: how long a timeout or a lost
    connection makes every statement fail at once (default: the timeout, 2-15 s)."""
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    connect_args: dict[str, Any] = {}
    limits = duckdb or DuckdbLimits()
    if backend == "duckdb":
        # Only one process may open a DuckDB file read-write; the app only reads.
        connect_args["read_only"] = True
        connect_args["config"] = limits.config()
    elif backend == "postgresql":
        connect_args["options"] = f"-c statement_timeout={int(timeout_s * 1000)}"
        connect_args["connect_timeout"] = max(1, int(timeout_s))
        # A dead peer (not a paused one: deadline.py handles that) is noticed in seconds.
        connect_args.update(keepalives=1, keepalives_idle=10, keepalives_interval=5)
        connect_args["keepalives_count"] = 3
    elif backend in ("mysql", "mariadb"):
        connect_args["connect_timeout"] = max(1, int(timeout_s))
        connect_args["read_timeout"] = max(1, int(timeout_s))
    # No pool pre-ping: on a paused server the ping itself would hang outside any deadline.
    # A connection found dead fails one statement and the pool is renewed.
    engine = sa.create_engine(url, connect_args=connect_args)
    engine.msb_duckdb_limits = limits  # so an engine of the same warehouse gets the same
    guard(engine, timeout_s, breaker_pause_s)
    if backend == "mssql":

        @sa.event.listens_for(engine, "connect")
        def _set_query_timeout(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.timeout = max(1, int(timeout_s))  # pyodbc's per-query timeout

    return engine


class Fetched(NamedTuple):
    """A statement's rows as plain tuples, with its column names."""

    columns: list[str]
    rows: list[tuple]

    def column(self, name: str) -> list:
        at = self.columns.index(name)
        return [row[at] for row in self.rows]


def read_rows(engine: sa.Engine, query: Executable, params: dict | None = None) -> Fetched:
    """The rows of a statement (its bound values replaced by `params`), columns named as
    the statement names them."""
    with engine.connect() as connection:
        result = connection.execute(query, params)
        # Plain tuples: given Row objects, pandas probes each for namedtuple fields, a
        # failed attribute lookup per row that cost 1.3 s of a 22 s cube build.
        rows = [tuple(row) for row in result.fetchall()]
        return Fetched(list(result.keys()), rows)


def read_frame(engine: sa.Engine, query: Executable) -> pd.DataFrame:
    """The rows of a statement as a frame, columns named as the statement names them."""
    fetched = read_rows(engine, query)
    return pd.DataFrame(fetched.rows, columns=fetched.columns)

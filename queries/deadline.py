"""Every warehouse query has a deadline on every dialect, and a known-down warehouse is
not asked again until it has had time to come back.

Server-side limits (statement_timeout) do not help when the server itself hangs: a paused
PostgreSQL still has its socket acknowledged by the kernel, so a client waits forever. So
a timer beside each statement severs the connection when the deadline passes: DuckDB and
SQLite are interrupted, a PostgreSQL or MariaDB socket is shut down. The caller gets
`WarehouseTimeout` within the deadline, and the pool throws the severed connection away.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import threading
import time
from typing import Any

import sqlalchemy as sa

log = logging.getLogger(__name__)
GRACE_S = 1.0  # after the server's own limit, which says more when it can answer


class WarehouseUnavailable(Exception):
    """The warehouse did not answer recently; not asked again until the pause is over."""


class WarehouseTimeout(WarehouseUnavailable):
    """A statement ran past its deadline and was stopped."""


def sever(dbapi_connection: Any) -> None:
    """Stop whatever the connection is doing, from another thread."""
    interrupt = getattr(dbapi_connection, "interrupt", None)
    if callable(interrupt):  # DuckDB (through duckdb-engine's wrapper) and sqlite3
        interrupt()
        return
    fileno = _socket_fileno(dbapi_connection)
    if fileno is not None:
        duplicate = socket.socket(fileno=os.dup(fileno))
        try:
            duplicate.shutdown(socket.SHUT_RDWR)  # wakes the blocked read with an error
        except OSError:
            pass
        finally:
            duplicate.close()


def _socket_fileno(dbapi_connection: Any) -> int | None:
    pgconn = getattr(dbapi_connection, "pgconn", None)  # psycopg 3
    if pgconn is not None:
        return pgconn.socket
    sock = getattr(dbapi_connection, "_sock", None)  # PyMySQL
    return sock.fileno() if sock is not None else None


class Breaker:
    """Open after a failure to reach the warehouse: calls fail at once for `pause_s`, then
    one call may try again (and closes it on success)."""

    def __init__(self, pause_s: float) -> None:
        self.pause_s = pause_s
        self.opened_at: float | None = None
        self._lock = threading.Lock()

    @property
    def is_open(self) -> bool:
        opened = self.opened_at
        return opened is not None and time.monotonic() - opened < self.pause_s

    def check(self) -> None:
        if self.is_open:
            raise WarehouseUnavailable("datavarehuset svarede ikke for nylig")

    def failed(self, why: str) -> None:
        with self._lock:
            if self.opened_at is None:
                log.warning(
                    "warehouse unavailable (%s); answering at once for %.0f s", why, self.pause_s
                )
            self.opened_at = time.monotonic()

    def succeeded(self) -> None:
        with self._lock:
            if self.opened_at is not None:
                log.warning("warehouse answers again")
            self.opened_at = None


def guard(engine: sa.Engine, timeout_s: float, pause_s: float | None = None) -> Breaker:
    """Give every statement on `engine` a deadline and a breaker; returns the breaker."""
    breaker = Breaker(pause_s if pause_s is not None else min(max(timeout_s, 2.0), 15.0))
    limit = timeout_s + GRACE_S
    running: set[Any] = set()  # DB-API connections with a statement under way

    def stop_all() -> None:
        """Stop every statement under way (at process exit: a thread left inside the
        database's C++ code when Python finalises aborts the whole process)."""
        for raw in list(running):
            with contextlib.suppress(Exception):
                sever(raw)

    @sa.event.listens_for(engine, "before_cursor_execute")
    def _arm(conn, _cursor, _statement, _parameters, _context, _executemany) -> None:
        breaker.check()
        raw = conn.connection.dbapi_connection
        fired = threading.Event()

        def expire() -> None:
            fired.set()
            sever(raw)

        timer = threading.Timer(limit, expire)
        timer.daemon = True
        conn.info["msb_deadline"] = (timer, fired, raw)
        running.add(raw)
        timer.start()

    def _disarm(conn) -> bool:
        timer, fired, raw = conn.info.pop("msb_deadline", (None, None, None))
        if timer is not None:
            timer.cancel()
            running.discard(raw)
        return bool(fired is not None and fired.is_set())

    @sa.event.listens_for(engine, "after_cursor_execute")
    def _done(conn, *_args) -> None:
        _disarm(conn)
        breaker.succeeded()

    @sa.event.listens_for(engine, "handle_error")
    def _failed(context) -> None:
        if not isinstance(context.original_exception, Exception):
            # SystemExit or KeyboardInterrupt in the thread that asked: this process is
            # stopping a thread, and the warehouse said nothing about itself.
            if context.connection is not None:
                _disarm(context.connection)
            return
        expired = context.connection is not None and _disarm(context.connection)
        if expired:
            breaker.failed("tidsgrænsen blev nået")
            context.is_disconnect = expired  # the severed connection is thrown away
            raise WarehouseTimeout(
                f"forespørgslen tog mere end {timeout_s:g} s og blev stoppet"
            ) from context.original_exception
        unreachable = context.connection is None  # failed while connecting
        if (
            unreachable
            or context.is_disconnect
            or isinstance(context.original_exception, _UNREACHABLE)
        ):
            breaker.failed(type(context.original_exception).__name__)

    @sa.event.listens_for(engine, "do_connect")
    def _closed_door(*_args) -> None:
        breaker.check()  # no new connection attempt while the warehouse is known down

    engine.msb_breaker = breaker  # type: ignore[attr-defined]  # for /healthz
    engine.msb_stop_all = stop_all  # type: ignore[attr-defined]
    return breaker


_UNREACHABLE: tuple[type[BaseException], ...] = (ConnectionError, TimeoutError, OSError)

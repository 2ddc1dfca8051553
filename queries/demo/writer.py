"""Writing the demo frames to a DuckDB file, or through SQLAlchemy to any engine."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import duckdb
import sqlalchemy as sa

from queries.demo.schema import SCHEMA, Col
from queries.lazy import numpy as np
from queries.lazy import pandas as pd

CHUNK_ROWS = 5_000

_SA_TYPES = {
    "DATE": sa.Date,
    "TIMESTAMP": sa.DateTime,
    "INTEGER": sa.Integer,
    "BIGINT": sa.BigInteger,
    "DOUBLE": sa.Double,  # Float would be single precision on MySQL
}


def write_duckdb(frames: dict[str, pd.DataFrame], path: str | Path) -> None:
    """Write the frames as tables of a new DuckDB file at `path`, replacing it atomically.

    The file is built under a temporary name in the same directory and moved into place
    with os.replace, so a reader (or a second worker generating the same file) never
    sees a half-written warehouse.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        with duckdb.connect(str(temp)) as con:
            for table, frame in frames.items():
                _create_duckdb_table(con, table, frame)
        os.replace(temp, path)
    finally:
        for leftover in (temp, temp.with_name(temp.name + ".wal")):
            leftover.unlink(missing_ok=True)


def _create_duckdb_table(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> None:
    columns = _columns(table, frame)
    select = ", ".join(f'CAST("{c.name}" AS {c.type}) AS "{c.name}"' for c in columns)
    con.register("demo_frame", frame)
    try:
        con.execute(f'CREATE TABLE "{table}" AS SELECT {select} FROM demo_frame')
    finally:
        con.unregister("demo_frame")


def write_engine(
    frames: dict[str, pd.DataFrame], engine: sa.Engine, schema: str | None = None
) -> None:
    """Write the frames through SQLAlchemy (SQLite, PostgreSQL, MariaDB/MySQL, …).

    Each table is dropped if it exists, created with the contract's types and filled
    in chunks of 5,000 rows. Meant for test warehouses of up to some 100,000 rows.
    """
    metadata = sa.MetaData(schema=schema)
    tables = {
        name: _sa_table(name, _columns(name, frame), metadata) for name, frame in frames.items()
    }
    with engine.begin() as conn:
        for name, table in tables.items():
            table.drop(conn, checkfirst=True)
            table.create(conn)
            for chunk in _records(frames[name], _columns(name, frames[name])):
                conn.execute(sa.insert(table), chunk)


def _columns(table: str, frame: pd.DataFrame) -> tuple[Col, ...]:
    if table not in SCHEMA:
        raise ValueError(f"unknown demo table {table!r}; known tables: {', '.join(SCHEMA)}")
    columns = SCHEMA[table]
    missing = [c.name for c in columns if c.name not in frame.columns]
    if missing:
        raise ValueError(f"frame for {table} lacks columns {missing}")
    return columns


def _sa_table(name: str, columns: tuple[Col, ...], metadata: sa.MetaData) -> sa.Table:
    def sa_type(col: Col) -> sa.types.TypeEngine:
        return sa.String(col.length) if col.type == "VARCHAR" else _SA_TYPES[col.type]()

    return sa.Table(
        name, metadata, *(sa.Column(c.name, sa_type(c), nullable=c.nullable) for c in columns)
    )


def _records(frame: pd.DataFrame, columns: tuple[Col, ...]) -> Iterator[list[dict]]:
    """Rows as dicts of plain Python values (date, datetime, int, float, str, None)."""
    names = [c.name for c in columns]
    values = [_python_values(frame[c.name], c) for c in columns]
    for lo in range(0, len(frame), CHUNK_ROWS):
        yield [
            dict(zip(names, row, strict=True))
            for row in zip(*(v[lo : lo + CHUNK_ROWS] for v in values), strict=True)
        ]


def _python_values(series: pd.Series, col: Col) -> list:
    missing = series.isna().to_numpy()
    if col.type == "DATE":
        values = np.array(series.dt.date, dtype=object)
    elif col.type == "TIMESTAMP":
        values = np.array(series.dt.to_pydatetime(), dtype=object)
    elif col.type in ("INTEGER", "BIGINT", "DOUBLE"):
        values = np.empty(len(series), dtype=object)
        values[:] = series.tolist()  # Python ints and floats, not numpy scalars
    else:
        values = np.array(series.astype(object), dtype=object)  # a writable copy
    values[missing] = None
    return values.tolist()

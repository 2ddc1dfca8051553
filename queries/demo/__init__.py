"""The embedded demo warehouse: a synthetic, deterministic MSB with no real person in it.

`generate` returns one pandas DataFrame per table (see `SCHEMA` for names and types);
`write_duckdb` turns them into the DuckDB file the app opens by default, `write_engine`
into tables on any SQLAlchemy engine for tests. Columns of type DATE are datetime64[ns]
at midnight, TIMESTAMP columns datetime64[ns]; text columns are pandas strings.

Data cover `months` whole months up to and including the month `end`; the last day
with data (the cut-off) is the last day of that month. Open sickness benefit spells
have no slutdato; only decided cases and assessed notifications are in the warehouse,
as in a real one, so the last weeks hold somewhat fewer slow cases.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from queries.demo.schema import SCHEMA, Col
from queries.demo.writer import write_duckdb, write_engine
from queries.lazy import numpy as np
from queries.lazy import pandas as pd

if TYPE_CHECKING:
    from queries.demo.calendar import Window

__all__ = ["SCHEMA", "Col", "ensure_demo", "generate", "write_duckdb", "write_engine"]

MIN_CITIZENS = 500  # below this the target groups get too thin to fill every team


def generate(
    seed: int = 2026,
    citizens: int = 80_000,
    rows: int | None = None,
    end: date = date(2026, 10, 1),
    months: int = 58,
) -> dict[str, pd.DataFrame]:
    """All demo tables as DataFrames, keyed by table name, in the order of `SCHEMA`.

    The same arguments always give identical frames; nothing depends on today's date.
    `rows` sizes fact_ydelse (about that many rows) for benchmarks; by default it holds
    about 12.5 rows per citizen, a million at 80,000 citizens.
    """
    if citizens < MIN_CITIZENS:
        raise ValueError(f"citizens must be at least {MIN_CITIZENS}, got {citizens}")
    if rows is not None and rows < 1:
        raise ValueError(f"rows must be positive, got {rows}")
    # Imported here: the generators need numpy at import, and a start that finds the demo
    # file in place (every start but the first) generates nothing (queries/lazy.py).
    from queries.demo.absence import build_fravaer
    from queries.demo.benefits import build_benefits
    from queries.demo.calendar import Window
    from queries.demo.cases import build_sager
    from queries.demo.children import build_anbringelser, build_underretninger
    from queries.demo.citizens import build_citizens
    from queries.demo.economy import build_udgift
    from queries.demo.investment import build_investering
    from queries.demo.org import Teams, build_org
    from queries.demo.pension import build_pension
    from queries.demo.social import build_socialindsats
    from queries.demo.staff import build_personale

    window = Window.ending(end, months)
    # New facts take new streams at the end, so adding one leaves the others as they were.
    streams = np.random.default_rng(seed).spawn(12)
    org = build_org(streams[0])
    teams = Teams.of(org)
    people = build_citizens(citizens, window, streams[1])
    frames = {"dim_org": org, "dim_borger": people.frame}
    frames |= build_benefits(window, teams, people, streams[2], rows)
    frames["fact_underretning"] = build_underretninger(window, teams, people, streams[3])
    frames["fact_anbringelse"] = build_anbringelser(window, teams, people, streams[4])
    frames["fact_sag"] = build_sager(window, teams, people, streams[5])
    frames["fact_fravaer"] = build_fravaer(window, teams, streams[6])
    frames["fact_personale"] = build_personale(window, teams, frames["fact_fravaer"], streams[7])
    frames["fact_udgift"] = build_udgift(window, teams, streams[8])
    frames["fact_socialindsats"] = build_socialindsats(window, teams, people, streams[9])
    frames["fact_pension"] = build_pension(window, teams, people, streams[10])
    frames["fact_investering"] = build_investering(window, teams, people, streams[11])
    frames["load_log"] = _load_log(window, frames)
    return {name: _in_schema_order(name, frames[name]) for name in SCHEMA}


def ensure_demo(path: str | Path) -> Path:
    """The demo warehouse at `path`, generated with the defaults if it is not there yet,
    or again when it was made by an older version that lacks one of today's tables (the
    demo is synthetic and disposable; its catalogue would otherwise fail its check)."""
    path = Path(path)
    if not path.exists() or not _has_every_table(path):
        write_duckdb(generate(), path)
    return path


def _has_every_table(path: Path) -> bool:
    import duckdb

    try:
        with duckdb.connect(str(path), read_only=True) as con:
            found = {
                row[0]
                for row in con.execute(
                    "SELECT table_name FROM information_schema.tables"
                ).fetchall()
            }
    except duckdb.Error:
        return False
    return set(SCHEMA) <= found


def _in_schema_order(table: str, frame: pd.DataFrame) -> pd.DataFrame:
    columns = [c.name for c in SCHEMA[table]]
    return frame if list(frame.columns) == columns else frame[columns]


def _load_log(window: Window, frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per table: loaded the second morning after the cut-off, a few minutes apart."""
    loaded = window.first + np.timedelta64(window.cutoff + 2, "D") + np.timedelta64(6, "h")
    offsets = np.arange(len(frames)) * np.timedelta64(3, "m")
    return pd.DataFrame(
        {
            "kilde": pd.Series(list(frames), dtype="str"),
            "indlaest_tid": (loaded + offsets).astype("datetime64[ns]"),
            "raekker": np.array([len(f) for f in frames.values()], dtype=np.int64),
        }
    )

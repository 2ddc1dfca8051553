"""The SQL behind a lens, as an analyst can read it, for any supported dialect."""

from __future__ import annotations

from datetime import date

from sqlalchemy.engine import Dialect
from sqlalchemy.engine.url import make_url
from sqlalchemy.exc import CompileError
from sqlalchemy.sql import Select

from queries.catalogue.models import Grain
from queries.compiler.own_figures import rolls_up
from queries.scope import Scope

DIALECTS = ("duckdb", "sqlite", "postgresql", "mysql", "mariadb", "mssql")


def dialect_named(name: str) -> Dialect:
    if name not in DIALECTS:
        raise ValueError(f"unknown dialect '{name}'; choose one of {', '.join(DIALECTS)}")
    url = {
        "mssql": "mssql+pyodbc://",
        "mysql": "mysql+pymysql://",
        "mariadb": "mariadb+pymysql://",
        "postgresql": "postgresql+psycopg://",
    }.get(name, f"{name}://")
    dialect = make_url(url).get_dialect()()
    if name == "mssql":
        # Without a live server the dialect assumes SQL Server 2005 and pages with
        # ROW_NUMBER(); production runs 2016 or newer, which pages with OFFSET/FETCH.
        dialect.server_version_info = (16, 0)
        dialect._supports_offset_fetch = True
    return dialect


def render(query: Select, dialect: Dialect) -> str:
    """SQL with the values written in where the dialect can, else with a parameter list."""
    try:
        return str(query.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
    except (CompileError, NotImplementedError, TypeError):
        compiled = query.compile(dialect=dialect)
        params = "\n".join(f"--   {key} = {value!r}" for key, value in compiled.params.items())
        return f"{compiled}\n-- parameters:\n{params}"


def lens_query(
    warehouse,
    kpi_id: str,
    lens: str,
    unit: str,
    period: date,
    grain: Grain,
    scope: Scope | None = None,
) -> Select:
    """The select a lens runs (for a list: the first page)."""
    kpi = warehouse.catalogue.kpi(kpi_id)
    if lens == "trend":
        return warehouse.trend_query(kpi, unit, grain, period, 24)
    if lens == "benchmark":
        return warehouse.benchmark_query(kpi, unit, grain, period, siblings=False)
    if lens == "target":
        return warehouse.target_query(kpi, grain, period)
    if lens == "list":
        return warehouse.list_query(kpi, unit, grain, period, scope or Scope.of(unit)).rows
    raise ValueError(f"unknown lens '{lens}'; choose one of trend, benchmark, list, target")


def explain(
    warehouse,
    kpi_id: str,
    lens: str,
    dialect: str,
    unit: str | None = None,
    period: date | None = None,
    grain: Grain | None = None,
) -> str:
    kpi = warehouse.catalogue.kpi(kpi_id)
    grain = Grain(grain or kpi.time.grain)
    unit = unit or warehouse.org.root
    period = period or warehouse.latest_period(kpi_id, grain) or date.today()
    query = lens_query(warehouse, kpi_id, lens, unit, period, grain)
    header = f"-- {kpi.title}: lens {lens}, unit {unit}, period {period:%Y-%m}, grain {grain.value}"
    if lens == "target" and rolls_up(kpi):
        header += (
            "\n-- The app gets the same figures without the closure: the measure grouped by"
            "\n-- each row's own unit, added up the org tree in memory (queries/rollup.py)."
        )
    return f"{header}\n{render(query, dialect_named(dialect))}"

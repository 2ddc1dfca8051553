"""Settings -> engine -> validated catalogue -> Warehouse: the one way to open the data.

The app starts whether or not the warehouse answers: after a power cut the boot order
must not matter. A catalogue that is wrong in itself stops the start; one that cannot be
checked against an absent warehouse is checked without it, and the app connects when the
warehouse returns (`python -m queries check` checks both, for a deploy step).
"""

from __future__ import annotations

import logging

import sqlalchemy as sa

from queries.catalogue.loader import load_catalogue
from queries.compiler.relations import sql_dir_for
from queries.deadline import WarehouseUnavailable
from queries.engine import DuckdbLimits, create_warehouse_engine
from queries.settings import Settings, load_settings
from queries.warehouse import Warehouse

log = logging.getLogger(__name__)
UNREACHABLE = (sa.exc.DBAPIError, WarehouseUnavailable)


def open_warehouse(settings: Settings | None = None) -> Warehouse:
    """Open the configured warehouse (generating the demo on first run); raises
    CatalogueError when the catalogue is wrong, never because the warehouse is away."""
    settings = settings or load_settings()
    if settings.uses_demo:
        from queries.demo import ensure_demo

        ensure_demo(settings.demo_path)
    limits = DuckdbLimits(settings.duckdb_memory_mb, settings.duckdb_threads)
    engine = create_warehouse_engine(
        settings.effective_warehouse_url, settings.query_timeout_s, limits
    )
    sql_dir = sql_dir_for(settings.catalogue_path)
    try:
        catalogue = load_catalogue(settings.catalogue_path, engine=engine, sql_dir=sql_dir)
    except UNREACHABLE as error:
        log.warning(
            "the warehouse does not answer at start (%s); the catalogue is checked without "
            "it and the app connects when it returns",
            type(error).__name__,
        )
        catalogue = load_catalogue(settings.catalogue_path, sql_dir=sql_dir)
    return Warehouse(engine, catalogue, sql_dir)


def cube_builder(warehouse: Warehouse, timeout_s: float) -> Warehouse:
    """The same warehouse on an engine of its own, with the cube builds' time limit: a
    whole-history cube may take minutes where a page's query gets `MSB_QUERY_TIMEOUT`,
    and builds never take a page's pooled connection."""
    url = warehouse.engine.url.render_as_string(hide_password=False)
    limits = getattr(warehouse.engine, "msb_duckdb_limits", None)  # the same, or DuckDB refuses
    # No breaker pause: one cube that times out says that cube is heavy, not that the
    # warehouse is away, and must not fail the next KPI's build at once (the warm-up has
    # its own back-off per cube).
    engine = create_warehouse_engine(url, timeout_s, limits, breaker_pause_s=0.0)
    return Warehouse(engine, warehouse.catalogue, warehouse.sql_dir)

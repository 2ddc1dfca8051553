"""Settings -> engine -> validated catalogue -> Warehouse: the one way to open the data."""

from __future__ import annotations

from queries.catalogue.loader import load_catalogue
from queries.compiler.relations import sql_dir_for
from queries.engine import create_warehouse_engine
from queries.settings import Settings, load_settings
from queries.warehouse import Warehouse


def open_warehouse(settings: Settings | None = None) -> Warehouse:
    """Open the configured warehouse (generating the demo on first run); raises
    CatalogueError when the catalogue does not match it."""
    settings = settings or load_settings()
    if settings.uses_demo:
        from queries.demo import ensure_demo

        ensure_demo(settings.demo_path)
    engine = create_warehouse_engine(settings.effective_warehouse_url, settings.query_timeout_s)
    sql_dir = sql_dir_for(settings.catalogue_path)
    catalogue = load_catalogue(settings.catalogue_path, engine=engine, sql_dir=sql_dir)
    return Warehouse(engine, catalogue, sql_dir)

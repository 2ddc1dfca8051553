"""`python -m queries check`: may the app start here? For a deploy step or a service's
pre-start hook. Exit codes: 0 all good; 1 settings, catalogue or access file wrong (do not
start); 3 they are fine but the warehouse does not answer (start anyway: the app connects
when it returns)."""

from __future__ import annotations

import sys

import sqlalchemy as sa

from identity.access import AccessFileError, load_access
from queries.catalogue.loader import CatalogueError, load_catalogue
from queries.compiler.relations import sql_dir_for
from queries.deadline import WarehouseUnavailable
from queries.orphans import orphan_rows
from queries.settings import Settings, load_settings

OK, WRONG, WAREHOUSE_AWAY = 0, 1, 3


def check(settings: Settings | None = None, *, out=sys.stdout) -> int:
    settings = settings or load_settings()  # a SettingsError ends the process with its text
    try:
        load_catalogue(settings.catalogue_path, sql_dir=sql_dir_for(settings.catalogue_path))
    except CatalogueError as error:
        print("Kataloget passer ikke; appen starter ikke:", file=out)
        print(error, file=out)
        return WRONG
    if not _access_file_fits(settings, None, out):
        return WRONG
    from queries.bootstrap import open_warehouse

    try:
        warehouse = open_warehouse(settings)
        with warehouse.engine.connect() as connection:
            connection.execute(sa.text("SELECT 1")).scalar()
        load_catalogue(settings.catalogue_path, engine=warehouse.engine, sql_dir=warehouse.sql_dir)
    except CatalogueError as error:
        print("Kataloget passer ikke til datavarehuset; appen starter ikke:", file=out)
        print(error, file=out)
        return WRONG
    except (sa.exc.DBAPIError, WarehouseUnavailable) as error:
        print(
            f"Kataloget er i orden, men datavarehuset svarer ikke ({type(error).__name__}). "
            "Appen kan starte og forbinder, når datavarehuset er tilbage.",
            file=out,
        )
        return WAREHOUSE_AWAY
    if not _access_file_fits(settings, warehouse.org.units, out):
        return WRONG
    print(
        f"I orden: {settings.catalogue_path.name} og {settings.access_file.name} passer til "
        "datavarehuset.",
        file=out,
    )
    with warehouse.engine.connect() as connection:
        for kpi_id, count in orphan_rows(
            connection, warehouse.catalogue, warehouse.sql_dir
        ).items():
            print(
                f"Advarsel: {count} rækker bag {kpi_id} har en enhed, der ikke findes i "
                "organisationen (eller ingen), og tælles ikke med.",
                file=out,
            )
    return OK


def _access_file_fits(settings: Settings, units, out) -> bool:
    """The access file read as the app reads it; `units` None: not yet against the tree."""
    try:
        load_access(settings.access_file, units)
    except AccessFileError as error:
        print(f"Adgangsfilen ({settings.access_file}) passer ikke; appen starter ikke:", file=out)
        print(error, file=out)
        return False
    return True

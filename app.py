"""MSB i tal: `python app.py` serves the dashboard; gunicorn serves `app:server`."""

from __future__ import annotations

import argparse
import sys

from dashboard import create_app
from identity.access import AccessFileError
from ops.logs import configure_logging
from queries.bootstrap import open_warehouse
from queries.catalogue.loader import CatalogueError
from queries.settings import load_settings


def build():
    settings = load_settings()
    try:
        warehouse = open_warehouse(settings)
    except CatalogueError as error:
        sys.exit(f"MSB i tal starter ikke: kataloget passer ikke.\n{error}")
    try:
        return create_app(warehouse, settings), settings
    except AccessFileError as error:
        where = settings.access_file
        sys.exit(f"MSB i tal starter ikke: adgangsfilen ({where}) passer ikke.\n{error}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="MSB i tal – KPI-dashboard")
    parser.add_argument("--port", type=int, help="port (default: PORT or 8050)")
    parser.add_argument("--host", help="address (default: MSB_HOST or 127.0.0.1)")
    args = parser.parse_args(argv)
    configure_logging()
    dash_app, settings = build()
    dash_app.run(
        host=args.host or settings.host,
        port=args.port or settings.port,
        debug=settings.debug,
        dev_tools_disable_version_check=True,  # the intranet cannot reach plotly.com
    )


if __name__ == "__main__":
    main()
else:
    app, _settings = build()
    server = app.server

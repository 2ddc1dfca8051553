"""`python -m queries audit …` and `python -m queries appdb …`: commands for the
data-protection officer (access requests, retention) and for operations (migrations)."""

from __future__ import annotations

import argparse
import getpass
import sys
from datetime import datetime
from pathlib import Path

ACCESS_PURPOSE = "Indsigtsanmodning (python -m queries audit borger)"


def _app_db():
    from appdb import open_app_db
    from appdb.audit import AuditLog
    from queries.settings import load_settings

    return AuditLog(open_app_db(load_settings().app_db_url))


def _borger(args: argparse.Namespace) -> int:
    from appdb.access_request import COLUMNS, as_table, looks_at
    from appdb.audit import utc_now
    from appdb.retention import before
    from queries.bootstrap import open_warehouse
    from queries.citizens import citizen_ids
    from queries.cpr import mask_cpr
    from queries.xlsx import workbook

    try:
        since = before(args.since, utc_now()) if args.since else None
        warehouse = open_warehouse()
        ids = citizen_ids(warehouse, args.cpr)
    except ValueError as error:
        print(f"Fejl: {error}", file=sys.stderr)
        return 2
    audit = _app_db()
    masked = mask_cpr(args.cpr)
    org, catalogue = warehouse.org, warehouse.catalogue
    looks = looks_at(
        audit,
        ids,
        since,
        kpi_title=lambda kpi_id: _title(catalogue, kpi_id),
        unit_name=lambda unit: org.name(unit) if unit in org.units else unit,
    )
    window = f" siden {since:%d-%m-%Y}" if since else ""
    if not ids:
        print(f"Borger {masked} findes ikke i datavarehusets borgerdimension.")
    print(f"Opslag på borger {masked}{window}: {len(looks)}")
    if looks:
        print(as_table(looks))
    if args.xlsx:
        header = [
            ("Borger", masked),
            ("Periode", f"alle opslag{window}" if window else "alle opslag i loggen"),
            ("Udtrukket", datetime.now().strftime("%d-%m-%Y %H:%M")),
            ("Udtrukket af", getpass.getuser()),
        ]
        rows = [look.cells() for look in looks]
        args.xlsx.write_bytes(workbook("Indsigt", header, COLUMNS, rows, sheet_title="Opslag"))
        print(f"Skrevet til {args.xlsx}")
    # The answer itself is a look at the citizen's data, so it is logged too.
    audit.record(
        getpass.getuser(), "search", citizens=ids, purpose=ACCESS_PURPOSE, role="databeskyttelse"
    )
    return 0


def _title(catalogue, kpi_id: str) -> str:
    try:
        return catalogue.kpi(kpi_id).title
    except KeyError:  # a KPI removed from the catalogue since
        return kpi_id


def _purge(args: argparse.Namespace) -> int:
    from appdb.audit import utc_now
    from appdb.retention import before

    try:
        cutoff = before(args.older_than, utc_now())
    except ValueError as error:
        print(f"Fejl: {error}", file=sys.stderr)
        return 2
    removed = _app_db().purge(cutoff)
    print(f"{removed} rækker slettet fra audit-loggen (logget før {cutoff:%d-%m-%Y %H:%M} UTC).")
    return 0


def _upgrade(args: argparse.Namespace) -> int:
    import sqlalchemy as sa

    from appdb import open_app_db
    from appdb.migrate import current, head
    from queries.settings import load_settings

    url = load_settings().app_db_url
    engine = open_app_db(url)
    print(
        f"App-databasen {sa.make_url(url).render_as_string(hide_password=True)}: "
        f"revision {current(engine)} (nyeste: {head()})."
    )
    return 0


def add_commands(commands: argparse._SubParsersAction) -> None:
    audit = commands.add_parser("audit", help="the audit log: access requests and retention")
    actions = audit.add_subparsers(dest="audit_command", required=True)
    borger = actions.add_parser("borger", help="every look at one citizen (access request)")
    borger.add_argument("cpr", help="CPR number, with or without dash")
    borger.add_argument("--since", help="only this far back: 6m, 1y, 30d (default: all)")
    borger.add_argument("--xlsx", type=Path, help="also write the answer to this Excel file")
    borger.set_defaults(run=_borger)
    purge = actions.add_parser("purge", help="remove audit rows older than the retention period")
    purge.add_argument("--older-than", required=True, help="e.g. 5y, 18m, 30d")
    purge.set_defaults(run=_purge)

    appdb = commands.add_parser("appdb", help="the app database (audit log, usage)")
    steps = appdb.add_subparsers(dest="appdb_command", required=True)
    steps.add_parser("upgrade", help="migrate the schema to the newest revision").set_defaults(
        run=_upgrade
    )

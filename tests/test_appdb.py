"""The app database room: Alembic migrations on SQLite and PostgreSQL, the audit log's
rows, usage events and Brugerstatistik's figures — all on real databases."""

from __future__ import annotations

import json
import os
import re
from datetime import datetime, timedelta

import dash
import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from flask import Flask
from flask_caching import Cache

from appdb import models, open_app_db, usage_stats
from appdb.audit import AuditLog
from appdb.migrate import current, downgrade, head, newest_file_revision, upgrade
from appdb.usage import UsageLog
from components.services import Services
from queries.catalogue.models import Grain
from queries.scope import Scope
from tests.conftest import POSTGRES_URL, app_db_schema, sign_in, viewing_as

APP_SCHEMA = os.environ.get("MSB_TEST_SCHEMA", "msb_i_tal_test") + "_appdb"
TABLES = {
    "alembic_version",
    "audit_log",
    "usage_event",
    "signed_out_sessions",
    "forloeb",
    "action_card",
    "unit_goal",
    "method_history",
    "analyst_request",
    "data_use_answer",
}


def _columns(engine: sa.Engine, table: str) -> set[str]:
    return {column["name"] for column in sa.inspect(engine).get_columns(table)}


def _round_trip(engine: sa.Engine) -> None:
    """Upgrade, write and read a row with every field, downgrade to nothing, upgrade again."""
    assert upgrade(engine) == head() == "0005"
    assert set(sa.inspect(engine).get_table_names()) >= TABLES
    assert {"view_state", "role"} <= _columns(engine, "audit_log")
    log = AuditLog(engine)  # upgrading an up-to-date schema changes nothing
    log.record(
        "leder-bff",
        "sort",
        kpi_id="sagsbehandlingstid",
        unit="BFF",
        period="year:2026-01-01",
        citizens=[17, 42],
        purpose="Opfølgning på borgerforløb",
        view_state={"numerator_only": True, "sort": [["citizen_navn", False]], "page": 2},
        role="leder",
    )
    [row] = log.entries(citizen="42")
    assert (row["user_id"], row["action"], row["unit"], row["role"]) == (
        "leder-bff",
        "sort",
        "BFF",
        "leder",
    )
    assert json.loads(row["citizens"]) == ["17", "42"]
    assert json.loads(row["view_state"])["sort"] == [["citizen_navn", False]]
    assert downgrade(engine, "base") is None
    assert set(sa.inspect(engine).get_table_names()) <= {"alembic_version"}
    assert upgrade(engine) == head()
    _models_match_the_newest_migration(engine)


def _models_match_the_newest_migration(engine: sa.Engine) -> None:
    """What the code writes through (appdb/models.py) is what the migrations made."""
    with engine.connect() as connection:
        context = MigrationContext.configure(connection)
        differences = [
            d for d in compare_metadata(context, models.metadata) if d[0] != "remove_table"
        ]
    assert differences == []


def test_migrations_upgrade_and_downgrade_on_sqlite(tmp_path):
    _round_trip(sa.create_engine(f"sqlite:///{tmp_path / 'app.sqlite'}"))


@pytest.fixture
def postgres_app_engine():
    with app_db_schema("_appdb", migrated=False) as engine:
        yield engine


def test_migrations_upgrade_and_downgrade_on_postgresql(postgres_app_engine):
    _round_trip(postgres_app_engine)
    with postgres_app_engine.connect() as connection:
        found = connection.execute(
            sa.text("SELECT table_name FROM information_schema.tables WHERE table_schema = :s"),
            {"s": APP_SCHEMA},
        ).scalars()
        assert set(found) >= TABLES


def test_the_newest_file_is_alembics_head():
    """A start checks the schema against the newest file's revision without Alembic."""
    assert newest_file_revision() == head()


def test_a_start_at_the_newest_revision_does_not_import_alembic(tmp_path):
    """Alembic (with Mako and Pygments) costs a worker about 0.3 s of CPU; it is imported
    only when the schema must change: a new database is migrated, a current one is not."""
    import subprocess
    import sys

    url = f"sqlite:///{tmp_path / 'app.sqlite'}"
    script = (
        "import sys; from appdb import open_app_db; open_app_db(sys.argv[1]); "
        "print('alembic' in sys.modules)"
    )
    runs = [
        subprocess.run([sys.executable, "-c", script, url], capture_output=True, text=True)
        for _ in range(2)
    ]
    assert [run.stdout.strip() for run in runs] == ["True", "False"], [r.stderr for r in runs]
    assert current(sa.create_engine(url)) == head()


def test_a_database_a_revision_behind_is_upgraded(tmp_path):
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'app.sqlite'}")
    upgrade(engine)
    downgrade(engine, "0003")
    assert upgrade(engine) == head() and current(engine) == head()


def test_a_database_from_before_migrations_keeps_its_rows(tmp_path):
    """The first audit log was made with create_all; upgrading must not lose a row of it."""
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'old.sqlite'}")
    with engine.begin() as connection:
        connection.execute(
            sa.text(
                "CREATE TABLE audit_log (id INTEGER PRIMARY KEY, logged_at DATETIME NOT NULL, "
                "user_id VARCHAR(200) NOT NULL, action VARCHAR(40) NOT NULL, kpi_id VARCHAR(60), "
                "unit VARCHAR(100), period VARCHAR(20), citizens TEXT, purpose VARCHAR(200))"
            )
        )
        connection.execute(
            sa.text(
                "INSERT INTO audit_log (logged_at, user_id, action, citizens) "
                "VALUES ('2025-01-02 03:04:05', 'gammel', 'list_view', '[\"7\"]')"
            )
        )
    engine = open_app_db(f"sqlite:///{tmp_path / 'old.sqlite'}")
    assert current(engine) == head()
    [row] = AuditLog(engine).entries(citizen="7")
    assert row["user_id"] == "gammel" and row["view_state"] is None


def test_a_list_page_through_services_is_logged_with_its_view(duckdb_warehouse, tmp_path):
    audit = AuditLog(open_app_db(f"sqlite:///{tmp_path / 'app.sqlite'}"))
    services = Services(
        duckdb_warehouse,
        Cache(Flask(__name__), config={"CACHE_TYPE": "SimpleCache"}),
        audit=audit,
        viewer_scope=Scope.of("BFF"),
        viewer_id="leder-bff",
    )
    period = duckdb_warehouse.latest_period("sagsbehandlingstid", Grain.year)
    page = services.list_page("sagsbehandlingstid", "BFF", Grain.year, period, limit=5)
    [entry] = audit.entries()
    assert entry["action"] == "list_view" and entry["user_id"] == "leder-bff"
    assert json.loads(entry["citizens"]) == [str(c) for c in page.citizens]


def _dropped_table(tmp_path) -> sa.Engine:
    broken = sa.create_engine(f"sqlite:///{tmp_path / 'app.sqlite'}")
    AuditLog(broken)
    with broken.begin() as connection:
        connection.execute(sa.text("DROP TABLE audit_log"))
    return broken


def _read_only_postgresql(tmp_path) -> sa.Engine:
    """The app database migrated, then opened as a read-only store (a replica, a full
    disk, or a revoked grant look the same to the app: the INSERT fails)."""
    options = f"-c search_path={APP_SCHEMA}"
    writable = sa.create_engine(POSTGRES_URL, connect_args={"options": options})
    with writable.begin() as connection:
        connection.execute(sa.text(f"DROP SCHEMA IF EXISTS {APP_SCHEMA} CASCADE"))
        connection.execute(sa.text(f"CREATE SCHEMA {APP_SCHEMA}"))
    upgrade(writable)
    writable.dispose()
    options += " -c default_transaction_read_only=on"
    return sa.create_engine(POSTGRES_URL, connect_args={"options": options})


@pytest.mark.parametrize("store", [_dropped_table, _read_only_postgresql])
def test_an_audit_store_that_cannot_be_written_fails_the_list_closed(dash_app, tmp_path, store):
    """No audit row, no citizen row; and the sentence says why instead of a count."""
    from tests.test_http import payload

    services = dash_app._msb_services
    original = services.audit
    services.audit = AuditLog(store(tmp_path))
    try:
        body = payload(
            dash_app,
            "list-grid",
            "getRowsResponse",
            [{"startRow": 0, "endRow": 25}],
            [{"kpi": "sagsbehandlingstid", "query": "?enhed=BFF&interval=aar&periode=2026"}, True],
            "list-grid",
        )
        client = dash_app.server.test_client()
        sign_in(client)
        response = client.post("/_dash-update-component", json=body)
        answer = response.get_json()["response"]
        assert answer["list-grid"]["getRowsResponse"] == {"rowData": [], "rowCount": 0}
        said = json.dumps(answer["list-sentence"]["children"], ensure_ascii=False)
        assert "Adgangsloggen kan ikke skrives" in said and "Traceback" not in said
        assert not re.search(r"\d+ (forløb|sager|borgere)", said)  # no count above no rows
    finally:
        services.audit.engine.dispose()
        services.audit = original


# ---- usage events and Brugerstatistik ------------------------------------------------------


@pytest.fixture
def usage(tmp_path) -> UsageLog:
    return UsageLog(open_app_db(f"sqlite:///{tmp_path / 'app.sqlite'}"))


def test_usage_figures_per_week_kpi_unit_and_role(usage):
    monday = datetime(2026, 11, 23, 9, 0)  # ISO week 48
    for day, user, role, page, kpi, unit in [
        (0, "a", "leder", "kpi", "sygedagpenge_over_22_uger", "JSY"),
        (1, "a", "leder", "kpi", "sygedagpenge_over_22_uger", "JSY"),
        (2, "b", "leder", "kpi", "sygedagpenge_over_22_uger", "BFF"),
        (7, "c", "analytiker", "home", None, "BFF"),  # week 49
        (8, "a", "leder", "export", "sagsbehandlingstid", "JSY"),
        (9, "d", None, "definitions", None, None),
    ]:
        usage.record(user, page, role=role, kpi_id=kpi, unit=unit, at=monday + timedelta(days=day))
    events = usage.events()
    assert "citizens" not in events.columns and len(events) == 6
    weeks = usage_stats.per_week(events)
    assert weeks.to_dict("records") == [
        {"uge": "2026-U48", "visninger": 3, "brugere": 2},
        {"uge": "2026-U49", "visninger": 3, "brugere": 3},
    ]
    kpis = usage_stats.per_kpi(events)
    assert kpis.iloc[0].to_dict() == {
        "nøgletal": "sygedagpenge_over_22_uger",
        "visninger": 3,
        "brugere": 2,
    }
    units = usage_stats.per_unit(events).set_index("enhed")
    assert units.loc["JSY"].tolist() == [3, 1] and units.loc["BFF"].tolist() == [2, 2]
    roles = usage_stats.per_role(events).set_index("rolle")
    assert roles.loc["leder"].tolist() == [4, 2] and roles.loc["(ukendt)"].tolist() == [1, 1]
    assert len(usage.events(since=monday + timedelta(days=7))) == 3


def test_an_empty_usage_log_gives_empty_tables(usage):
    events = usage.events()
    assert usage_stats.per_week(events).empty and usage_stats.per_role(events).empty


def test_page_views_are_counted_where_the_router_builds_them(dash_app):
    """A layout built for a viewer (inside a callback request) is one event; Dash's bare
    calls that build the validation layout are none."""
    usage_log = dash_app.server.extensions["msb_usage_log"]
    before = len(usage_log.events())
    layout = dash.page_registry["kpi"]["layout"]
    with dash_app.server.test_request_context("/"):
        layout()
    assert len(usage_log.events()) == before
    with dash_app.server.test_request_context("/_dash-update-component", method="POST"):
        layout(kpi_id="sagsbehandlingstid", enhed="BFF")
    events = usage_log.events()
    assert len(events) == before + 1
    assert events.iloc[-1][["page", "kpi_id", "unit"]].tolist() == [
        "kpi",
        "sagsbehandlingstid",
        "BFF",
    ]


def test_page_views_over_http_are_counted(dash_app):
    from tests.test_http import payload

    usage_log = dash_app.server.extensions["msb_usage_log"]
    client = dash_app.server.test_client()
    sign_in(client)
    client.get("/")  # the first request registers the pages' router callback
    before = len(usage_log.events())
    body = payload(
        dash_app,
        "_pages_content",
        "children",
        ["/kpi/sagsbehandlingstid", "?enhed=JSY"],
        [],
    )
    assert client.post("/_dash-update-component", json=body).status_code == 200
    events = usage_log.events()
    assert len(events) == before + 1 and events.iloc[-1]["unit"] == "JSY"


def test_brugerstatistik_is_refused_without_an_admin_role(dash_app):
    from pages.usage import NOT_ALLOWED

    layout = dash.page_registry["usage"]["layout"]
    with dash_app.server.test_request_context("/_dash-update-component", method="POST"):
        shown = str(layout())
    assert NOT_ALLOWED in shown and "Pr. uge" not in shown


def test_brugerstatistik_shows_the_figures_to_an_admin(dash_app):
    usage_log = dash_app.server.extensions["msb_usage_log"]
    usage_log.record("leder-x", "kpi", role="leder", kpi_id="sagsbehandlingstid", unit="BFF")
    layout = dash.page_registry["usage"]["layout"]
    with viewing_as(dash_app, "demo-admin", purpose=None):
        shown = str(layout())
    assert "Pr. uge" in shown and "Pr. rolle" in shown
    assert dash_app.server.extensions["msb_usage_log"] is usage_log
    title = next(
        k.title for k in dash_app._msb_services.catalogue.kpis if k.id == "sagsbehandlingstid"
    )
    assert title in shown


def test_a_locked_audit_store_answers_within_its_time_limit(tmp_path):
    """Another writer holds the SQLite file: the row waits the limit, then fails plainly."""
    import time

    from appdb.audit import AuditUnavailable

    url = f"sqlite:///{tmp_path / 'app.sqlite'}"
    log = AuditLog(open_app_db(url, wait_s=1.0))
    holder = sa.create_engine(url).raw_connection()
    holder.execute("BEGIN EXCLUSIVE")
    try:
        started = time.monotonic()
        with pytest.raises(AuditUnavailable):
            log.record("leder-bff", "list_view", citizens=[1])
        waited = time.monotonic() - started
    finally:
        holder.rollback()
        holder.close()
    assert 0.8 < waited < 5.0
    log.record("leder-bff", "list_view", citizens=[1])  # free again: written
    assert len(log.entries()) == 1


def _migrate_at_once(url: str, *options: str) -> list[str]:
    """Four processes upgrading one new database at the same moment, as workers do."""
    import subprocess
    import sys

    script = (
        "import sys, sqlalchemy as sa; from appdb.migrate import upgrade; "
        "args = {'connect_args': {'options': sys.argv[2]}} if len(sys.argv) > 2 else {}; "
        "print(upgrade(sa.create_engine(sys.argv[1], **args)))"
    )
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", script, url, *options],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    outcomes = [worker.communicate(timeout=120) for worker in workers]
    assert all(worker.returncode == 0 for worker in workers), [err for _, err in outcomes]
    return [out.strip() for out, _ in outcomes]


def test_workers_starting_at_once_migrate_postgresql_once(postgres_app_engine):
    """One migrates, the others wait for it (an advisory lock) and find the head."""
    url = postgres_app_engine.url.render_as_string(hide_password=False)
    assert _migrate_at_once(url, f"-c search_path={APP_SCHEMA}") == [head()] * 4
    with postgres_app_engine.connect() as connection:
        versions = connection.execute(sa.text("SELECT version_num FROM alembic_version")).all()
    assert versions == [(head(),)]


def test_workers_starting_at_once_migrate_a_sqlite_file_once(tmp_path):
    """The same on a SQLite file (the default app database): a lock file beside it."""
    url = f"sqlite:///{tmp_path / 'app.sqlite'}"
    for _ in range(3):  # a race shows only sometimes; each round starts from nothing
        (tmp_path / "app.sqlite").unlink(missing_ok=True)
        assert _migrate_at_once(url) == [head()] * 4
        assert current(sa.create_engine(url)) == head()

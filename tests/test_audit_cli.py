"""The data-protection officer's commands on the demo: `audit borger` answers an access
request from audit rows written by the real Services.list_page; `audit purge` keeps the
retention period."""

from __future__ import annotations

import io
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa
from flask import Flask
from flask_caching import Cache
from openpyxl import load_workbook

from appdb import open_app_db
from appdb.audit import AuditLog
from appdb.models import audit_log
from appdb.retention import before, parse_duration
from components.services import Services
from queries.__main__ import main
from queries.catalogue.models import Grain
from queries.scope import Scope

KPI = "sagsbehandlingstid"


@pytest.fixture
def app_db(tmp_path, monkeypatch, duckdb_path):
    url = f"sqlite:///{tmp_path / 'app.sqlite'}"
    monkeypatch.setenv("MSB_APP_DB_URL", url)
    monkeypatch.setenv("MSB_DEMO_PATH", str(duckdb_path))
    monkeypatch.delenv("MSB_WAREHOUSE_URL", raising=False)
    return AuditLog(open_app_db(url))


def _looked_at(warehouse, audit: AuditLog, user: str, unit: str) -> tuple[object, ...]:
    services = Services(
        warehouse,
        Cache(Flask(__name__), config={"CACHE_TYPE": "SimpleCache"}),
        audit=audit,
        viewer_scope=Scope.everything(),
        viewer_id=user,
    )
    period = warehouse.latest_period(KPI, Grain.year)
    return services.list_page(KPI, unit, Grain.year, period, limit=10).citizens


def _cpr_of(warehouse, citizen: object) -> str:
    with warehouse.engine.connect() as connection:
        return connection.execute(
            sa.text("SELECT cpr FROM dim_borger WHERE borger_id = :c"), {"c": citizen}
        ).scalar()


def test_an_access_request_lists_every_look_at_the_citizen(
    app_db, duckdb_warehouse, capsys, tmp_path
):
    shown = _looked_at(duckdb_warehouse, app_db, "leder-bff", "BFF")
    _looked_at(duckdb_warehouse, app_db, "leder-jsy", "JSY")  # other citizens
    citizen = shown[0]
    cpr = _cpr_of(duckdb_warehouse, citizen)
    out_file = tmp_path / "indsigt.xlsx"
    assert main(["audit", "borger", cpr.replace("-", ""), "--xlsx", str(out_file)]) == 0
    printed = capsys.readouterr().out
    assert f"Opslag på borger {cpr[:6]}-XXXX: 1" in printed
    title = duckdb_warehouse.catalogue.kpi(KPI).title
    bff = duckdb_warehouse.org.name("BFF")
    [row] = [line for line in printed.splitlines() if "leder-bff" in line]
    assert "så listen" in row and title in row and bff in row and "år 20" in row
    assert "leder-jsy" not in printed
    assert cpr not in printed  # the answer shows the CPR masked
    sheet = load_workbook(io.BytesIO(out_file.read_bytes())).active
    values = [c.value for line in sheet.iter_rows() for c in line if c.value is not None]
    assert "leder-bff" in values and title in values and "Tidspunkt" in values
    # the answer is itself a look at the citizen, and is logged as one
    assert [e["action"] for e in app_db.entries(citizen=str(citizen))] == ["list_view", "search"]


def test_since_leaves_out_older_looks(app_db, duckdb_warehouse, capsys):
    citizen = _looked_at(duckdb_warehouse, app_db, "leder-bff", "BFF")[0]
    _looked_at(duckdb_warehouse, app_db, "leder-2", "BFF")
    with app_db.engine.begin() as connection:  # the first look was a year ago
        connection.execute(
            audit_log.update()
            .where(audit_log.c.user_id == "leder-bff")
            .values(logged_at=datetime.now() - timedelta(days=365))
        )
    cpr = _cpr_of(duckdb_warehouse, citizen)
    assert main(["audit", "borger", cpr, "--since", "6m"]) == 0
    printed = capsys.readouterr().out
    assert ": 1\n" in printed and "leder-2" in printed and "leder-bff" not in printed
    assert main(["audit", "borger", cpr]) == 0
    assert "leder-bff" in capsys.readouterr().out


def test_an_unknown_or_malformed_cpr(app_db, capsys):
    assert main(["audit", "borger", "651299-0000"]) == 0
    printed = capsys.readouterr().out
    assert "findes ikke" in printed and "Opslag på borger 651299-XXXX: 0" in printed
    assert main(["audit", "borger", "12-34"]) == 2
    assert "ikke et CPR-nummer" in capsys.readouterr().err


def test_purge_removes_rows_older_than_the_retention(app_db, duckdb_warehouse, capsys):
    _looked_at(duckdb_warehouse, app_db, "gammel", "BFF")
    _looked_at(duckdb_warehouse, app_db, "ny", "BFF")
    with app_db.engine.begin() as connection:
        connection.execute(
            audit_log.update()
            .where(audit_log.c.user_id == "gammel")
            .values(logged_at=datetime.now() - timedelta(days=6 * 365))
        )
    assert main(["audit", "purge", "--older-than", "5y"]) == 0
    assert capsys.readouterr().out.startswith("1 rækker slettet fra audit-loggen")
    assert [e["user_id"] for e in app_db.entries()] == ["ny"]
    assert main(["audit", "purge", "--older-than", "fem år"]) == 2
    assert "ikke en varighed" in capsys.readouterr().err


def test_appdb_upgrade_command(app_db, capsys):
    assert main(["appdb", "upgrade"]) == 0
    assert "revision 0005 (nyeste: 0005)" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("text", "expected"),
    [("5y", (60, 0)), ("18m", (18, 0)), ("30d", (0, 30)), ("2w", (0, 14)), ("6M", (6, 0))],
)
def test_durations(text, expected):
    assert parse_duration(text) == expected


def test_months_are_counted_on_the_calendar():
    assert before("1m", datetime(2026, 3, 31, 12)) == datetime(2026, 2, 28, 12)
    assert before("18m", datetime(2026, 11, 30)) == datetime(2025, 5, 30)
    assert before("5y", datetime(2028, 2, 29)) == datetime(2023, 2, 28)

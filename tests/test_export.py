"""Hent som Excel: the whole list, masked, within scope, logged as an export."""

from __future__ import annotations

import base64
import io
import json
import re
from datetime import date

import sqlalchemy as sa
from flask import Flask
from flask_caching import Cache
from openpyxl import load_workbook

from components.services import Services
from queries.audit import AuditLog
from queries.catalogue.models import Grain
from queries.scope import Scope
from tests.conftest import viewing_as

KPI = "sagsbehandlingstid"


def test_export_holds_every_row_masked_and_is_logged(duckdb_warehouse, tmp_path, monkeypatch):
    monkeypatch.setattr("components.services.MAX_PAGE_SIZE", 20)  # many pages, small demo
    audit = AuditLog(sa.create_engine(f"sqlite:///{tmp_path / 'app.sqlite'}"))
    services = Services(
        duckdb_warehouse,
        Cache(Flask(__name__), config={"CACHE_TYPE": "SimpleCache"}),
        audit=audit,
        viewer_scope=Scope.of("BFF"),
    )
    period = duckdb_warehouse.latest_period(KPI, Grain.year)
    page = services.export_list(KPI, "MSB", Grain.year, period)
    assert page.total > 40 and len(page.rows) == page.total  # several pages, all of them
    assert len({tuple(row.values()) for row in page.rows}) == len(page.rows)  # no page twice
    assert all(re.fullmatch(r"\d{6}-XXXX", row["citizen_cpr"]) for row in page.rows)
    bff = {duckdb_warehouse.org.name(u) for u in duckdb_warehouse.org.descendants("BFF")}
    assert {row["org_org_navn"] for row in page.rows} <= bff  # only the viewer's units
    [entry] = audit.entries()
    assert entry["action"] == "export" and entry["unit"] == "MSB"
    assert len(json.loads(entry["citizens"])) == len(set(page.citizens))


def test_the_button_sends_an_xlsx_with_danish_headers_and_real_dates(dash_app):
    export = next(
        entry["callback"].__wrapped__
        for entry in dash_app.callback_map.values()
        if "callback" in entry and entry["callback"].__wrapped__.__name__ == "export"
    )
    state = {"kpi": KPI, "query": "?enhed=BFF&interval=aar&periode=2026"}
    with viewing_as(dash_app):
        sent, status = export(1, state)
    assert sent["filename"] == "sagsbehandlingstid_BFF_2026.xlsx"
    sheet = load_workbook(io.BytesIO(base64.b64decode(sent["content"]))).active
    assert sheet["A1"].value == "Fortroligt – indeholder personoplysninger"
    top = next(row for row in range(1, 12) if sheet.cell(row, 1).value == "CPR-nummer")
    header = [cell.value for cell in sheet[top]]
    assert header[:3] == ["CPR-nummer", "Navn", "Sagstype"]
    assert isinstance(sheet.cell(top + 1, header.index("Afgjort") + 1).value, date)
    assert status == f"{sheet.max_row - top} rækker hentet."
